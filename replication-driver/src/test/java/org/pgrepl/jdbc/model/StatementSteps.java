package org.pgrepl.jdbc.model;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pgrepl.infra.Server;
import org.postgresql.PGConnection;

/**
 * Creating, holding and executing statements on the connection under test, and checking what
 * they return: reads against invariant 3, probes of the serving server against invariant 4,
 * writes recorded in the ledger for invariants 1 and 2.
 */
final class StatementSteps {
    static final String PROBE = "SELECT current_setting('transaction_isolation'), current_schema(),"
            + " current_setting('transaction_read_only'), pg_is_in_recovery(), pg_backend_pid(), inet_server_port()";
    private final ConnectionModel m;

    StatementSteps(ConnectionModel m) {
        this.m = m;
    }

    String readSql() {
        return "SELECT id, v FROM public.model_rows WHERE try_id = '" + m.tryId + "'";
    }

    static String insertSql(String id, String tryId) {
        return "INSERT INTO public.model_rows (id, try_id, v) VALUES ('" + id + "', '" + tryId + "', 0)";
    }

    /** Creates a statement and keeps it. */
    void hold(HeldKind kind) {
        Connection c = m.conn;
        String under = m.state();
        Outcome<Statement> o = m.call("hold " + kind + " [" + under + "]", m.ordinaryBound(), () -> switch (kind) {
            case STATEMENT -> c.createStatement();
            case UPDATABLE_STATEMENT -> c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
            case INSERT_PS -> c.prepareStatement("INSERT INTO public.model_rows (id, try_id, v) VALUES (?, ?, 0)");
            case READ_PS -> c.prepareStatement("SELECT id, v FROM public.model_rows WHERE try_id = ?");
            case PROBE_PS -> c.prepareStatement(PROBE);
        });
        if (o.ok()) {
            m.held.add(new ConnectionModel.Held(m.held.size() + 1, kind, o.value(), under));
        }
    }

    /** Executes a held statement ({@code slot} >= 0 and one is held) or a fresh one. */
    void execute(StatementKind wanted, int slot) {
        ConnectionModel.Held h = slot >= 0 && !m.held.isEmpty() ? m.held.get(slot % m.held.size()) : null;
        StatementKind kind = h == null ? wanted : h.kind().effective(wanted);
        if (ConnectionActions.excluded(kind.name())) {
            kind = StatementKind.READ; // -Dpgrepl.model.exclude=COPY,...: diagnosis of one defect class at a time
        }
        String on = (h == null ? "fresh statement" : h.toString()) + " [" + m.state() + "]";
        m.executedThisStep |= m.readOnly; // a terminated replica session is noticed by the next read-only statement
        switch (kind) {
            case READ -> read(h, on);
            case PROBE -> probe(h, on);
            default -> write(kind, h, on);
        }
    }

    private Statement plain(ConnectionModel.Held h) throws SQLException {
        return h != null ? h.statement() : m.conn.createStatement();
    }

    private void closeFresh(ConnectionModel.Held h, Statement s) throws SQLException {
        if (h == null) {
            s.close();
        }
    }

    void read(ConnectionModel.Held h, String on) {
        boolean insideWriteTxn = !m.readOnly && !m.autoCommit;
        Outcome<Map<String, Integer>> o = m.call("read on " + on, m.ordinaryBound(), () -> {
            if (h != null && h.kind() == HeldKind.READ_PS) {
                PreparedStatement ps = (PreparedStatement) h.statement();
                ps.setString(1, m.tryId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rows(rs);
                }
            }
            Statement s = plain(h);
            try (ResultSet rs = s.executeQuery(readSql())) {
                return rows(rs);
            } finally {
                closeFresh(h, s);
            }
        });
        m.ledger.statementRan(m.connNo, m.autoCommit, o.ok());
        if (o.ok()) {
            m.ledger.checkRead("read on " + on, m.connNo, o.value(), insideWriteTxn, m.primaryRows());
            ModelStats.CHECKS.incrementAndGet();
        }
        m.sessionFailure(o);
    }

    static Map<String, Integer> rows(ResultSet rs) throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        while (rs.next()) {
            rows.put(rs.getString(1), rs.getInt(2));
        }
        return rows;
    }

    /** What the serving server says, next to what the connection answers. */
    record Probe(String isolation, String schema, String txReadOnly, boolean inRecovery, int pid, int port,
                 boolean autoCommit, boolean readOnly, int getIsolation, String getSchema) {
    }

    void probe(ConnectionModel.Held h, String on) {
        Connection c = m.conn;
        Outcome<Probe> o = m.call("probe on " + on, m.ordinaryBound(), () -> {
            Statement s = h != null ? h.statement() : c.createStatement();
            try (ResultSet rs = h != null && h.kind() == HeldKind.PROBE_PS ? ((PreparedStatement) s).executeQuery()
                    : s.executeQuery(PROBE)) {
                rs.next();
                return new Probe(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getInt(5),
                        rs.getInt(6), c.getAutoCommit(), c.isReadOnly(), c.getTransactionIsolation(), c.getSchema());
            } finally {
                closeFresh(h, s);
            }
        });
        m.ledger.statementRan(m.connNo, m.autoCommit, o.ok());
        m.sessionFailure(o);
        if (o.ok()) {
            checkProbe(o.value(), on);
        }
    }

    private void checkProbe(Probe p, String on) {
        Server served = m.mc.serverAt(p.port());
        String where = "the serving server (" + (served == null ? "port " + p.port() : served.name()) + ", pid " + p.pid() + ")";
        List<String> wrong = new ArrayList<>();
        if (p.autoCommit() != m.autoCommit || p.readOnly() != m.readOnly) {
            wrong.add("getAutoCommit()=" + p.autoCommit() + " isReadOnly()=" + p.readOnly() + " but the application set "
                    + m.autoCommit + "/" + m.readOnly);
        }
        if (isolationLevel(p.isolation()) != p.getIsolation()) {
            wrong.add("getTransactionIsolation()=" + p.getIsolation() + " but " + where + " runs '" + p.isolation() + "'");
        }
        if (m.isolation != null && p.getIsolation() != m.isolation) {
            wrong.add("getTransactionIsolation()=" + p.getIsolation() + " but the application set " + m.isolation);
        }
        if (!String.valueOf(p.getSchema()).equals(String.valueOf(p.schema()))) {
            wrong.add("getSchema()=" + p.getSchema() + " but " + where + " has current_schema()=" + p.schema());
        }
        if (m.schema != null && !m.schema.equals(p.getSchema())) {
            wrong.add("getSchema()=" + p.getSchema() + " but the application set " + m.schema);
        }
        if (m.readOnly && !"on".equals(p.txReadOnly())) {
            wrong.add("isReadOnly()=true but " + where + " runs a read-write transaction (transaction_read_only=off)");
        }
        if (!m.readOnly && ("on".equals(p.txReadOnly()) || p.inRecovery())) {
            wrong.add("isReadOnly()=false but " + where + " is " + (p.inRecovery() ? "a standby" : "read-only"));
        }
        if (served != null) {
            try {
                String state = m.oracle.backendState(served, p.pid());
                boolean inTxn = state != null && state.startsWith("idle in transaction");
                if (state != null && m.autoCommit == inTxn) {
                    wrong.add("getAutoCommit()=" + m.autoCommit + " but " + where + " is '" + state + "' after the probe");
                }
            } catch (SQLException e) {
                throw new IllegalStateException("the oracle cannot read " + served + ": " + e, e);
            }
        }
        ModelStats.CHECKS.incrementAndGet();
        if (!wrong.isEmpty()) {
            throw m.trail.violated(4, "probe on " + on + ": " + String.join("; ", wrong));
        }
    }

    static int isolationLevel(String name) {
        return switch (name) {
            case "read uncommitted" -> Connection.TRANSACTION_READ_UNCOMMITTED;
            case "repeatable read" -> Connection.TRANSACTION_REPEATABLE_READ;
            case "serializable" -> Connection.TRANSACTION_SERIALIZABLE;
            default -> Connection.TRANSACTION_READ_COMMITTED;
        };
    }

    void write(StatementKind kind, ConnectionModel.Held h, String on) {
        List<Fact> facts = new ArrayList<>();
        String prefix = m.tryId + "-s" + m.step + "-";
        String updateId = kind == StatementKind.UPDATE ? m.ledger.committedId(m.step) : null;
        StatementKind k = kind == StatementKind.UPDATE && updateId == null ? StatementKind.INSERT : kind;
        int n = k == StatementKind.BATCH || k == StatementKind.COPY ? 2 : 1;
        for (int i = 0; i < n; i++) {
            facts.add(k == StatementKind.UPDATE ? new Fact(updateId, m.step) : Fact.insert(prefix + i));
        }
        String what = k + " " + facts + " on " + on;
        boolean ro = m.readOnly;
        boolean ac = m.autoCommit;
        Connection c = m.conn;
        Outcome<Object> o = m.call(what, m.ordinaryBound(), () -> run(k, h, c, facts));
        m.ledger.wrote(new Ledger.Write(what, facts, ro, m.connNo), ac, o.ok(), o.sqlState());
        m.sessionFailure(o);
    }

    private Object run(StatementKind k, ConnectionModel.Held h, Connection c, List<Fact> facts) throws Exception {
        String id = facts.get(0).id();
        if (h != null && h.kind() == HeldKind.INSERT_PS) {
            PreparedStatement ps = (PreparedStatement) h.statement();
            ps.setString(1, id);
            ps.setString(2, m.tryId);
            return ps.executeUpdate();
        }
        if (k == StatementKind.COPY) {
            String data = facts.stream().map(f -> f.id() + "\t" + m.tryId + "\t0\n").reduce("", String::concat);
            return c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY public.model_rows (id, try_id, v) FROM STDIN", new StringReader(data));
        }
        if (k == StatementKind.UPDATABLE_INSERT) {
            Statement s = h != null ? h.statement() : c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
            try (ResultSet rs = s.executeQuery("SELECT id, try_id, v FROM public.model_rows WHERE id = ''")) {
                rs.moveToInsertRow();
                rs.updateString("id", id);
                rs.updateString("try_id", m.tryId);
                rs.updateInt("v", 0);
                rs.insertRow();
                return "inserted";
            } finally {
                closeFresh(h, s);
            }
        }
        Statement s = plain(h);
        try {
            switch (k) {
                case UPDATE:
                    return s.executeUpdate("UPDATE public.model_rows SET v = " + m.step + " WHERE id = '" + id + "'");
                case BATCH:
                    for (Fact f : facts) {
                        s.addBatch(insertSql(f.id(), m.tryId));
                    }
                    return java.util.Arrays.toString(s.executeBatch());
                case INSERT_RETURNING:
                    try (ResultSet rs = s.executeQuery(insertSql(id, m.tryId) + " RETURNING id")) {
                        rs.next();
                        return rs.getString(1);
                    }
                default:
                    return s.executeUpdate(insertSql(id, m.tryId));
            }
        } finally {
            closeFresh(h, s);
        }
    }
}
