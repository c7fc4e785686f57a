package org.pgrepl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;

/** The self-contained jar works alone on a plain {@code java -cp} and runs the status command. */
@ExtendWith(PgClusterExtension.class)
class AllJarIT {
    private static Path allJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("replication-driver-.*-all\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no -all jar in target/: run mvn package first"));
        }
    }

    private static String run(List<String> command, String password) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PGREPL_TEST_PASSWORD", password);
        pb.environment().put("PGPASSWORD", password);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out + "\nexit=" + p.exitValue();
    }

    @Test
    void aFreshJvmWithOnlyTheAllJarReadsFromAReplica(EmbeddedCluster cluster) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = allJar() + File.pathSeparator + Path.of("target", "test-classes");
        String out = run(List.of(java, "-cp", cp, AllJarMain.class.getName(), cluster.pgreplUrl(), cluster.user()),
                cluster.password());
        assertThat(out).contains("SERVED in_recovery=true").contains("exit=0");
        int port = Integer.parseInt(out.replaceAll("(?s).*port=(\\d+).*", "$1"));
        assertThat(cluster.replicas().stream().map(s -> s.port())).contains(port);
    }

    @Test
    void theStatusCommandPrintsTheTopology(EmbeddedCluster cluster) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = run(List.of(java, "-jar", allJar().toString(), "status",
                cluster.pgreplUrl() + "?user=" + cluster.user()), cluster.password());
        assertThat(out).contains("host").contains("role").contains("lag bytes").contains("exit=0")
                .doesNotContain(cluster.password());
        assertThat(out).containsPattern(cluster.primary().hostAndPort() + "\\s+primary\\s+up");
        for (var r : cluster.replicas()) {
            assertThat(out).containsPattern(r.hostAndPort() + "\\s+replica\\s+streaming\\s+0");
        }
    }
}
