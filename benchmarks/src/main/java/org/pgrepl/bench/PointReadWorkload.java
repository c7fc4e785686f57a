package org.pgrepl.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

/**
 * W1: a point read on a replica, through one read-only connection and a prepared statement held
 * for the whole round. A connects straight to a replica; B, C and F open a logical connection and
 * call {@code setReadOnly(true)} once.
 */
public final class PointReadWorkload implements Workload {
    @Override
    public String id() {
        return "W1";
    }

    @Override
    public String title() {
        return "point read on a replica, held prepared statement";
    }

    @Override
    public List<SystemId> systems() {
        return List.of(SystemId.A, SystemId.B, SystemId.C, SystemId.F);
    }

    @Override
    public Subject open(SystemId system, Target target) {
        return new Subject() {
            @Override
            public Worker worker(int index) throws Exception {
                Connection c = system == SystemId.A ? Systems.plain(target, target.replica(index))
                        : Systems.routed(system, target, null);
                c.setReadOnly(true);
                return new PointReader(c);
            }

            @Override
            public void close() {
            }
        };
    }

    private static final class PointReader implements Worker {
        private final Connection connection;
        private final PreparedStatement read;
        private long sink;

        PointReader(Connection connection) throws Exception {
            this.connection = connection;
            this.read = connection.prepareStatement(BenchData.READ);
        }

        @Override
        public void op() throws Exception {
            read.setInt(1, BenchData.randomId());
            try (ResultSet rs = read.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("row missing");
                }
                sink += rs.getLong(1);
            }
        }

        @Override
        public void checkRouting(RoutingProbe probe) throws Exception {
            probe.expectReplica(connection, "a read on the read-only connection");
        }

        @Override
        public void close() throws Exception {
            read.close();
            connection.close();
        }

        @Override
        public String toString() {
            return "PointReader[" + sink + "]";
        }
    }
}
