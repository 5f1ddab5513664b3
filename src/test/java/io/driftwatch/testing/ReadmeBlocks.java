package io.driftwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell blocks of README.md marked {@code <!-- install-it:NAME -->} (the marker line right before a {@code ```sh}
 * block), so that tests run exactly what the README tells people to run.
 */
public final class ReadmeBlocks {

    private static final Pattern BLOCK =
            Pattern.compile("<!-- install-it:([a-z0-9-]+) -->\\n```sh\\n(.*?)\\n```", Pattern.DOTALL);

    private ReadmeBlocks() {}

    /** Every marked block of {@code README.md}, by name, in file order. */
    public static Map<String, String> read() {
        try {
            String readme = Files.readString(Path.of("README.md"));
            Map<String, String> blocks = new LinkedHashMap<>();
            Matcher m = BLOCK.matcher(readme);
            while (m.find()) {
                if (blocks.put(m.group(1), m.group(2)) != null) {
                    throw new AssertionError("README.md marks two blocks install-it:" + m.group(1));
                }
            }
            return blocks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The block marked {@code NAME}; fails the test when README.md has none. */
    public static String block(String name) {
        String block = read().get(name);
        if (block == null) {
            throw new AssertionError("README.md has no ```sh block marked <!-- install-it:" + name + " -->");
        }
        return block;
    }
}
