package io.driftwatch.observability;

import io.driftwatch.emit.AgentMetrics;
import io.driftwatch.hub.HubMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code driftwatch_*} metric names that exist: the names defined in {@link AgentMetrics} and {@link HubMetrics}
 * (Micrometer's dotted names, as Prometheus names) and the names in the metric tables of docs/agent.md and
 * docs/hub.md. Queries in rules and dashboards may
 * only use those, plus the suffixes Prometheus adds ({@code _total}, {@code _bucket}, {@code _count}, {@code _sum},
 * {@code _max}) and the {@code _seconds} base unit Micrometer appends to timers.
 */
final class MetricNames {

    private static final Pattern DOC_NAME = Pattern.compile("^\\| `(driftwatch_[a-z0-9_]+)`", Pattern.MULTILINE);
    private static final Pattern USED_NAME = Pattern.compile("(?<![A-Za-z0-9_])driftwatch_[a-z0-9_]+");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final String[] SUFFIXES = {"_total", "_bucket", "_count", "_sum", "_max"};

    private final Set<String> known;

    private MetricNames(Set<String> known) {
        this.known = known;
    }

    static MetricNames load() {
        Set<String> names = new TreeSet<>();
        addConstants(AgentMetrics.class, names);
        addConstants(HubMetrics.class, names);
        for (String doc : new String[] {"agent.md", "hub.md"}) {
            try {
                Matcher m = DOC_NAME.matcher(Files.readString(Path.of("docs", doc)));
                while (m.find()) {
                    names.add(m.group(1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new MetricNames(names);
    }

    /** The public String constants of a metrics class that are metric names ("driftwatch.…"). */
    private static void addConstants(Class<?> metrics, Set<String> names) {
        for (Field f : metrics.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && Modifier.isPublic(f.getModifiers())
                    && f.getType() == String.class) {
                try {
                    String value = (String) f.get(null);
                    if (value.startsWith("driftwatch.")) {
                        String name = value.replace('.', '_');
                        names.add(name);
                        names.add(name + "_seconds");
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    Set<String> known() {
        return known;
    }

    /** The {@code driftwatch_*} metric names in a PromQL expression that do not exist (label values are ignored). */
    Set<String> unknownIn(String promql) {
        Set<String> unknown = new TreeSet<>();
        Matcher m = USED_NAME.matcher(STRING_LITERAL.matcher(promql).replaceAll("\"\""));
        while (m.find()) {
            if (!exists(m.group())) {
                unknown.add(m.group());
            }
        }
        return unknown;
    }

    private boolean exists(String name) {
        if (known.contains(name)) {
            return true;
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix) && known.contains(name.substring(0, name.length() - suffix.length()))) {
                return true;
            }
        }
        return false;
    }
}
