package io.driftwatch.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The demo's Git repository: the example app shipped in the jar ({@code io/driftwatch/demo/example/}) written under
 * {@value #APP_PATH} of a new repository and committed with JGit on branch {@value #BRANCH}. The agent reads it
 * through its real Git source with a {@code file://} URL.
 */
public final class ExampleRepo {

    public static final String APP = "shop";
    public static final String APP_PATH = "apps/shop";
    public static final String BRANCH = "main";
    /** The example manifests, in apply order (the Namespace first). */
    public static final List<String> FILES = List.of(
            "00-namespace.yaml",
            "10-configmap-storefront.yaml",
            "20-deployment-storefront.yaml",
            "30-service-storefront.yaml");

    private static final String RESOURCES = "/io/driftwatch/demo/example/";

    private final Path dir;
    private final String commit;

    private ExampleRepo(Path dir, String commit) {
        this.dir = dir;
        this.commit = commit;
    }

    /** Creates the repository in {@code dir} (created; must not exist or be empty). */
    public static ExampleRepo create(Path dir) {
        try {
            Path app = Files.createDirectories(dir.resolve(APP_PATH));
            for (String file : FILES) {
                Files.writeString(app.resolve(file), manifest(file));
            }
            PersonIdent author = new PersonIdent("driftwatch demo", "demo@driftwatch.invalid");
            try (Git git = Git.init()
                    .setDirectory(dir.toFile())
                    .setInitialBranch(BRANCH)
                    .call()) {
                git.add().addFilepattern(".").call();
                RevCommit commit = git.commit()
                        .setMessage("shop: storefront Deployment, Service and ConfigMap")
                        .setAuthor(author)
                        .setCommitter(author)
                        .setSign(false)
                        .call();
                return new ExampleRepo(dir, commit.getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the example repository in " + dir + ": " + e.getMessage(), e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(
                    "cannot commit the example repository in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** One example manifest's YAML, read from the jar. */
    public static String manifest(String file) {
        try (InputStream in = ExampleRepo.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the example manifest " + RESOURCES + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the example manifest " + file, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The URL the agent clones. */
    public String url() {
        return "file://" + dir.toAbsolutePath();
    }

    /** The commit's SHA. */
    public String commit() {
        return commit;
    }
}
