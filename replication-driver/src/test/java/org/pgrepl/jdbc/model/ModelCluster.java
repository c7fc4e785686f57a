package org.pgrepl.jdbc.model;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;

/**
 * The cluster the model tests fault: 1 primary and 2 replicas, private to these tests (they
 * terminate sessions, pause replay and stall relays, which the shared cluster forbids). The
 * table, the alternative schema and the asynchronous-commit role are created once.
 */
final class ModelCluster implements AutoCloseable {
    /** The role whose sessions commit with {@code synchronous_commit=off} (ALTER ROLE ... SET). */
    static final String ASYNC_ROLE = "model_async";
    private static ModelCluster shared;

    final EmbeddedCluster cluster;
    final Oracle oracle;

    private ModelCluster(EmbeddedCluster cluster) {
        this.cluster = cluster;
        this.oracle = new Oracle(cluster);
    }

    /** The cluster both single-connection and pool properties use; started on first need, closed at JVM exit. */
    static synchronized ModelCluster shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** A cluster of its own (the promotion property changes roles for good). */
    static ModelCluster start() {
        EmbeddedCluster c = EmbeddedCluster.builder().replicas(2).start();
        try {
            ModelCluster m = new ModelCluster(c);
            m.createSchema();
            return m;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw new IllegalStateException("cannot prepare the model cluster: " + e, e);
        }
    }

    private void createSchema() throws SQLException {
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.model_rows (id text PRIMARY KEY, try_id text NOT NULL, v int NOT NULL DEFAULT 0)");
            s.execute("CREATE INDEX ON public.model_rows (try_id)");
            s.execute("CREATE SCHEMA model_alt");
            s.execute("CREATE ROLE " + ASYNC_ROLE + " LOGIN PASSWORD '" + cluster.password().replace("'", "''") + "'");
            s.execute("ALTER ROLE " + ASYNC_ROLE + " SET synchronous_commit = off");
            s.execute("GRANT USAGE ON SCHEMA model_alt TO " + ASYNC_ROLE);
            s.execute("GRANT ALL ON public.model_rows TO " + ASYNC_ROLE);
        }
        cluster.awaitReplication();
    }

    /**
     * The pgrepl URL of the cluster through the TCP relays (so a replica can be stalled), with
     * the given parameters.
     */
    String url(String params) {
        return cluster.pgreplUrlThroughRelays() + "?" + params;
    }

    /** The server behind a port: its own or its relay's. */
    Server serverAt(int port) {
        return cluster.serverAt(port);
    }

    @Override
    public void close() {
        oracle.close();
        cluster.close();
    }
}
