package org.pgrepl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;
import org.pgrepl.infra.Server;

/** Every example runs against the embedded cluster, and its reads and writes land where they should. */
@ExtendWith(PgClusterExtension.class)
class ExamplesIT {
    private static boolean onReplica(EmbeddedCluster cluster, Served s) {
        return s.role().equals("replica") && cluster.replicas().stream().map(Server::port).toList().contains(s.port());
    }

    private static boolean onPrimary(EmbeddedCluster cluster, Served s) {
        return s.role().equals("primary") && s.port() == cluster.primary().port();
    }

    @Test
    void plainJdbc(EmbeddedCluster cluster) throws Exception {
        List<Served> served = PlainJdbcExample.run(cluster.pgreplUrl(), cluster.credentials());
        assertThat(onPrimary(cluster, served.get(0))).as("write on the primary: %s", served).isTrue();
        assertThat(onReplica(cluster, served.get(1))).as("read on a replica: %s", served).isTrue();
    }

    @Test
    void hikari(EmbeddedCluster cluster) throws Exception {
        Map<String, Served> served = HikariExample.run(cluster.pgreplUrl(), cluster.credentials());
        assertThat(onPrimary(cluster, served.get("read-write pool"))).isTrue();
        assertThat(onReplica(cluster, served.get("read-only pool"))).isTrue();
        assertThat(onReplica(cluster, served.get("toggled pool, read-only borrow"))).isTrue();
        assertThat(onPrimary(cluster, served.get("toggled pool, next borrow"))).isTrue();
    }

    @Test
    void spring(EmbeddedCluster cluster) {
        Map<String, Served> served = SpringExample.run(cluster.pgreplUrl(), cluster.credentials());
        assertThat(onPrimary(cluster, served.get("@Transactional"))).isTrue();
        assertThat(onReplica(cluster, served.get("@Transactional(readOnly = true)"))).isTrue();
    }

    @Test
    void daoAsALibrary(EmbeddedCluster cluster) throws Exception {
        // A database of its own: Flyway migrates only an empty schema, and the other examples add tables.
        try (var c = cluster.connect(cluster.primary()); var s = c.createStatement()) {
            s.execute("CREATE DATABASE examples_dao");
        }
        String url = cluster.pgreplUrl().replace("/" + cluster.database(), "/examples_dao");
        List<DaoExample.Call> calls = DaoExample.run(url, cluster.credentials(), DaoExample.samplePatients());
        assertThat(calls).filteredOn(c -> c.call().equals("create")).isNotEmpty()
                .allMatch(c -> c.kind().equals("write") && c.host().equals(cluster.primary().hostAndPort()));
        List<String> replicas = cluster.replicas().stream().map(Server::hostAndPort).toList();
        assertThat(calls).filteredOn(c -> !c.call().equals("create")).hasSizeGreaterThanOrEqualTo(5)
                .allMatch(c -> c.kind().equals("read") && replicas.contains(c.host()));
    }
}
