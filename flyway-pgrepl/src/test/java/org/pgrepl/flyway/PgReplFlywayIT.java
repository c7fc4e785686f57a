package org.pgrepl.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;
import org.pgrepl.infra.Server;

/** Flyway given a jdbc:pgrepl: URL migrates the primary, and the replicas receive the schema. */
@ExtendWith(PgClusterExtension.class)
class PgReplFlywayIT {
    @Test
    void migratesAFreshDatabaseThroughAPgreplUrl(EmbeddedCluster cluster) throws Exception {
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE flyway_fresh");
        }
        String url = cluster.pgreplUrl().replace("/" + cluster.database(), "/flyway_fresh");
        Flyway flyway = Flyway.configure().dataSource(url, cluster.user(), cluster.password())
                .locations("classpath:db/flywaytest").load();
        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(2);
        MigrationInfo[] applied = flyway.info().applied();
        assertThat(applied).hasSize(2).allMatch(m -> m.getState() == MigrationState.SUCCESS);
        assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo("2");
        System.out.println("PgReplFlywayIT: flyway info over " + url + ":");
        for (MigrationInfo m : flyway.info().all()) {
            System.out.printf("  %s %s %s%n", m.getVersion(), m.getDescription(), m.getState());
        }
        cluster.awaitReplication();
        for (Server s : cluster.servers()) {
            String plain = "jdbc:postgresql://" + s.hostAndPort() + "/flyway_fresh";
            try (Connection c = java.sql.DriverManager.getConnection(plain, cluster.credentials());
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM flyway_schema_history WHERE success),"
                         + " (SELECT note FROM flyway_check WHERE id = 1), pg_is_in_recovery()")) {
                rs.next();
                assertThat(rs.getInt(1)).as("history on %s", s).isEqualTo(2);
                assertThat(rs.getString(2)).isEqualTo("migrated through jdbc:pgrepl:");
                assertThat(rs.getBoolean(3)).isEqualTo(s != cluster.primary());
            }
        }
        // A second migrate finds nothing to do.
        assertThat(flyway.migrate().migrationsExecuted).isZero();
    }
}
