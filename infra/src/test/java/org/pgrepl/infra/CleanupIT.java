package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Close, and a JVM that dies, leave no server process and no directory behind. */
class CleanupIT {
    @Test
    void closeStopsEveryServerAndDeletesTheDirectory() {
        EmbeddedCluster cluster = EmbeddedCluster.builder().replicas(1).start();
        Path dir = cluster.primary().dataDir().getParent();
        assertThat(dir).isDirectory();
        cluster.close();
        assertThat(dir).doesNotExist();
        cluster.servers().forEach(s -> assertThat(cluster.isRunning(s)).isFalse());
    }

    /** A SIGKILLed JVM runs no shutdown hook; the next start removes what it left. */
    @Test
    void theNextStartRemovesWhatAKilledJvmLeft() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OrphanClusterMain.class.getName()).redirectErrorStream(true).start();
        Path dir;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            String found = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("CLUSTER_DIR=")) {
                    found = line.substring("CLUSTER_DIR=".length());
                    break;
                }
            }
            assertThat(found).as("child JVM reported its cluster directory").isNotNull();
            dir = Path.of(found);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        Path pidFile = dir.resolve("primary").resolve("postmaster.pid");
        assertThat(ClusterDirectory.postmaster(pidFile)).as("orphaned postmaster still alive").isPresent();
        ProcessHandle orphan = ClusterDirectory.postmaster(pidFile).orElseThrow();

        try (EmbeddedCluster next = EmbeddedCluster.builder().replicas(0).start()) {
            assertThat(next.primary().dataDir()).isDirectory();
        }
        assertThat(dir).doesNotExist();
        assertThat(orphan.isAlive()).isFalse();
        assertThat(Files.exists(pidFile)).isFalse();
    }

    /** Started in a child JVM that the test then kills with SIGKILL. */
    public static final class OrphanClusterMain {
        public static void main(String[] args) throws Exception {
            EmbeddedCluster cluster = EmbeddedCluster.builder().replicas(0).start();
            System.out.println("CLUSTER_DIR=" + cluster.primary().dataDir().getParent());
            System.out.flush();
            Thread.sleep(600_000);
        }
    }
}
