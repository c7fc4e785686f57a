package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The monitoring launcher with Debian's binaries: from configuration in a 0700 directory (as a
 * checkout in a private home directory is) it runs, because it copies what the processes read
 * into its own directory; a broken rules file fails the start naming Prometheus, the cause and
 * its log; close leaves no process and no directory. Skipped, saying so, without the packages.
 */
@ExtendWith(PgClusterExtension.class)
class MonitoringStackIT {
    private static final Path INFRA = Path.of("").toAbsolutePath();

    @BeforeEach
    void needsTheBinaries() {
        Assumptions.assumeTrue(MonitoringStack.missing() == null,
                () -> "skipped: MonitoringStackIT " + MonitoringStack.missing() + "; .ci/run installs them");
    }

    /** The shipped files in a fresh directory only this JVM's user can enter. */
    private static Path privateSource() throws IOException {
        Path dir = Files.createTempDirectory("pgrepl-private-checkout",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        for (String f : List.of(MonitoringStack.PROMETHEUS_YML, MonitoringStack.QUERIES_YML,
                MonitoringStack.RULES_DIR + "/pgrepl-alerts.yml")) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.copy(INFRA.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    @Test
    void runsFromAConfigurationItsUserCannotReadAndLeavesNothingBehind(EmbeddedCluster cluster) throws IOException {
        Path source = privateSource();
        Path dir;
        List<ProcessHandle> processes;
        try (MonitoringStack stack = MonitoringStack.builder(cluster).configSource(source).interval(Duration.ofSeconds(1)).start()) {
            dir = stack.directory();
            PrometheusApi api = stack.api();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> api.query("pg_up == 1").size() == cluster.servers().size());
            assertThat(api.query("pg_standby_in_recovery == 1")).hasSize(cluster.replicas().size());
            assertThat(api.query("pg_slot_active == 1")).hasSize(cluster.replicas().size());
            assertThat(api.query("pg_up").get(0).labels()).containsKeys("server", "server_address", "server_port");
            processes = ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("")
                    .contains(dir.toString())).toList();
            assertThat(processes).isNotEmpty();
        } finally {
            BundledBinaries.deleteTree(source);
        }
        assertThat(dir).doesNotExist();
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aBrokenRulesFileFailsNamingPrometheusTheCauseAndItsLog(EmbeddedCluster cluster) throws IOException {
        Path source = privateSource();
        try {
            Files.writeString(source.resolve(MonitoringStack.RULES_DIR + "/pgrepl-alerts.yml"),
                    "groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: sum(\n");
            assertThatThrownBy(() -> MonitoringStack.builder(cluster).configSource(source).start())
                    .isInstanceOf(ClusterStartException.class)
                    .hasMessageContaining("prometheus did not start: it exited with code")
                    .hasMessageContaining("prometheus.log")
                    .hasMessageContaining("pgrepl-alerts.yml");
        } finally {
            BundledBinaries.deleteTree(source);
        }
    }

    @Test
    void anUnreadableSourceNamesTheFile(EmbeddedCluster cluster) {
        Path nowhere = INFRA.resolve("target/no-such-monitoring-config");
        assertThatThrownBy(() -> MonitoringStack.builder(cluster).configSource(nowhere).start())
                .isInstanceOf(ClusterStartException.class)
                .hasMessageContaining(nowhere.resolve(MonitoringStack.PROMETHEUS_YML).toString());
    }
}
