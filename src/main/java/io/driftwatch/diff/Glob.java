package io.driftwatch.diff;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Shell-style glob over a whole string: {@code *} any run of characters, {@code ?} one character. */
public final class Glob {

    private static final int MAX_CACHED = 1024;
    private static final Map<String, Glob> CACHE = new ConcurrentHashMap<>();

    private final String glob;
    /** null for a glob without wildcards, which matches by equality */
    private final Pattern pattern;

    private Glob(String glob) {
        this.glob = glob;
        if (glob.indexOf('*') < 0 && glob.indexOf('?') < 0) {
            this.pattern = null;
            return;
        }
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        this.pattern = Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    public static Glob of(String glob) {
        Glob cached = CACHE.get(glob);
        if (cached == null) {
            if (CACHE.size() > MAX_CACHED) {
                CACHE.clear();
            }
            cached = new Glob(glob);
            CACHE.put(glob, cached);
        }
        return cached;
    }

    public boolean matches(String value) {
        return value != null
                && (pattern == null
                        ? glob.equals(value)
                        : pattern.matcher(value).matches());
    }

    /** A null glob matches anything. */
    public static boolean matches(String glob, String value) {
        return glob == null || of(glob).matches(value == null ? "" : value);
    }

    @Override
    public String toString() {
        return glob;
    }
}
