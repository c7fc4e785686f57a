package org.pgrepl.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the PostgreSQL server binaries come from, in this order: {@code PGREPL_PG_BIN} (or the
 * builder's option; the value {@code bundled} forces the Maven Central bundle), else this
 * machine's installation ({@code pg_config --bindir}, {@code /usr/lib/postgresql/<v>/bin},
 * {@code PATH}), else the Maven Central bundle.
 *
 * @param binDir        directory holding at least initdb, pg_ctl and postgres
 * @param source        where it came from, for messages
 * @param majorVersion  the server's major version
 */
record PgBinaries(Path binDir, String source, int majorVersion) {
    /** Environment variable selecting the binaries: a directory, or {@code bundled}. */
    static final String ENV = "PGREPL_PG_BIN";
    static final String BUNDLED = "bundled";
    private static final List<String> REQUIRED = List.of("initdb", "pg_ctl", "postgres");

    /** Resolves the binaries; {@code option} (from the builder) wins over the environment. */
    static PgBinaries resolve(String option) {
        String choice = option != null ? option : System.getenv(ENV);
        if (choice != null && !choice.isBlank()) {
            if (BUNDLED.equalsIgnoreCase(choice.strip())) {
                return of(BundledBinaries.unpack(), "Maven Central bundle (forced with " + BUNDLED + ")");
            }
            Path dir = Path.of(choice.strip());
            if (!complete(dir)) {
                throw new ClusterStartException(ENV + " names " + dir + ", which does not hold " + REQUIRED
                        + "; give a PostgreSQL bin directory, or '" + BUNDLED + "' for the Maven Central bundle");
            }
            return of(dir, ENV);
        }
        return machine().map(dir -> of(dir, "this machine"))
                .orElseGet(() -> of(BundledBinaries.unpack(), "Maven Central bundle (no PostgreSQL on this machine)"));
    }

    /** True when the tool exists here (the Maven Central bundle has no pg_basebackup, for one). */
    boolean has(String tool) {
        return Files.isExecutable(binDir.resolve(tool));
    }

    /** Absolute path of a tool. */
    String tool(String name) {
        return binDir.resolve(name).toAbsolutePath().toString();
    }

    private static PgBinaries of(Path dir, String source) {
        String out = Commands.check(List.of(dir.resolve("postgres").toString(), "--version"), Map.of(), Duration.ofSeconds(30));
        Matcher m = Pattern.compile("\\(PostgreSQL\\) (\\d+)").matcher(out);
        if (!m.find()) {
            throw new ClusterStartException("cannot read the version of " + dir.resolve("postgres") + ": " + out.strip());
        }
        return new PgBinaries(dir, source, Integer.parseInt(m.group(1)));
    }

    private static Optional<Path> machine() {
        try {
            Commands.Result r = Commands.run(List.of("pg_config", "--bindir"), Map.of(), Duration.ofSeconds(10));
            Path dir = Path.of(r.output().strip());
            if (r.exitCode() == 0 && complete(dir)) {
                return Optional.of(dir);
            }
        } catch (ClusterStartException | java.nio.file.InvalidPathException e) {
            // no pg_config on the PATH: look further
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin")).filter(PgBinaries::complete)
                        .max(Comparator.comparingInt(PgBinaries::versionOf));
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException e) {
                // unreadable: look further
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (!d.isBlank() && complete(Path.of(d))) {
                    return Optional.of(Path.of(d));
                }
            }
        }
        return Optional.empty();
    }

    private static int versionOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean complete(Path dir) {
        return REQUIRED.stream().allMatch(t -> Files.isExecutable(dir.resolve(t)));
    }
}
