package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The pair plus docker-compose.monitoring.yml under a real Docker engine: Prometheus scrapes both
 * exporters and Grafana has the provisioned dashboard. Skipped, saying so, where there is none.
 */
class ComposeMonitoringIT {
    @Test
    void prometheusScrapesBothExportersAndGrafanaHasTheDashboard() throws Exception {
        ComposeEnv.assumeDocker("SKIPPED ComposeMonitoringIT: no Docker engine reachable on this machine, so"
                + " infra/docker-compose.monitoring.yml cannot be started here; PrometheusStackIT (pgrepl-micrometer)"
                + " runs the same Prometheus and exporter files with Debian's binaries.");
        try (ComposeEnv env = ComposeEnv.prepare();
             ComposeContainer compose = new ComposeContainer(new File("docker-compose.yml"), new File("docker-compose.monitoring.yml"))
                     .withExposedService("db-main", 5432, Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)))
                     .withExposedService("prometheus", 9090)
                     .withExposedService("grafana", 3000)) {
            compose.start();
            HttpClient http = HttpClient.newHttpClient();
            String prometheus = "http://" + compose.getServiceHost("prometheus", 9090) + ":" + compose.getServicePort("prometheus", 9090);
            Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> http.send(HttpRequest.newBuilder(
                    URI.create(prometheus + "/api/v1/query?query=sum(pg_up)")).build(), HttpResponse.BodyHandlers.ofString())
                    .body().contains("\"2\""));
            String grafana = "http://" + compose.getServiceHost("grafana", 3000) + ":" + compose.getServicePort("grafana", 3000);
            String auth = java.util.Base64.getEncoder().encodeToString(("admin:" + env.grafanaPassword()).getBytes());
            Awaitility.await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(
                    URI.create(grafana + "/api/dashboards/uid/pgrepl")).header("Authorization", "Basic " + auth).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200));
        }
    }
}
