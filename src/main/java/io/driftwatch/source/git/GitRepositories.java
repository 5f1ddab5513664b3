package io.driftwatch.source.git;

import io.driftwatch.config.GitAppSpec;
import io.driftwatch.config.RepoUrls;
import io.driftwatch.source.SourceException;
import io.driftwatch.source.SourceException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local Git cache shared by all apps: one bare clone per repository (by {@link RepoUrls#normalize normal URL})
 * under the cache directory, fetched incrementally — at most once per {@code minFetchInterval} unless a fetch was
 * {@linkplain #requestFetch requested} (webhook). A read-write lock per repository lets many apps read one repository
 * at once while a fetch excludes them. Every method blocks; call it from a worker pool.
 */
public final class GitRepositories implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GitRepositories.class);
    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SHORT_SHA = Pattern.compile("[0-9a-f]{7,39}");
    /** Where the remote's HEAD (its default branch) is recorded after each fetch. */
    static final String REMOTE_HEAD = "refs/driftwatch/remote-HEAD";

    private static final List<RefSpec> REFSPECS =
            List.of(new RefSpec("+refs/heads/*:refs/remotes/origin/*"), new RefSpec("+refs/tags/*:refs/tags/*"));

    /**
     * @param cacheDir         where the bare clones live
     * @param minFetchInterval a repository is fetched at most once per this interval unless a fetch is requested
     * @param fetchTimeout     network timeout of one fetch
     */
    public record Settings(Path cacheDir, Duration minFetchInterval, Duration fetchTimeout) {
        public static Settings defaults() {
            return new Settings(
                    Path.of(System.getProperty("java.io.tmpdir"), "driftwatch-git"),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(60));
        }

        public Settings withCacheDir(Path dir) {
            return new Settings(dir, minFetchInterval, fetchTimeout);
        }

        public Settings withMinFetchInterval(Duration interval) {
            return new Settings(cacheDir, interval, fetchTimeout);
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final Map<String, CachedRepo> repos = new ConcurrentHashMap<>();

    public GitRepositories(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public GitRepositories(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    /** One bare clone, its lock and fetch bookkeeping. */
    private static final class CachedRepo {
        final ReadWriteLock lock = new ReentrantReadWriteLock();
        final Path dir;
        Repository repository; // guarded by the write lock while being opened
        Instant lastFetch; // guarded by the write lock
        volatile boolean fetchRequested;
        long fetches; // guarded by the write lock

        CachedRepo(Path dir) {
            this.dir = dir;
        }
    }

    /** The next {@link #fetch} of this repository goes to the remote whatever the interval. */
    public void requestFetch(String url) {
        repo(url).fetchRequested = true;
    }

    /**
     * Brings the local clone up to date with the remote, unless it was fetched less than {@code minFetchInterval} ago
     * and no fetch was requested. Returns true if it fetched.
     *
     * @throws SourceException {@code FETCH} naming the URL (never a secret) and why
     */
    public boolean fetch(String url, GitAppSpec.Auth auth) throws SourceException {
        CachedRepo repo = repo(url);
        repo.lock.writeLock().lock();
        try {
            Instant now = clock.instant();
            if (!repo.fetchRequested
                    && repo.lastFetch != null
                    && now.isBefore(repo.lastFetch.plus(settings.minFetchInterval()))) {
                return false;
            }
            repo.fetchRequested = false;
            Repository repository = open(repo, url);
            try (GitCredentials credentials = GitCredentials.read(auth);
                    Git git = new Git(repository)) {
                FetchResult result = git.fetch()
                        .setRemote(url)
                        .setRefSpecs(REFSPECS)
                        .setRemoveDeletedRefs(true)
                        .setTimeout((int) Math.max(1, settings.fetchTimeout().toSeconds()))
                        .setTransportConfigCallback(credentials)
                        .call();
                recordRemoteHead(repository, result);
            } catch (GitAPIException | RuntimeException e) {
                throw new SourceException(
                        Reason.FETCH, "cannot fetch " + RepoUrls.redact(url) + ": " + describe(e, url), e);
            }
            repo.lastFetch = now;
            repo.fetches++;
            LOG.debug("fetched {} into {}", RepoUrls.redact(url), repo.dir);
            return true;
        } finally {
            repo.lock.writeLock().unlock();
        }
    }

    /** How many fetches reached the remote for this repository (for tests and metrics). */
    public long fetchCount(String url) {
        CachedRepo repo = repo(url);
        repo.lock.readLock().lock();
        try {
            return repo.fetches;
        } finally {
            repo.lock.readLock().unlock();
        }
    }

    /**
     * Resolves {@code revision} in the local clone: {@code HEAD} (the remote's default branch), a branch, a tag
     * (annotated tags peeled), {@code refs/heads/..}/{@code refs/tags/..}, or a full or abbreviated commit SHA.
     */
    public ResolvedCommit resolve(String url, String revision) throws SourceException {
        return read(url, repository -> {
            ObjectId id = lookup(repository, revision);
            if (id == null) {
                throw new SourceException(
                        Reason.FETCH,
                        "revision '" + revision + "' not found in " + RepoUrls.redact(url)
                                + " (no such branch, tag or commit)");
            }
            try (RevWalk walk = new RevWalk(repository)) {
                RevCommit commit = walk.parseCommit(id);
                return new ResolvedCommit(commit.name(), Instant.ofEpochSecond(commit.getCommitTime()));
            } catch (MissingObjectException | IncorrectObjectTypeException e) {
                throw new SourceException(
                        Reason.FETCH, "revision '" + revision + "' of " + RepoUrls.redact(url) + " is not a commit", e);
            }
        });
    }

    /** The kind of entry at {@code path} of the commit's tree: a file, a directory, or absent. */
    public enum Entry {
        FILE,
        DIRECTORY,
        ABSENT
    }

    public Entry entry(String url, String commit, String path) throws SourceException {
        return read(url, repository -> {
            if (path.equals(".")) {
                return Entry.DIRECTORY;
            }
            try (RevWalk walk = new RevWalk(repository);
                    TreeWalk tree = TreeWalk.forPath(
                            repository,
                            path,
                            walk.parseCommit(ObjectId.fromString(commit)).getTree())) {
                if (tree == null) {
                    return Entry.ABSENT;
                }
                return tree.getFileMode(0) == FileMode.TREE ? Entry.DIRECTORY : Entry.FILE;
            }
        });
    }

    /**
     * Writes the whole tree of {@code commit} into {@code target} (an empty directory). Regular and executable files
     * only: symbolic links and submodules are left out, so nothing can point outside the checkout.
     */
    public void export(String url, String commit, Path target) throws SourceException {
        Path root = target.toAbsolutePath().normalize();
        read(url, repository -> {
            try (RevWalk walk = new RevWalk(repository);
                    TreeWalk tree = new TreeWalk(repository)) {
                tree.addTree(walk.parseCommit(ObjectId.fromString(commit)).getTree());
                tree.setRecursive(true);
                while (tree.next()) {
                    FileMode mode = tree.getFileMode(0);
                    if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                        continue;
                    }
                    Path file = root.resolve(tree.getPathString()).normalize();
                    if (!file.startsWith(root)) {
                        continue;
                    }
                    Files.createDirectories(file.getParent());
                    ObjectLoader loader = repository.open(tree.getObjectId(0));
                    try (InputStream in = loader.openStream();
                            OutputStream out = Files.newOutputStream(file)) {
                        in.transferTo(out);
                    }
                }
            }
            return null;
        });
    }

    @Override
    public void close() {
        repos.values().forEach(repo -> {
            repo.lock.writeLock().lock();
            try {
                if (repo.repository != null) {
                    repo.repository.close();
                    repo.repository = null;
                }
            } finally {
                repo.lock.writeLock().unlock();
            }
        });
    }

    private interface RepoRead<T> {
        T apply(Repository repository) throws IOException, SourceException;
    }

    private <T> T read(String url, RepoRead<T> action) throws SourceException {
        CachedRepo repo = repo(url);
        repo.lock.readLock().lock();
        try {
            Repository repository = repo.repository;
            if (repository == null) {
                throw new SourceException(Reason.FETCH, RepoUrls.redact(url) + " has not been fetched yet");
            }
            return action.apply(repository);
        } catch (IOException e) {
            throw new SourceException(
                    Reason.FETCH,
                    "cannot read the local clone of " + RepoUrls.redact(url) + " in " + repo.dir + ": "
                            + e.getMessage(),
                    e);
        } finally {
            repo.lock.readLock().unlock();
        }
    }

    private CachedRepo repo(String url) {
        String key = RepoUrls.normalize(url);
        return repos.computeIfAbsent(
                key, k -> new CachedRepo(settings.cacheDir().resolve(dirName(k))));
    }

    /** Called with the write lock held: opens the bare clone, creating it (or replacing a broken one) first. */
    private Repository open(CachedRepo repo, String url) throws SourceException {
        if (repo.repository != null) {
            return repo.repository;
        }
        try {
            Files.createDirectories(repo.dir.getParent());
            boolean valid = RepositoryCache.FileKey.isGitRepository(repo.dir.toFile(), FS.DETECTED);
            if (!valid && Files.exists(repo.dir)) {
                LOG.warn("replacing the broken Git cache {} of {}", repo.dir, RepoUrls.redact(url));
                deleteRecursively(repo.dir);
            }
            Repository repository = new FileRepositoryBuilder()
                    .setGitDir(repo.dir.toFile())
                    .setBare()
                    .build();
            if (!valid) {
                repository.create(true);
            }
            repo.repository = repository;
            return repository;
        } catch (IOException | IllegalStateException e) {
            throw new SourceException(
                    Reason.FETCH,
                    "cannot create the Git cache " + repo.dir + " for " + RepoUrls.redact(url) + ": " + e.getMessage(),
                    e);
        }
    }

    private static void recordRemoteHead(Repository repository, FetchResult result) throws SourceException {
        Ref head = result.getAdvertisedRef(Constants.HEAD);
        if (head == null || head.getObjectId() == null) {
            return;
        }
        try {
            RefUpdate update = repository.updateRef(REMOTE_HEAD);
            update.setNewObjectId(head.getObjectId());
            update.setForceUpdate(true);
            RefUpdate.Result r = update.update();
            if (r == RefUpdate.Result.LOCK_FAILURE
                    || r == RefUpdate.Result.IO_FAILURE
                    || r == RefUpdate.Result.REJECTED) {
                throw new IOException("updating " + REMOTE_HEAD + ": " + r);
            }
        } catch (IOException e) {
            throw new SourceException(Reason.FETCH, "cannot record the remote HEAD: " + e.getMessage(), e);
        }
    }

    private static ObjectId lookup(Repository repository, String revision) throws IOException {
        if (revision.equals(Constants.HEAD)) {
            return peel(repository, repository.exactRef(REMOTE_HEAD));
        }
        if (FULL_SHA.matcher(revision).matches()) {
            ObjectId id = ObjectId.fromString(revision);
            return repository.getObjectDatabase().has(id) ? id : null;
        }
        List<String> candidates = revision.startsWith("refs/heads/")
                ? List.of("refs/remotes/origin/" + revision.substring("refs/heads/".length()))
                : revision.startsWith("refs/tags/")
                        ? List.of(revision)
                        : List.of("refs/remotes/origin/" + revision, "refs/tags/" + revision);
        for (String name : candidates) {
            ObjectId id = peel(repository, repository.exactRef(name));
            if (id != null) {
                return id;
            }
        }
        if (SHORT_SHA.matcher(revision).matches()) {
            return repository.resolve(revision + "^{commit}");
        }
        return null;
    }

    private static ObjectId peel(Repository repository, Ref ref) throws IOException {
        if (ref == null) {
            return null;
        }
        Ref peeled = repository.getRefDatabase().peel(ref);
        return peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
    }

    /** JGit's messages along the cause chain, without the URL it repeats at every level. */
    private static String describe(Exception e, String url) {
        StringBuilder message = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String text = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            text = text.replace(url + ": ", "")
                    .replace(RepoUrls.redact(url) + ": ", "")
                    .strip();
            if (!text.isEmpty() && !message.toString().contains(text)) {
                message.append(message.length() == 0 ? "" : ": ").append(text);
            }
        }
        return message.toString();
    }

    static String dirName(String normalizedUrl) {
        String readable = normalizedUrl.replaceAll("[^A-Za-z0-9._-]+", "_");
        if (readable.length() > 60) {
            readable = readable.substring(readable.length() - 60);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(normalizedUrl.getBytes(StandardCharsets.UTF_8));
            return readable + "-" + HexFormat.of().formatHex(hash, 0, 6) + ".git";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
