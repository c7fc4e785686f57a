package org.pgrepl.infra;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Clones a replica's data directory from the running primary: with {@code pg_basebackup} where
 * the binaries have it, else with the low-level backup API ({@code pg_backup_start}, a file copy,
 * {@code pg_backup_stop} and the returned {@code backup_label}), which needs nothing but a SQL
 * connection. Either way the replica then streams the WAL it lacks through its slot, which was
 * created with reserved WAL before the clone began.
 */
final class ReplicaCloner {
    /** Directories whose contents a clone must not take (server-local or rebuilt at start). */
    private static final Set<String> EMPTY_DIRS = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem",
            "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");
    /** Files that describe the source server's process or state, not the data. */
    private static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
            "tablespace_map", "standby.signal", "recovery.signal", "pg_internal.init");

    private final PgBinaries binaries;
    private final ServerUser user;

    ReplicaCloner(PgBinaries binaries, ServerUser user) {
        this.binaries = binaries;
        this.user = user;
    }

    /** True when this clone uses pg_basebackup. */
    boolean usesBaseBackup() {
        return binaries.has("pg_basebackup");
    }

    void clone(Server primary, Path target, String slot, Connection superuser, Path passFile) throws IOException, SQLException {
        if (usesBaseBackup()) {
            Commands.check(user.command(List.of(binaries.tool("pg_basebackup"), "-h", primary.host(),
                            "-p", String.valueOf(primary.port()), "-U", "replicator", "-D", target.toString(),
                            "-X", "stream", "-S", slot, "--checkpoint=fast", "--no-password")),
                    Map.of("PGPASSFILE", passFile.toString()), Duration.ofMinutes(5));
        } else {
            lowLevelClone(primary, target, superuser);
        }
    }

    private void lowLevelClone(Server primary, Path target, Connection c) throws IOException, SQLException {
        boolean modern = binaries.majorVersion() >= 15;
        try (Statement s = c.createStatement()) {
            // Non-exclusive backup: start and stop must run on this same session.
            s.execute(modern ? "SELECT pg_backup_start('pgrepl clone', true)"
                    : "SELECT pg_start_backup('pgrepl clone', true, false)");
            copyTree(primary.dataDir(), target);
            String label;
            String spcmap;
            try (ResultSet rs = s.executeQuery(modern ? "SELECT labelfile, spcmapfile FROM pg_backup_stop(false)"
                    : "SELECT labelfile, spcmapfile FROM pg_stop_backup(false, false)")) {
                rs.next();
                label = rs.getString(1);
                spcmap = rs.getString(2);
            }
            Files.writeString(target.resolve("backup_label"), label);
            if (spcmap != null && !spcmap.isBlank()) {
                Files.writeString(target.resolve("tablespace_map"), spcmap);
            }
        }
        Files.createDirectories(target.resolve("pg_wal").resolve("archive_status"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        user.own(target);
    }

    private static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                boolean topLevel = source.equals(dir.getParent());
                return topLevel && EMPTY_DIRS.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = file.getFileName().toString();
                boolean skip = SKIPPED_FILES.contains(name) || name.startsWith("pgsql_tmp");
                if (!skip && attrs.isRegularFile()) {
                    try {
                        Files.copy(file, target.resolve(source.relativize(file).toString()),
                                StandardCopyOption.REPLACE_EXISTING);
                    } catch (NoSuchFileException e) {
                        // removed while copying (a temporary file): the WAL replay recreates what matters
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }
}
