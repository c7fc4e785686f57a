package org.pgrepl.jdbc.model;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.pgrepl.infra.Server;
import org.pgrepl.infra.TcpRelay;

/**
 * Real faults, through the launcher's controls and plain pgjdbc admin sessions, and the check
 * that follows a session failure: a replica the monitor sees healthy still serves other
 * connections (invariant 6).
 */
final class FaultSteps {
    /** How a statement runs past the caller's bound. */
    enum Slow { QUERY_TIMEOUT, NETWORK_TIMEOUT }

    private final ConnectionModel m;

    FaultSteps(ConnectionModel m) {
        this.m = m;
    }

    /** pg_terminate_backend of this connection's sessions on the primary, or on the replicas. */
    void terminate(boolean primary) throws SQLException {
        List<Server> running = m.oracle.running();
        List<Server> targets = (primary ? List.of(m.mc.cluster.primary()) : m.mc.cluster.replicas()).stream()
                .filter(running::contains).toList();
        int n = 0;
        for (Server s : targets) {
            n += m.oracle.terminate(s, m.appName());
        }
        ModelStats.FAULTS.incrementAndGet();
        m.trail.add("FAULT pg_terminate_backend(" + m.appName() + ") on " + (primary ? "the primary" : "the replicas")
                + ": " + n + " session(s)");
        if (n > 0) {
            m.hostsCheckArmed = true;
        }
    }

    /** Pauses WAL replay on a replica, or resumes it when paused. */
    void toggleReplay(int replica) {
        if (m.failedOver) {
            m.trail.add("toggle replay: skipped after the failover");
            return;
        }
        List<Server> replicas = m.mc.cluster.replicas();
        Server s = replicas.get(Math.floorMod(replica, replicas.size()));
        if (m.paused.remove(s)) {
            m.mc.cluster.resumeReplay(s);
            m.trail.add("FAULT ends: resume WAL replay on " + s.name());
        } else {
            m.mc.cluster.pauseReplay(s);
            m.paused.add(s);
            ModelStats.FAULTS.incrementAndGet();
            m.trail.add("FAULT pause WAL replay on " + s.name());
        }
    }

    /**
     * A statement running past the caller's bound (pg_sleep(3) under a 1 s query or network
     * timeout): it fails with a SQLState within 2x + 1 s, and is not run a second time.
     */
    void slowStatement(Slow how) throws SQLException {
        Connection c = m.conn;
        String marker = "slow-" + m.tryId + "-s" + m.step;
        Executor direct = Runnable::run;
        ModelStats.FAULTS.incrementAndGet();
        Outcome<Object> o = m.call("pg_sleep(3) under a 1 s " + (how == Slow.QUERY_TIMEOUT ? "setQueryTimeout" : "setNetworkTimeout")
                + " [" + m.state() + "]", ConnectionModel.boundFor(1), () -> {
                    if (how == Slow.NETWORK_TIMEOUT) {
                        c.setNetworkTimeout(direct, 1000);
                    }
                    try (Statement s = c.createStatement()) {
                        if (how == Slow.QUERY_TIMEOUT) {
                            s.setQueryTimeout(1);
                        }
                        s.executeQuery("SELECT pg_sleep(3) /* " + marker + " */").close();
                        return "returned";
                    }
                });
        if (how == Slow.NETWORK_TIMEOUT) {
            // Back to the URL's socketTimeout: setNetworkTimeout(0) means no timeout at all (JDBC, and
            // pgjdbc's SO_TIMEOUT alike), and a read on a stalled socket would then wait forever.
            m.call("setNetworkTimeout(socketTimeout)", m.ordinaryBound(), () -> {
                c.setNetworkTimeout(direct, ConnectionModel.SOCKET_TIMEOUT_S * 1000);
                return null;
            });
        }
        m.ledger.statementRan(m.connNo, m.autoCommit, o.ok());
        m.sessionFailure(o);
        if (how == Slow.NETWORK_TIMEOUT) {
            m.checkHostsNext = true;
        }
        List<Oracle.Session> ran = m.oracle.sessions("pgrepl-model-" + m.tryId).stream()
                .filter(s -> s.query() != null && s.query().contains(marker)).toList();
        if (ran.size() > 1) {
            throw m.trail.violated(7, "the statement ended by its timeout ran again on another host: " + ran);
        }
    }

    /** Stalls the relay of the replica serving this connection (or replica1) for one read, then heals it. */
    void stalledRead(StatementSteps statements) throws SQLException {
        Server victim = m.mc.cluster.replicas().get(0);
        for (Oracle.Session s : m.oracle.sessionsOf(m.appName())) {
            if (m.mc.cluster.replicas().contains(s.server())) {
                victim = s.server();
            }
        }
        TcpRelay relay = m.mc.cluster.relay(victim);
        relay.stall();
        ModelStats.FAULTS.incrementAndGet();
        m.trail.add("FAULT stall the TCP relay of " + victim.name());
        try {
            statements.read(null, "fresh statement [" + m.state() + "]");
        } finally {
            relay.heal();
            m.trail.add("FAULT ends: heal the relay of " + victim.name());
        }
        m.checkHostsNext = true; // the read may have met the stall and been moved elsewhere without a visible failure
        try {
            Thread.sleep(600); // two monitor intervals: the monitor sees the healed replica again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code SET synchronous_commit = off} through the connection: its commits on that server become asynchronous. */
    void asyncCommit() {
        Connection c = m.conn;
        Outcome<Object> o = m.call("execute(SET synchronous_commit = off) [" + m.state() + "]", m.ordinaryBound(), () -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET synchronous_commit = off");
            }
            return null;
        });
        m.ledger.statementRan(m.connNo, m.autoCommit, o.ok());
    }

    /** A row committed by another client: once seen, monotonic reads must keep showing it. */
    void externalInsert() throws SQLException {
        String id = m.tryId + "-ext" + m.step;
        m.oracle.insertExternal(id, m.tryId);
        m.trail.add("another client inserts " + id);
    }

    /**
     * Invariant 6: every replica the monitor sees healthy (role REPLICA in the cluster MBean)
     * serves a read of some fresh connection among a few.
     */
    void otherConnectionsRead() throws Exception {
        if (Trail.skipped(6)) {
            return;
        }
        String app = m.appName() + "-other";
        Set<Integer> expected;
        // The monitor lives while a connection of its cluster is open (and its MBean with it): the
        // connection under test may be closed by now, so one more holds it while the others read.
        try (Connection keeper = DriverManager.getConnection(m.url("eventual", app), m.credentials())) {
            keeper.setReadOnly(true);
            try (Statement s = keeper.createStatement()) {
                s.executeQuery("SELECT 1").close();
            } catch (SQLException e) {
                // a failure here is the reads' business below
            }
            expected = healthyReplicaPorts();
            if (expected == null) {
                m.trail.add("invariant 6 not checked: no pgrepl cluster MBean names these hosts (monitor not started?)");
            } else {
                otherConnectionsRead(expected, app);
            }
        }
        m.checkNoSessions(app, "closing the other connections");
    }

    private void otherConnectionsRead(Set<Integer> expected, String app) throws Exception {
        Set<Integer> served = new LinkedHashSet<>();
        List<String> outcomes = new ArrayList<>();
        // A host's back-off after a failed connect ends with a monitor cycle that began after the
        // failure (at most two intervals later): a cycle already under way when it failed proves
        // nothing. So a healthy verdict read just after a failover or restart may be one cycle
        // early: reads go on, a little apart, until the deadline (16 intervals of 250 ms).
        long deadline = System.nanoTime() + 4_000_000_000L;
        for (int i = 0; !served.containsAll(expected) && System.nanoTime() < deadline; i++) {
            if (i >= 12) {
                Thread.sleep(100);
            }
            try (Connection other = DriverManager.getConnection(m.url("eventual", app), m.credentials())) {
                other.setReadOnly(true);
                try (Statement s = other.createStatement(); ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
                    rs.next();
                    served.add(rs.getInt(1));
                    outcomes.add(String.valueOf(rs.getInt(1)));
                }
            } catch (SQLException e) {
                outcomes.add(e.getSQLState());
            }
        }
        m.trail.add("other connections read, served by ports " + outcomes + "; the monitor sees replicas on " + expected);
        ModelStats.CHECKS.incrementAndGet();
        if (!served.containsAll(expected)) {
            // A replica the monitor saw healthy at the start and still sees healthy now. A monitor
            // started for these reads may begin on its stopped predecessor's roles (the cold-start
            // seed, DESIGN "The cluster monitor") until its first probe, and a promotion since makes
            // those wrong: the bean reports them meanwhile, but the routes never served on them.
            Set<Integer> now = healthyReplicaPorts();
            if (now != null && !now.containsAll(expected)) {
                expected = new LinkedHashSet<>(expected);
                expected.retainAll(now);
                m.trail.add("  the monitor now sees replicas on " + now + ": checked against " + expected);
            }
        }
        if (!served.containsAll(expected)) {
            Set<Integer> missing = new LinkedHashSet<>(expected);
            missing.removeAll(served);
            StringBuilder view = new StringBuilder();
            for (org.pgrepl.jdbc.metrics.ClusterSnapshot c : org.pgrepl.jdbc.metrics.PgReplMetrics.clusters()) {
                view.append(c.name()).append(" writable=").append(c.writableHost()).append(' ').append(c.hosts()).append("; ");
            }
            throw m.trail.violated(6, "replica(s) on port " + missing + " that the monitor sees healthy served none of "
                    + outcomes.size() + " reads of fresh connections (served: " + outcomes + "); pgrepl's view: " + view);
        }
    }

    /**
     * The real ports of the replicas the monitor reports as REPLICA, from the cluster MBean of
     * these hosts (this user's when there is one: every monitor of the same hosts sees the same
     * roles); null when no MBean names these hosts yet.
     */
    private Set<Integer> healthyReplicaPorts() throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (true) {
            Set<Integer> any = null;
            for (ObjectName n : mbs.queryNames(new ObjectName("org.pgrepl:type=Cluster,*"), null)) {
                Set<Integer> ports = replicaPorts(mbs, n);
                if (ports == null) {
                    continue; // another cluster
                }
                if (n.getKeyProperty("name").endsWith("/" + m.settings.user() + "\"")) {
                    return ports;
                }
                any = ports;
            }
            if (any != null || System.nanoTime() > deadline) {
                return any;
            }
            Thread.sleep(100);
        }
    }

    /** True while a pgrepl monitor of these hosts runs, for any user (its cluster bean is registered while it does). */
    boolean monitorRunning() {
        try {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName n : mbs.queryNames(new ObjectName("org.pgrepl:type=Cluster,*"), null)) {
                if (replicaPorts(mbs, n) != null) {
                    return true;
                }
            }
            return false;
        } catch (javax.management.InstanceNotFoundException e) {
            return monitorRunning(); // unregistered between the query and the read
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The REPLICA hosts of one MBean, or null when its hosts are not this cluster's relays. */
    private Set<Integer> replicaPorts(MBeanServer mbs, ObjectName n) throws Exception {
        String[] hosts = (String[]) mbs.getAttribute(n, "Hosts");
        String[] roles = (String[]) mbs.getAttribute(n, "Roles");
        Set<Integer> ports = new LinkedHashSet<>();
        for (int i = 0; i < hosts.length; i++) {
            int port = Integer.parseInt(hosts[i].substring(hosts[i].lastIndexOf(':') + 1));
            Server s = m.mc.serverAt(port);
            if (s == null || s.port() == port) {
                return null; // not this cluster, or not through its relays
            }
            if ("REPLICA".equals(roles[i])) {
                ports.add(s.port());
            }
        }
        return ports;
    }
}
