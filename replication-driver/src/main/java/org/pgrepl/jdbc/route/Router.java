package org.pgrepl.jdbc.route;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.pgrepl.jdbc.config.DriverConfig;
import org.pgrepl.jdbc.config.HostSpec;
import org.pgrepl.jdbc.config.PgReplUrl;
import org.pgrepl.jdbc.monitor.ClusterMonitor;
import org.pgrepl.jdbc.monitor.ClusterState;
import org.pgrepl.jdbc.monitor.HostState;
import org.postgresql.PGConnection;

/**
 * Chooses hosts and opens physical connections for one logical connection: the writable primary
 * (the listed host not in recovery, with {@code followPromotion}), and a replica that is up,
 * not backing off, and within the lag bounds. Knowledge comes from two places: this JVM's own
 * connection attempts ({@link HostHealth}) and the cluster monitor's last cycle.
 */
final class Router {
    private static final System.Logger LOG = System.getLogger("org.pgrepl.jdbc.routing");

    final PgReplUrl url;
    final DriverConfig config;
    final Cluster cluster;
    final ClusterMonitor monitor;
    /** The URL's login properties, shared by its connections: read here, cloned before a change. */
    private final Properties props;
    /**
     * One pgjdbc driver for every connection: each instance loads its default properties by
     * scanning the class path for driverconfig.properties on first connect, which a connection
     * opened per operation (DriverManager, no pool) would pay every time.
     */
    static final org.postgresql.Driver PGJDBC = new org.postgresql.Driver();
    private final org.postgresql.Driver pgjdbc = PGJDBC;
    private final Long maxLagMillis;
    /** No lag bound: a seeded state's roles are enough to route (a seed's lags are old). */
    private final boolean lagUnbounded;

    Router(PgReplUrl url, Cluster cluster, ClusterMonitor monitor) {
        this.url = url;
        this.config = url.config();
        this.cluster = cluster;
        this.monitor = monitor;
        this.props = url.loginProperties(); // shared: only read, or cloned before a change
        this.maxLagMillis = config.maxReplicaLag() == null ? null : config.maxReplicaLag().toMillis();
        this.lagUnbounded = maxLagMillis == null && config.maxReplicaLagBytes() == null;
    }

    /**
     * A caller's deadline ({@link System#nanoTime()}; 0: none) on the route being opened now, set
     * by {@code isValid(timeout)} under the connection's route lock: pgrepl's waits and the logins
     * of that route end by it.
     */
    long deadlineNanos;
    /**
     * The executing statement's own bound (query or network timeout) while it is routed, or 0: it
     * ends pgrepl's waits for the monitor, not the login (that is the login timeout's business).
     */
    long statementDeadlineNanos;

    private Duration bounded(Duration wait) {
        long deadline = earliestDeadline();
        if (deadline == 0) {
            return wait;
        }
        long left = Math.max(0, deadline - System.nanoTime());
        return left < wait.toNanos() ? Duration.ofNanos(left) : wait;
    }

    private long earliestDeadline() {
        if (deadlineNanos == 0 || statementDeadlineNanos == 0) {
            return deadlineNanos + statementDeadlineNanos;
        }
        return Math.min(deadlineNanos, statementDeadlineNanos);
    }

    /**
     * The monitor's state. A new monitor's routes wait for its first probe only, never for a
     * second cycle; a monitor seeded with its predecessor's roles waits for nothing unless a lag
     * bound needs today's lags.
     */
    ClusterState state() {
        ClusterState s = monitor.state();
        if (s.cycle() > 0 && (lagUnbounded || monitor.probed())) {
            return s;
        }
        // No roles known yet, or only a predecessor's seed while a lag bound needs lags measured
        // now: wait for the new monitor's first probe (it starts at once), not for an interval.
        return monitor.awaitFirstProbe(bounded(firstStateWait()));
    }

    /** The monitor's own state (not a seed), waiting for its first probe within the usual bound. */
    ClusterState probedState() {
        return monitor.probed() ? monitor.state() : monitor.awaitFirstProbe(bounded(firstStateWait()));
    }

    /**
     * The state a write may be routed on: one this monitor's own probes produced. A seed's
     * writable host may have been demoted while nothing watched, or left running after a
     * promotion, where it still takes a write that commits on a timeline the cluster has left
     * (reported, then lost): a write waits for the first probe, and fails rather than guess when
     * that does not come within the bound.
     */
    private ClusterState writeState() throws SQLException {
        ClusterState s = probedState();
        if (!monitor.probed()) {
            boolean callers = earliestDeadline() != 0 && earliestDeadline() - System.nanoTime() <= 0;
            throw new SQLException("pgrepl: the cluster monitor's first check of the hosts did not finish"
                    + (callers ? " within the caller's time" : "") + "; a write waits for it (roles remembered from"
                    + " before a quiet spell may be out of date)", callers ? "57014" : "08001");
        }
        return s;
    }

    private Duration firstStateWait() {
        return config.monitorInterval().multipliedBy(2).plusSeconds(connectTimeoutSeconds());
    }

    private int connectTimeoutSeconds() {
        try {
            return Integer.parseInt(props.getProperty("connectTimeout", "10"));
        } catch (NumberFormatException e) {
            return 10;
        }
    }

    /** Index of the host that takes writes. */
    int writableIndex() throws SQLException {
        int configured = cluster.indexOf(url.primary());
        if (!config.followPromotion()) {
            return configured;
        }
        ClusterState s = writeState();
        if (s.writable() >= 0) {
            return s.writable();
        }
        if (s.ambiguousPrimary()) {
            throw new SQLException("pgrepl: two hosts accept writes on the same timeline; writes fail rather than"
                    + " guess until one is stopped or demoted: " + describe(s), "08001");
        }
        // Nothing known to accept writes (hosts down, or a login the monitor could not make): try
        // the configured primary; openPrimary checks it is not in recovery before any write.
        return configured;
    }

    /** Opens the read-write connection; it is checked not to be in recovery, so no write reaches a standby. */
    Physical openPrimary(Routes owner) throws SQLException {
        int idx = writableIndex();
        for (int attempt = 0; ; attempt++) {
            try {
                Connection c = connect(idx);
                String refused = config.followPromotion() ? notWritable(c, monitor.state().timeline()) : null;
                if (refused != null) {
                    c.close();
                    throw new SQLException("pgrepl: " + cluster.hosts.get(idx) + " " + refused, "08001");
                }
                HostSpec host = cluster.hosts.get(idx);
                LOG.log(Level.DEBUG, () -> "read-write route opened to " + host);
                return new Physical(owner, c, host, idx, false);
            } catch (SQLException e) {
                if (attempt > 0 || !config.followPromotion() || !isConnectionProblem(e)) {
                    throw e;
                }
                // Roles may have changed (a failover): ask the monitor again, and try once more.
                int before = idx;
                monitor.awaitFreshState(bounded(config.monitorInterval().multipliedBy(3)));
                idx = writableIndex();
                if (idx == before && cluster.health(idx).markedDown()) {
                    throw e;
                }
            }
        }
    }

    /**
     * Why a freshly opened session must not take writes, or null: in recovery, or out of it on a
     * timeline below {@code minTimeline}, the one the monitor last saw taking writes (an old
     * primary left running after a promotion, tried as the URL's primary while the promoted host
     * does not answer). One round trip, as the recovery check alone was.
     */
    private static String notWritable(Connection c, int minTimeline) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(),"
                + " CASE WHEN pg_is_in_recovery() THEN NULL ELSE substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) END")) {
            rs.next();
            if (rs.getBoolean(1)) {
                return "is in recovery (a standby)";
            }
            int timeline = Integer.parseInt(rs.getString(2), 16);
            return timeline < minTimeline ? "is on timeline " + timeline + ", below " + minTimeline
                    + ", where the cluster's writes have moved (an old primary left running after a promotion)" : null;
        }
    }

    /** Replica hosts a read may use now, in cluster order; {@code exclude} is skipped (-1: none). */
    List<Integer> usableReplicas(ClusterState s, int exclude) {
        int writable = config.followPromotion() && s.writable() >= 0 ? s.writable() : cluster.indexOf(url.primary());
        if (config.followPromotion() && s.writable() < 0 && s.host(writable).role() == HostState.Role.REPLICA) {
            // No host is known to take writes (an election under way), and the URL's first host is a
            // standby answering reads: it serves them like any replica.
            writable = -1;
        }
        List<Integer> out = new ArrayList<>(cluster.hosts.size());
        for (int i = 0; i < cluster.hosts.size(); i++) {
            if (i == writable || i == exclude || !cluster.health(i).usable(s, i) || !usableByMonitor(s.host(i))) {
                continue;
            }
            out.add(i);
        }
        return out;
    }

    /** True when the monitor does not rule the replica out (a host it has not checked yet is allowed). */
    boolean usableByMonitor(HostState h) {
        return switch (h.role()) {
            case REPLICA -> withinLag(h);
            case UNKNOWN -> maxLagMillis == null && config.maxReplicaLagBytes() == null;
            default -> false;
        };
    }

    boolean withinLag(HostState h) {
        boolean ok = h.withinLag(maxLagMillis, config.maxReplicaLagBytes());
        if (!ok) {
            cluster.stats.lagExclusions.increment();
        }
        return ok;
    }

    /** Opens a replica connection, skipping hosts that fail; null when no replica is usable. */
    Physical openReplica(Routes owner, int exclude) {
        ClusterState s = state();
        List<Integer> candidates = usableReplicas(s, exclude);
        while (!candidates.isEmpty()) {
            int idx = ReplicaChooser.choose(config.replicaSelection(), candidates, cluster, s);
            try {
                Connection c = connect(idx, true);
                try {
                    readOnlySession(c);
                } catch (SQLException e) {
                    closeQuietly(c);
                    throw e;
                }
                cluster.openReplicaConnections(idx).incrementAndGet();
                LOG.log(Level.DEBUG, () -> "read-only route opened to replica " + cluster.hosts.get(idx)
                        + " (" + config.replicaSelection().spelling() + ")");
                return new Physical(owner, c, cluster.hosts.get(idx), idx, true);
            } catch (SQLException e) {
                LOG.log(Level.DEBUG, () -> "replica " + cluster.hosts.get(idx) + " skipped: " + e.getMessage());
                candidates.remove(Integer.valueOf(idx));
            }
        }
        return null;
    }

    /**
     * A replica session is read-only in itself, not only because its server is a standby: a
     * replica promoted under an open connection must still refuse the read-only route's writes.
     * Behind a transaction pooler a session setting would reach other clients; pgjdbc's read-only
     * flag begins each transaction READ ONLY there instead (autoCommit off).
     */
    private void readOnlySession(Connection c) throws SQLException {
        if (config.transactionPooling()) {
            c.setReadOnly(true);
            return;
        }
        if (readOnlyReported(c)) {
            // Read-only from its login, and RESET ALL or DISCARD ALL return to that: a plain BEGIN
            // is already READ ONLY here. pgjdbc's flag would make every transaction BEGIN READ ONLY,
            // which costs the server a transaction-local setting and its undo at commit, every time.
            return;
        }
        // The login option did not take (a server before 14 does not report the setting, or a
        // proxy dropped the option): set it with a round trip. RESET ALL would undo this one, so
        // pgjdbc's flag also begins each transaction READ ONLY.
        c.setReadOnly(true);
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
        }
    }

    /** True when the server reported the session read-only at login (PostgreSQL 14+ reports it). */
    private static boolean readOnlyReported(Connection c) throws SQLException {
        return "on".equals(c.unwrap(PGConnection.class).getParameterStatus("default_transaction_read_only"));
    }

    /**
     * True when the user's {@code options} end in a backslash: the server would read it as
     * escaping the space before pgrepl's option, and both would be lost (the statement is used).
     */
    private static boolean endsInEscape(String options) {
        return options != null && options.endsWith("\\");
    }

    /**
     * The login properties of a replica session read-only from its login, or null where the
     * option is not offered. The server applies the option before the session's first statement,
     * so it costs no round trip, and {@code RESET ALL} or {@code DISCARD ALL} return to it. Not
     * offered behind a transaction pooler (a session setting would reach other
     * clients), with the user's options ending in an escape, or where a host refused it.
     */
    private Properties replicaLoginProperties() {
        if (config.transactionPooling() || endsInEscape(props.getProperty("options")) || !cluster.takesLoginOptions()) {
            return null;
        }
        return url.readOnlyLoginProperties();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // failed while being set up: gone either way
        }
    }

    /** The login properties; under a caller's deadline, pgjdbc's loginTimeout ends the login by it. */
    private Properties loginProperties(Properties props) throws SQLException {
        if (deadlineNanos == 0) {
            return props;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SQLException("pgrepl: the caller's time ran out before a connection could be opened", "08001");
        }
        Properties bounded = (Properties) props.clone();
        bounded.setProperty("loginTimeout", Long.toString(Math.max(1, (left + 999_999_999L) / 1_000_000_000L)));
        return bounded;
    }

    /** Opens a pgjdbc connection; a connection-level failure marks the host down with back-off. */
    Connection connect(int idx) throws SQLException {
        return connect(idx, false);
    }

    /**
     * Opens a pgjdbc connection, for a replica session read-only from its login on; a
     * connection-level failure marks the host down with back-off.
     */
    private Connection connect(int idx, boolean replica) throws SQLException {
        HostSpec host = cluster.hosts.get(idx);
        Properties withOption = replica ? replicaLoginProperties() : null;
        try {
            Connection c;
            try {
                c = pgjdbc.connect(url.pgjdbcUrl(host), loginProperties(withOption != null ? withOption : props));
            } catch (SQLException e) {
                if (withOption == null || !refusesLoginOptions(e)) {
                    throw e;
                }
                // A proxy in front of the server refused the option (PgBouncer 1.18 does unless its
                // ignore_startup_parameters lists it): the host is fine; log in without it and set
                // read-only by statement.
                if (cluster.loginOptionsRefused()) {
                    LOG.log(Level.INFO, "host " + host + " refuses the options startup parameter (" + e.getSQLState()
                            + "): replica sessions of " + cluster.name + " are made read-only by a statement instead");
                }
                c = pgjdbc.connect(url.pgjdbcUrl(host), loginProperties(props));
            }
            cluster.health(idx).markUp();
            monitor.awaitStarted(); // the cluster's bean exists by the first statement (ClusterMonitor#awaitStarted)
            return c;
        } catch (SQLException e) {
            if (isConnectionProblem(e)) {
                cluster.health(idx).markDown(config.hostRecheck(), monitor.state().cycle());
                LOG.log(Level.DEBUG, () -> "host " + host + " marked down for " + cluster.health(idx).millisLeft()
                        + " ms: " + e.getMessage());
            }
            throw e;
        }
    }

    /**
     * A login refused over the parameter itself: PgBouncer answers 08P01 naming {@code options};
     * another proxy may use another code, so any refusal naming it counts, but not a wrong
     * password (28) or a host that cannot be reached (no server message at all).
     */
    private static boolean refusesLoginOptions(SQLException e) {
        String m = e.getMessage();
        String state = e.getSQLState();
        return m != null && (m.contains("options") || m.contains("default_transaction_read_only"))
                && (state == null || !state.startsWith("28"));
    }

    /** The connection is gone: a connection exception (08), or the server shutting down or starting (57P0x). */
    static boolean isConnectionProblem(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /**
     * A socket or network timeout (pgjdbc reports it as an I/O error, 08006, caused by a
     * SocketTimeoutException), a statement timeout or a cancel (57014): the statement ran out of
     * the time the caller gave it. Never retried: the retry would take as long again, elsewhere.
     */
    static boolean isTimeout(SQLException e) {
        if ("57014".equals(e.getSQLState())) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The hosts and what is known of them, for error messages (no credentials). */
    String describe(ClusterState s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cluster.hosts.size(); i++) {
            HostState h = s.host(i);
            sb.append(i == 0 ? "" : ", ").append(cluster.hosts.get(i)).append(" (").append(h.role().name().toLowerCase());
            if (cluster.health(i).markedDown()) {
                sb.append(", backing off ").append(cluster.health(i).millisLeft()).append(" ms");
            }
            if (h.role() == HostState.Role.REPLICA && !h.withinLag(maxLagMillis, config.maxReplicaLagBytes())) {
                sb.append(", lag ").append(h.lagMillis()).append(" ms / ").append(h.lagBytes()).append(" bytes");
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
