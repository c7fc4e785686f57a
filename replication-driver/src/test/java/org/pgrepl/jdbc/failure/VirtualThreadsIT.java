package org.pgrepl.jdbc.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;

/**
 * 1,000 virtual threads (JDK 21+; this machine has Temurin 25) read through one HikariCP pool of
 * pgrepl connections while a replica is killed with SIGKILL midway: no read fails (a read-only
 * autocommit read that meets the broken connection is retried once elsewhere) and nothing hangs.
 * Runs in a child JVM of that JDK, since the build runs on 17; skipped, saying so, where no JDK 21+
 * is found ({@code PGREPL_JDK21}, else /usr/lib/jvm/temurin-25-jdk-amd64).
 */
class VirtualThreadsIT {
    private static Path jdk() {
        String env = System.getenv("PGREPL_JDK21");
        Path p = Path.of(env != null ? env : "/usr/lib/jvm/temurin-25-jdk-amd64", "bin", "java");
        return Files.isExecutable(p) ? p : null;
    }

    @Test
    void aThousandVirtualThreadsReadThroughAPoolWhileAReplicaIsKilled() throws Exception {
        Path java = jdk();
        Assumptions.assumeTrue(java != null, "no JDK 21+ found (set PGREPL_JDK21 to its home): virtual threads need one");
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().replicas(2).start()) {
            List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                    VirtualThreadsMain.class.getName(),
                    cluster.pgreplUrl() + "?monitorInterval=200ms&connectTimeout=2", cluster.user(), cluster.password(),
                    "1000", "20"));
            Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            List<String> output = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (output) {
                            output.add(line);
                        }
                    }
                } catch (Exception ignored) {
                    // the child ended
                }
            });
            reader.start();
            for (int i = 0; i < 300 && output.stream().noneMatch(l -> l.contains("STARTED")); i++) {
                Thread.sleep(100);
            }
            Thread.sleep(300);
            cluster.kill(cluster.server("replica1"));
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child finished").isTrue();
            reader.join(5_000);
            String result = output.stream().filter(l -> l.startsWith("RESULT")).findFirst().orElse(String.join("\n", output));
            System.out.println("VirtualThreadsIT (" + java + "): " + result);
            assertThat(result).contains("ok=20000", "failed=0");
        }
    }
}
