package org.pgrepl.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

/**
 * W3: open a connection through {@code DriverManager}, {@code setReadOnly(true)}, one point read,
 * close. A opens a plain connection to a replica (taking turns between replicas); B, C and F open a
 * logical connection to the cluster.
 */
public final class OpenReadCloseWorkload implements Workload {
    @Override
    public String id() {
        return "W3";
    }

    @Override
    public String title() {
        return "DriverManager open, setReadOnly(true), one read, close";
    }

    @Override
    public List<SystemId> systems() {
        return List.of(SystemId.A, SystemId.B, SystemId.C, SystemId.F);
    }

    @Override
    public Subject open(SystemId system, Target target) {
        return new Subject() {
            @Override
            public Worker worker(int index) {
                return new OpenReader(system, target);
            }

            @Override
            public void close() {
            }
        };
    }

    private static final class OpenReader implements Worker {
        private final SystemId system;
        private final Target target;
        private int turn;
        private long sink;

        OpenReader(SystemId system, Target target) {
            this.system = system;
            this.target = target;
        }

        private Connection open() throws Exception {
            Connection c = system == SystemId.A ? Systems.plain(target, target.replica(turn++))
                    : Systems.routed(system, target, null);
            c.setReadOnly(true);
            return c;
        }

        @Override
        public void op() throws Exception {
            try (Connection c = open(); PreparedStatement ps = c.prepareStatement(BenchData.READ)) {
                ps.setInt(1, BenchData.randomId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sink += rs.getLong(1);
                }
            }
        }

        @Override
        public void checkRouting(RoutingProbe probe) throws Exception {
            for (int i = 0; i < 2; i++) {
                try (Connection c = open()) {
                    probe.expectReplica(c, "a read on a new read-only connection");
                }
            }
        }

        @Override
        public String toString() {
            return "OpenReader[" + sink + "]";
        }
    }
}
