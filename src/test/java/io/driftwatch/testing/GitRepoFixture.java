package io.driftwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Git repository made with the {@code git} command line for a test: write and delete files, commit, tag. The
 * host's Git configuration is not read, so tests behave the same everywhere.
 */
public final class GitRepoFixture {

    private final Path dir;

    private GitRepoFixture(Path dir) {
        this.dir = dir;
    }

    /** A new repository in {@code dir} (created) with {@code main} as its default branch. */
    public static GitRepoFixture init(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GitRepoFixture repo = new GitRepoFixture(dir);
        repo.git("init", "-q", "-b", "main");
        return repo;
    }

    public Path dir() {
        return dir;
    }

    public String fileUrl() {
        return "file://" + dir.toAbsolutePath();
    }

    public GitRepoFixture write(String path, String content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public GitRepoFixture delete(String path) {
        git("rm", "-q", "-r", path);
        return this;
    }

    /** Commits everything and returns the new commit's SHA. */
    public String commit(String message) {
        git("add", "-A");
        git("commit", "-q", "-m", message);
        return head();
    }

    public String head() {
        return git("rev-parse", "HEAD").strip();
    }

    public void tag(String name) {
        git("tag", "-a", name, "-m", "tag " + name);
    }

    public void branch(String name) {
        git("branch", name);
    }

    /** Runs {@code git ARGS} in the repository; fails the test when git fails. */
    public String git(String... args) {
        List<String> command = new ArrayList<>(List.of(
                "git",
                "-c",
                "user.name=Driftwatch Test",
                "-c",
                "user.email=test@driftwatch.invalid",
                "-c",
                "commit.gpgsign=false",
                "-c",
                "tag.gpgsign=false"));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("GIT_CONFIG_GLOBAL", "/dev/null", "GIT_CONFIG_NOSYSTEM", "1"));
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError("cannot run git: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
