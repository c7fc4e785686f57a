package org.pgrepl.patient;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.pgrepl.patient.PatientStatements.Statement;

/**
 * Plain JDBC: prepare the cached SQL, bind, map by hand. This is what a hand-written DAO does,
 * and what the DAO does when no execute listener is asked for. Preparing per call costs little:
 * the SQL string is the same every time, so pgjdbc's per-connection statement cache reuses the
 * server-side prepared statement after its {@code prepareThreshold}.
 */
final class JdbcSqlRunner implements SqlRunner {
    @Override
    public List<Patient> patients(Connection c, Statement s, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.sql())) {
            bind(ps, s, values);
            try (ResultSet rs = ps.executeQuery()) {
                List<Patient> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(PatientRows.patient(rs));
                }
                return rows;
            }
        }
    }

    @Override
    public <T> T value(Connection c, Statement s, Class<T> type, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.sql())) {
            bind(ps, s, values);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the statement returned no row");
                }
                return rs.getObject(1, type);
            }
        }
    }

    @Override
    public int update(Connection c, Statement s, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.sql())) {
            bind(ps, s, values);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Statement s, Object[] values) throws SQLException {
        if (values.length != s.position().length) {
            throw new IllegalArgumentException("expected " + s.position().length + " values, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            int p = s.position()[i];
            Object v = values[i];
            if (v == null) {
                ps.setNull(p, s.types().get(i).getSQLType());
            } else if (v instanceof String x) {
                ps.setString(p, x);
            } else if (v instanceof Long x) {
                ps.setLong(p, x);
            } else if (v instanceof Integer x) {
                ps.setInt(p, x);
            } else {
                // LocalDate, OffsetDateTime: JDBC 4.2 types, which pgjdbc sends as date and timestamptz
                ps.setObject(p, v);
            }
        }
    }
}
