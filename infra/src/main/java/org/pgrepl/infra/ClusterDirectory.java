package org.pgrepl.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * The temporary directory of one cluster: {@code <tmp>/pgrepl-cluster-*}, holding a pid file of
 * the JVM that started it and one data directory per server. A JVM killed with SIGKILL runs no
 * shutdown hook, so every start first removes the clusters whose JVM is gone: it kills the
 * postgres processes their {@code postmaster.pid} files name, then deletes the directories.
 */
final class ClusterDirectory {
    static final String PREFIX = "pgrepl-cluster-";
    private static final String OWNER_PID = "launcher.pid";
    private static final System.Logger LOG = System.getLogger(ClusterDirectory.class.getName());

    private ClusterDirectory() {
    }

    /** Creates a new cluster directory, readable by the server user, after removing stale ones. */
    static Path create(ServerUser user) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        removeStale(tmp);
        Path dir = Files.createTempDirectory(tmp, PREFIX);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve(OWNER_PID), Long.toString(ProcessHandle.current().pid()));
        Files.createDirectories(dir.resolve("sock"));
        user.own(dir);
        return dir;
    }

    static void removeStale(Path tmp) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path dir : dirs) {
                if (ownerAlive(dir)) {
                    continue;
                }
                LOG.log(System.Logger.Level.INFO, "removing cluster left behind by a dead JVM: {0}", dir);
                try (DirectoryStream<Path> processes = Files.newDirectoryStream(dir, "*" + PROCESS_PID)) {
                    for (Path pidFile : processes) {
                        killRemembered(pidFile);
                    }
                }
                try (DirectoryStream<Path> servers = Files.newDirectoryStream(dir)) {
                    for (Path server : servers) {
                        killPostmaster(server.resolve("postmaster.pid"));
                    }
                }
                try {
                    BundledBinaries.deleteTree(dir);
                } catch (IOException | UncheckedIOException e) {
                    // Another JVM (its owner's close(), or another start's cleanup) is deleting it
                    // at the same time: that must not fail this start.
                    LOG.log(System.Logger.Level.INFO, "stale cluster " + dir + " went away while removed: " + e.getMessage());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot clean stale clusters in " + tmp + ": " + e.getMessage());
        }
    }

    private static boolean ownerAlive(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve(OWNER_PID)).strip());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            // no pid file yet: a cluster being created right now by another JVM; leave it alone
            // unless it is old enough to be abandoned.
            try {
                return Files.getLastModifiedTime(dir).toMillis() > System.currentTimeMillis() - 600_000;
            } catch (IOException ex) {
                return true;
            }
        }
    }

    private static final String PROCESS_PID = ".process.pid";

    /** Notes a long-running helper process (etcd, Patroni), so a later start can kill it if this JVM dies. */
    static void rememberProcess(Path dir, String name, Process p) throws IOException {
        Files.writeString(dir.resolve(name + PROCESS_PID), p.pid() + " " + p.info().startInstant().map(Object::toString).orElse(""));
    }

    private static void killRemembered(Path pidFile) {
        try {
            String[] parts = Files.readString(pidFile).strip().split(" ", 2);
            ProcessHandle.of(Long.parseLong(parts[0])).filter(ProcessHandle::isAlive)
                    .filter(h -> parts.length < 2 || h.info().startInstant().map(Object::toString).orElse("").equals(parts[1]))
                    .ifPresent(ClusterDirectory::killTree);
        } catch (IOException | RuntimeException e) {
            // unreadable or gone: nothing to kill
        }
    }

    /** SIGKILLs the postmaster a pid file names, and its children, if it is still a postgres process. */
    static void killPostmaster(Path pidFile) {
        postmaster(pidFile).ifPresent(ClusterDirectory::killTree);
    }

    static Optional<ProcessHandle> postmaster(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** SIGKILL to a process and all its descendants; waits until they are gone. */
    static void killTree(ProcessHandle root) {
        List<ProcessHandle> all = new java.util.ArrayList<>(root.descendants().toList());
        boolean ourChild = root.parent().map(p -> p.pid() == ProcessHandle.current().pid()).orElse(false);
        if (ourChild) {
            // Our child (often runuser) first outlives its descendants so it reaps them at once:
            // an orphan goes to init, and a container's init may leave it a zombie for seconds.
            java.util.Collections.reverse(all);
            all.forEach(ProcessHandle::destroyForcibly);
            try {
                root.onExit().get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // still running: killed below
            }
            root.destroyForcibly();
            all.add(root);
        } else {
            // A detached postmaster: killed first, so it does not restart after its children die.
            all.add(0, root);
            all.forEach(ProcessHandle::destroyForcibly);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (all.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
