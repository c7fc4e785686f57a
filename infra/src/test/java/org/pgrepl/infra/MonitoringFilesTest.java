package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Static checks of the monitoring files: {@code promtool check rules} and {@code check config}
 * pass on the shipped files (skipped, saying so, without Debian's prometheus); the compose file
 * mounts files that exist at the paths Prometheus and Grafana's provisioning expect; the Grafana
 * dashboard is valid JSON whose panels all query the provisioned data source; the launcher's
 * packaged copies are the shipped files byte for byte; no secret is written anywhere.
 */
@SuppressWarnings("unchecked")
class MonitoringFilesTest {
    private static final Path INFRA = Path.of("").toAbsolutePath();
    private static Map<String, Object> services;
    private static String composeText;

    @BeforeAll
    static void load() throws IOException {
        composeText = Files.readString(INFRA.resolve("docker-compose.monitoring.yml"));
        services = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(composeText)).get("services");
    }

    private static Map<String, Object> service(String name) {
        return (Map<String, Object>) services.get(name);
    }

    private static List<String> volumes(String name) {
        List<String> v = (List<String>) service(name).get("volumes");
        return v == null ? List.of() : v;
    }

    @Test
    void promtoolAcceptsTheRulesAndTheConfigWithTheComposeTargets() throws IOException {
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool),
                "skipped: promtool missing (Debian package prometheus; .ci/run installs it)");
        String rules = Commands.check(List.of(promtool.toString(), "check", "rules",
                INFRA.resolve("prometheus/rules/pgrepl-alerts.yml").toString()), Map.of(), Duration.ofSeconds(30));
        assertThat(rules).contains("SUCCESS: 5 rules found");
        // Laid out as the compose file mounts it: /etc/prometheus/{prometheus.yml,rules/,targets/}.
        Path etc = Files.createTempDirectory("pgrepl-promtool");
        try {
            Files.copy(INFRA.resolve("prometheus/prometheus.yml"), etc.resolve("prometheus.yml"));
            copyDir(INFRA.resolve("prometheus/rules"), etc.resolve("rules"));
            copyDir(INFRA.resolve("prometheus/compose-targets"), etc.resolve("targets"));
            String config = Commands.check(List.of(promtool.toString(), "check", "config",
                    etc.resolve("prometheus.yml").toString()), Map.of(), Duration.ofSeconds(30));
            assertThat(config).contains("is valid prometheus config file syntax").contains("SUCCESS: 5 rules found");
        } finally {
            BundledBinaries.deleteTree(etc);
        }
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    @Test
    void composeHasAnExporterPerServerPrometheusGrafanaAndTheApp() {
        assertThat(services.keySet()).containsExactlyInAnyOrder("exporter-main", "exporter-slave", "prometheus", "grafana", "app");
        for (String exporter : List.of("exporter-main", "exporter-slave")) {
            Map<String, Object> env = (Map<String, Object>) service(exporter).get("environment");
            assertThat(env.get("DATA_SOURCE_URI").toString()).startsWith(exporter.equals("exporter-main") ? "db-main:5432/" : "db-slave:5432/");
            assertThat(env.get("DATA_SOURCE_PASS").toString()).startsWith("${POSTGRES_PASSWORD");
            assertThat(volumes(exporter)).contains("./postgres-exporter/queries.yml:/etc/postgres-exporter/queries.yml:ro");
        }
        assertThat(volumes("prometheus")).contains("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                "./prometheus/rules:/etc/prometheus/rules:ro", "./prometheus/compose-targets:/etc/prometheus/targets:ro");
        assertThat(volumes("grafana")).contains("./grafana/provisioning:/etc/grafana/provisioning:ro",
                "./grafana/dashboards:/var/lib/grafana/dashboards:ro");
        // Images by their short names (no registry host).
        for (String name : services.keySet()) {
            String image = String.valueOf(service(name).get("image"));
            if (image.contains("/")) {
                assertThat(image.substring(0, image.indexOf('/'))).as(name).doesNotContain(".").doesNotContain(":");
            }
        }
    }

    @Test
    void everyMountedPathExistsAndProvisioningPointsAtTheMounts() throws IOException {
        for (String name : services.keySet()) {
            for (String v : volumes(name)) {
                String source = v.split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(INFRA.resolve(source)).as("mounted by %s", name).exists();
                }
            }
        }
        Map<String, Object> dashboards = new Yaml().load(Files.readString(INFRA.resolve("grafana/provisioning/dashboards/pgrepl.yml")));
        Map<String, Object> provider = ((List<Map<String, Object>>) dashboards.get("providers")).get(0);
        assertThat(((Map<String, Object>) provider.get("options")).get("path")).isEqualTo("/var/lib/grafana/dashboards");
        Map<String, Object> sources = new Yaml().load(Files.readString(INFRA.resolve("grafana/provisioning/datasources/prometheus.yml")));
        Map<String, Object> prometheus = ((List<Map<String, Object>>) sources.get("datasources")).get(0);
        assertThat(prometheus).containsEntry("type", "prometheus").containsEntry("uid", "prometheus")
                .containsEntry("url", "http://prometheus:9090");
        // Compose targets: the exporters and the app service on their container ports.
        String targets = Files.readString(INFRA.resolve("prometheus/compose-targets/postgres.json"));
        assertThat(targets).contains("exporter-main:9187", "exporter-slave:9187", "\"server_port\": \"5432\"");
        assertThat(Files.readString(INFRA.resolve("prometheus/compose-targets/pgrepl-app.json"))).contains("app:8080");
    }

    @Test
    void theDashboardIsValidJsonWithThePanelsTheIssueAsksFor() throws IOException {
        Map<String, Object> dash = new Yaml().load(Files.readString(INFRA.resolve("grafana/dashboards/pgrepl.json")));
        List<Map<String, Object>> panels = (List<Map<String, Object>>) dash.get("panels");
        List<String> titles = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        for (Map<String, Object> p : panels) {
            titles.add((String) p.get("title"));
            assertThat((Map<String, Object>) p.get("datasource")).containsEntry("uid", "prometheus");
            List<Map<String, Object>> targets = (List<Map<String, Object>>) p.get("targets");
            assertThat(targets).as(p.get("title").toString()).isNotEmpty();
            targets.forEach(t -> exprs.add((String) t.get("expr")));
        }
        assertThat(String.join("\n", titles)).contains("Replication lag per replica", "routed, by target and reason",
                "Read-your-writes waits", "pool usage (HikariCP)", "Host roles over time");
        String all = String.join("\n", exprs);
        // Server side and client side of the lag, side by side; the rest from pgrepl and HikariCP.
        assertThat(all).contains("pg_standby_replay_lag_seconds", "pgrepl_host_lag_seconds", "pgrepl_route_total",
                "pgrepl_ryw_wait_seconds_count", "hikaricp_connections_active", "pgrepl_host_up");
    }

    @Test
    void theLaunchersCopiesAreTheShippedFilesAndNoSecretIsWritten() throws IOException {
        for (String f : List.of(MonitoringStack.PROMETHEUS_YML, MonitoringStack.QUERIES_YML,
                MonitoringStack.RULES_DIR + "/" + MonitoringStack.PACKAGED_RULES.get(0))) {
            assertThat(MonitoringStack.read(null, f)).as(f).isEqualTo(Files.readString(INFRA.resolve(f)));
        }
        try (var rules = Files.list(INFRA.resolve(MonitoringStack.RULES_DIR))) {
            assertThat(rules.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrderElementsOf(MonitoringStack.PACKAGED_RULES);
        }
        assertThat(composeText).doesNotContain("change-me").doesNotContainPattern("(?i)password\\s*[:=]\\s*[A-Za-z0-9]");
        for (String f : List.of("grafana/dashboards/pgrepl.json", "prometheus/rules/pgrepl-alerts.yml",
                "postgres-exporter/queries.yml", "grafana/provisioning/datasources/prometheus.yml")) {
            assertThat(Files.readString(INFRA.resolve(f))).as(f).doesNotContainPattern("(?i)password\\s*[:=]");
        }
    }
}
