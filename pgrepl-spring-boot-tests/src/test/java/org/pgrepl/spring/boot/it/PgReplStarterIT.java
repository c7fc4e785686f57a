package org.pgrepl.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter in a running Boot application (the same class runs on Boot 4.0 and 3.5): the only
 * database configuration is {@code spring.datasource.url} and credentials. One Spring context on a
 * cluster of the test's own (a primary and one replica), because the last test stops the replica.
 */
@SpringBootTest(classes = NotesApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=health,prometheus",
                "management.endpoint.health.show-details=always",
                // Boot 3.5's test support turns metrics export off unless asked (Boot 4 does not).
                "management.prometheus.metrics.export.enabled=true"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgReplStarterIT {
    private static final EmbeddedCluster CLUSTER = EmbeddedCluster.builder().replicas(1).start();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    private Environment environment;
    @Autowired
    private DataSource dataSource;
    @Autowired
    private Flyway flyway;
    @Autowired
    private DSLContext dsl;

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        // readConsistency=process: a read in one request waits for the write of an earlier one.
        registry.add("spring.datasource.url", () -> CLUSTER.pgreplUrl() + "?readConsistency=process");
        registry.add("spring.datasource.username", CLUSTER::user);
        registry.add("spring.datasource.password", CLUSTER::password);
    }

    @AfterAll
    static void stopCluster() {
        CLUSTER.close();
    }

    private static int primaryPort() {
        return CLUSTER.primary().port();
    }

    private static int replicaPort() {
        return CLUSTER.replicas().get(0).port();
    }

    @Test
    @Order(1)
    void theDataSourceIsHikariOverThePgreplDriverAndNothingElseChanged() {
        assertThat(dataSource).isInstanceOf(HikariDataSource.class);
        HikariDataSource hikari = (HikariDataSource) dataSource;
        assertThat(hikari.getDriverClassName()).isEqualTo("org.pgrepl.jdbc.Driver");
        assertThat(hikari.getJdbcUrl()).isEqualTo(CLUSTER.pgreplUrl() + "?readConsistency=process");
        assertThat(hikari.getUsername()).isEqualTo(CLUSTER.user());
        // Boot's defaults, untouched by the starter.
        assertThat(hikari.isReadOnly()).isFalse();
        assertThat(hikari.isAutoCommit()).isTrue();
    }

    @Test
    @Order(2)
    void flywayMigratedThroughThePgreplUrlAndJooqSpeaksPostgres() {
        assertThat(flyway.info().current()).isNotNull();
        assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo("1");
        assertThat(dsl.dialect().family()).isEqualTo(SQLDialect.POSTGRES);
        // The migration ran on the primary and reached the replica by replication.
        CLUSTER.awaitReplication();
        assertThat(dsl.fetchValue("SELECT count(*) FROM note")).isNotNull();
    }

    @Test
    @Order(3)
    void aReadOnlyGetIsServedByTheReplicaAndAPostByThePrimary() throws Exception {
        HttpResponse<String> read = get("/reads/server");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(servedBy(read)).isEqualTo(replicaPort());

        HttpResponse<String> write = post("/notes", "written by a POST");
        assertThat(write.statusCode()).isEqualTo(200);
        assertThat(servedBy(write)).isEqualTo(primaryPort());
    }

    @Test
    @Order(4)
    void aGetInAnotherRequestSeesThePostsWrite() throws Exception {
        int onReplica = 0;
        for (int i = 0; i < 20; i++) {
            String body = "note " + i;
            HttpResponse<String> write = post("/notes", body);
            assertThat(write.statusCode()).isEqualTo(200);
            HttpResponse<String> read = get("/notes/" + write.body());
            assertThat(read.statusCode()).as("GET of note %s right after its POST", write.body()).isEqualTo(200);
            assertThat(read.body()).isEqualTo(body);
            assertThat(servedBy(read)).isIn(replicaPort(), primaryPort());
            onReplica += servedBy(read) == replicaPort() ? 1 : 0;
        }
        // Read-your-writes waits for the replica rather than sending every read to the primary.
        assertThat(onReplica).isPositive();
    }

    @Test
    @Order(5)
    void healthShowsThePgreplComponentWithBothHosts() throws Exception {
        HttpResponse<String> response = get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(CLUSTER.password());
        Map<String, Object> pgrepl = pgreplHealth(response.body());
        assertThat(pgrepl.get("status")).isEqualTo("UP");
        Map<String, Object> hosts = map(onlyCluster(pgrepl).get("hosts"));
        assertThat(hosts).containsOnlyKeys(CLUSTER.primary().hostAndPort(), CLUSTER.replicas().get(0).hostAndPort());
        assertThat(map(hosts.get(CLUSTER.primary().hostAndPort())))
                .containsEntry("role", "PRIMARY").containsEntry("state", "UP").containsKey("lagSeconds");
        assertThat(map(hosts.get(CLUSTER.replicas().get(0).hostAndPort())))
                .containsEntry("role", "REPLICA").containsEntry("state", "UP").containsEntry("eligible", true)
                .containsKeys("lagSeconds", "lagBytes", "openConnections");
    }

    @Test
    @Order(6)
    void prometheusShowsPgreplAndHikariSeries() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> series = response.body().lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(series).anyMatch(l -> l.startsWith("pgrepl_"));
        assertThat(series).anyMatch(l -> l.startsWith("pgrepl_host_lag") && l.contains(String.valueOf(replicaPort())));
        assertThat(series).anyMatch(l -> l.startsWith("hikaricp_connections"));
        assertThat(response.body()).doesNotContain(CLUSTER.password());
    }

    @Test
    @Order(7)
    void aStoppedReplicaIsExcludedWhileReadsGoOnOnThePrimaryAndUsedAgainAfterItsRestart() throws Exception {
        Server replica = CLUSTER.replicas().get(0);
        CLUSTER.stop(replica);
        try {
            await().atMost(PATIENCE).untilAsserted(() -> {
                Map<String, Object> pgrepl = pgreplHealth(get("/actuator/health").body());
                assertThat(pgrepl.get("status")).isEqualTo("UP");
                assertThat(onlyCluster(pgrepl).get("excludedReplicas")).isEqualTo(List.of(replica.hostAndPort()));
            });
            // Reads keep answering, from the primary. (A pooled connection may meet its replica
            // session's end once: that request may fail, the next one must not.)
            await().atMost(PATIENCE).until(() -> {
                HttpResponse<String> read = get("/reads/server");
                return read.statusCode() == 200 && servedBy(read) == primaryPort();
            });
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> read = get("/reads/server");
                assertThat(read.statusCode()).isEqualTo(200);
                assertThat(servedBy(read)).isEqualTo(primaryPort());
            }
            HttpResponse<String> write = post("/notes", "written while the replica is down");
            assertThat(servedBy(write)).isEqualTo(primaryPort());
            HttpResponse<String> readBack = get("/notes/" + write.body());
            assertThat(readBack.body()).isEqualTo("written while the replica is down");
        } finally {
            CLUSTER.start(replica);
        }
        await().atMost(PATIENCE).until(() -> {
            HttpResponse<String> read = get("/reads/server");
            return read.statusCode() == 200 && servedBy(read) == replicaPort();
        });
        Map<String, Object> pgrepl = pgreplHealth(get("/actuator/health").body());
        assertThat(pgrepl.get("status")).isEqualTo("UP");
        assertThat(onlyCluster(pgrepl).get("excludedReplicas")).isEqualTo(List.of());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + environment.getProperty("local.server.port") + path);
    }

    private static int servedBy(HttpResponse<String> response) {
        return Integer.parseInt(response.headers().firstValue(NotesController.SERVER_PORT).orElse("-1"));
    }

    private static Map<String, Object> pgreplHealth(String json) {
        Map<String, Object> components = map(JsonParserFactory.getJsonParser().parseMap(json).get("components"));
        assertThat(components).containsKey("pgrepl");
        return map(components.get("pgrepl"));
    }

    /** The details of the one cluster this application uses. */
    private static Map<String, Object> onlyCluster(Map<String, Object> pgrepl) {
        Map<String, Object> clusters = map(map(pgrepl.get("details")).get("clusters"));
        assertThat(clusters).hasSize(1);
        return map(clusters.values().iterator().next());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
