package io.driftwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The realistic manifests under {@code src/test/resources/corpus}, written for one test namespace: the {@code __NS__}
 * token in cluster-scoped names is replaced, and the app's tracking label value {@code corpus} becomes the namespace,
 * so that runs in one cluster never see each other's objects as their own.
 */
public final class Corpus {

    private static final String APP_LABEL = "app.kubernetes.io/instance: corpus";

    private Corpus() {}

    /** Writes the named corpus files (all when none are named) for {@code ns} into a new directory. */
    public static Path materialize(TestNamespace ns, String... files) {
        try {
            Path source = Path.of(Corpus.class.getResource("/corpus").toURI());
            Path target = Files.createTempDirectory("corpus-" + ns.name() + "-");
            List<Path> chosen;
            try (Stream<Path> all = Files.list(source)) {
                chosen = all.filter(p -> p.toString().endsWith(".yaml"))
                        .filter(p -> files.length == 0
                                || List.of(files).contains(p.getFileName().toString()))
                        .sorted()
                        .toList();
            }
            if (files.length > 0 && chosen.size() != files.length) {
                throw new IllegalArgumentException("corpus files not found among " + List.of(files));
            }
            for (Path file : chosen) {
                String text = Files.readString(file)
                        .replace("__NS__", ns.name())
                        .replace(APP_LABEL, "app.kubernetes.io/instance: " + ns.name());
                Files.writeString(target.resolve(file.getFileName()), text);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The files of a materialized corpus that define CustomResourceDefinitions. */
    public static List<Path> crdFiles(Path dir) {
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(p -> p.getFileName().toString().contains("customresourcedefinition"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
