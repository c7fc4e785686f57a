package org.pgrepl.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The example service as the README runs it: a visit POSTed on the primary is read back on the replica. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PatientServiceApplicationIT {
    private static final EmbeddedCluster CLUSTER = EmbeddedCluster.builder().replicas(1).start();

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    private Environment environment;

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> CLUSTER.pgreplUrl() + "?readConsistency=process");
        registry.add("spring.datasource.username", CLUSTER::user);
        registry.add("spring.datasource.password", CLUSTER::password);
    }

    @AfterAll
    static void stopCluster() {
        CLUSTER.close();
    }

    @Test
    void aVisitWrittenOnThePrimaryIsReadBackOnTheReplicaByTheNextRequest() throws Exception {
        HttpResponse<String> written = send(HttpRequest.newBuilder(uri("/patients/7/visits"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"check-up\"}")));
        assertThat(written.statusCode()).isEqualTo(200);
        assertThat(servedBy(written)).isEqualTo(CLUSTER.primary().port());
        String id = written.body().replaceAll(".*\"id\":(\\d+).*", "$1");

        HttpResponse<String> read = send(HttpRequest.newBuilder(uri("/visits/" + id)).GET());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"reason\":\"check-up\"").contains("\"patientId\":7");
        assertThat(servedBy(read)).isIn(CLUSTER.replicas().get(0).port(), CLUSTER.primary().port());

        HttpResponse<String> list = send(HttpRequest.newBuilder(uri("/patients/7/visits")).GET());
        assertThat(list.body()).contains("\"id\":" + id);
        assertThat(servedBy(list)).isEqualTo(CLUSTER.replicas().get(0).port());

        HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/actuator/health/pgrepl")).GET());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains(CLUSTER.primary().hostAndPort(), CLUSTER.replicas().get(0).hostAndPort());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + environment.getProperty("local.server.port") + path);
    }

    private static int servedBy(HttpResponse<String> response) {
        return Integer.parseInt(response.headers().firstValue(VisitController.SERVED_BY).orElse("-1"));
    }
}
