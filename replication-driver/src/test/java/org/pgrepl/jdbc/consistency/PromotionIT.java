package org.pgrepl.jdbc.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;

/**
 * The primary is stopped and a replica promoted while a pooled application writes: writes resume
 * on the promoted host without a restart, none reaches a host in recovery, and every commit the
 * application saw succeed is there afterwards. The cluster MBean shows the new roles.
 */
class PromotionIT {
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws SQLException {
        cluster = EmbeddedCluster.builder().replicas(2).start();
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE promo_rows (id bigint PRIMARY KEY)");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void writesFollowThePromotedReplicaAndNothingCommittedIsLost() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(cluster.pgreplUrl() + "?monitorInterval=200ms&hostRecheck=500ms&connectTimeout=2");
        config.setUsername(cluster.user());
        config.setPassword(cluster.password());
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(5_000);
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Server oldPrimary = cluster.primary();
        Server promoted = cluster.server("replica2");
        try (HikariDataSource ds = new HikariDataSource(config)) {
            Thread writer = new Thread(() -> {
                long id = 0;
                while (running.get()) {
                    id++;
                    try (Connection c = ds.getConnection();
                         PreparedStatement ps = c.prepareStatement("INSERT INTO promo_rows VALUES (?)")) {
                        ps.setLong(1, id);
                        ps.executeUpdate();
                        acknowledged.add(id);
                    } catch (SQLException e) {
                        errors.add(e.getSQLState());
                        sleep(20);
                    }
                }
            });
            writer.start();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() > 50);
            cluster.awaitReplication();
            cluster.stop(oldPrimary);
            cluster.promote(promoted);
            cluster.repoint(cluster.server("replica1"), promoted);
            int before = acknowledged.size();
            long t0 = System.nanoTime();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() > before + 50);
            System.out.printf("PromotionIT: writes resumed %d ms after the promotion; errors during the outage: %s%n",
                    (System.nanoTime() - t0) / 1_000_000, List.copyOf(errors));
            running.set(false);
            writer.join();

            // No write reached a host in recovery: that would have been refused with 25006.
            assertThat(errors).doesNotContain("25006").allMatch(s -> s != null && s.matches("08...|57P0."));
            try (Connection c = cluster.connect(promoted); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM promo_rows")) {
                Set<Long> present = new java.util.HashSet<>();
                while (rs.next()) {
                    present.add(rs.getLong(1));
                }
                assertThat(present).containsAll(acknowledged);
            }
            // Reads go to the remaining replica, which now follows the promoted primary.
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT pg_is_in_recovery(), inet_server_port()")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).isTrue();
                    assertThat(rs.getInt(2)).isEqualTo(cluster.server("replica1").port());
                }
            }
            assertMBeanShowsTheNewRoles(promoted, oldPrimary);
        } finally {
            running.set(false);
        }
    }

    private static void assertMBeanShowsTheNewRoles(Server promoted, Server stopped) throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = mbs.queryNames(new ObjectName("org.pgrepl:type=Cluster,*"), null).stream()
                .filter(n -> n.toString().contains(String.valueOf(promoted.port()))).findFirst().orElseThrow();
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String[] hosts = (String[]) mbs.getAttribute(name, "Hosts");
            String[] roles = (String[]) mbs.getAttribute(name, "Roles");
            boolean[] up = (boolean[]) mbs.getAttribute(name, "Up");
            for (int i = 0; i < hosts.length; i++) {
                if (hosts[i].endsWith(":" + promoted.port())) {
                    assertThat(roles[i]).isEqualTo("PRIMARY");
                } else if (hosts[i].endsWith(":" + stopped.port())) {
                    assertThat(roles[i]).isEqualTo("DOWN");
                    assertThat(up[i]).isFalse();
                } else {
                    assertThat(roles[i]).isEqualTo("REPLICA");
                }
            }
            assertThat((String) mbs.getAttribute(name, "WritableHost")).endsWith(":" + promoted.port());
            assertThat((Long) mbs.getAttribute(name, "PrimaryRoutes")).isPositive();
            assertThat((Long) mbs.getAttribute(name, "ReplicaRoutes")).isPositive();
            assertThat((Long) mbs.getAttribute(name, "MonitorCycles")).isPositive();
            assertThat((Long) mbs.getAttribute(name, "PromotionsSeen")).isEqualTo(1L);
            assertThat((Long) mbs.getAttribute(name, "MonitorFailures")).isPositive(); // the stopped host
        });
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
