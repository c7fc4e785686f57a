package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Launchers work from any checkout: a JVM whose working directory is a 0700 directory the server
 * user cannot enter (a private home directory, a {@code mktemp -d} folder), with the monitoring
 * configuration read from inside it, starts an embedded cluster, a PgBouncer per server, the
 * monitoring stack and a Patroni cluster (each where its packages are installed; the child says
 * which it skipped), because every launcher copies what its processes read into the directory it
 * owns and runs them there.
 */
class PrivateCheckoutIT {
    private static final Path INFRA = Path.of("").toAbsolutePath();

    @Test
    void everyLauncherStartsFromAPrivateWorkingDirectory() throws Exception {
        Path checkout = Files.createTempDirectory("pgrepl-private-checkout",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            for (String f : List.of(MonitoringStack.PROMETHEUS_YML, MonitoringStack.QUERIES_YML,
                    MonitoringStack.RULES_DIR + "/pgrepl-alerts.yml")) {
                Files.createDirectories(checkout.resolve("infra").resolve(f).getParent());
                Files.copy(INFRA.resolve(f), checkout.resolve("infra").resolve(f));
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = checkout.resolve("child.log");
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    PrivateCheckoutMain.class.getName(), checkout.resolve("infra").toString())
                    .directory(checkout.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = child.waitFor(240, TimeUnit.SECONDS);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(out.lines().filter(l -> l.startsWith("OK ") || l.startsWith("SKIPPED ")).toList());
            if (!done) {
                child.destroyForcibly();
            }
            assertThat(done).as("child finished; its output:\n" + out).isTrue();
            assertThat(child.exitValue()).as("child exit code; its output:\n" + out).isZero();
            assertThat(out).contains("OK embedded cluster");
            for (String part : List.of("pgbouncer", "monitoring stack", "patroni")) {
                assertThat(out).containsAnyOf("OK " + part, "SKIPPED " + part);
            }
        } finally {
            BundledBinaries.deleteTree(checkout);
        }
    }

    /** The child JVM: started in the private directory; arg 0 is the infra copy inside it. */
    public static final class PrivateCheckoutMain {
        public static void main(String[] args) throws Exception {
            List<String> skipped = new ArrayList<>();
            try (EmbeddedCluster cluster = EmbeddedCluster.builder().replicas(1).start()) {
                try (Connection c = cluster.connect(cluster.primary())) {
                    Sql.execute(c, "CREATE TABLE private_checkout (id int)");
                }
                cluster.awaitReplication();
                System.out.println("OK embedded cluster " + cluster.servers());
                if (PgBouncerFront.available()) {
                    try (PgBouncerFront front = PgBouncerFront.start(cluster, PgBouncerFront.PoolMode.SESSION)) {
                        System.out.println("OK pgbouncer " + front);
                    }
                } else {
                    skipped.add("pgbouncer (needs Debian's pgbouncer)");
                }
                if (MonitoringStack.missing() == null) {
                    try (MonitoringStack stack = MonitoringStack.builder(cluster).configSource(Path.of(args[0])).start()) {
                        System.out.println("OK monitoring stack " + stack);
                    }
                } else {
                    skipped.add("monitoring stack (" + MonitoringStack.missing() + ")");
                }
            }
            if (PatroniCluster.available()) {
                try (PatroniCluster patroni = PatroniCluster.start(3, false)) {
                    System.out.println("OK patroni leader " + patroni.leader());
                }
            } else {
                skipped.add("patroni (" + PatroniCluster.missing() + ")");
            }
            skipped.forEach(s -> System.out.println("SKIPPED " + s));
            System.exit(0);
        }
    }
}
