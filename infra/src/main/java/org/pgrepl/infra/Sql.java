package org.pgrepl.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** The few JDBC calls the launcher makes to control its servers. */
final class Sql {
    private Sql() {
    }

    static Connection connect(Server server, String database, Properties credentials) throws SQLException {
        Properties props = new Properties();
        props.putAll(credentials);
        props.setProperty("ApplicationName", "pgrepl-launcher");
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://" + server.hostAndPort() + "/" + database, props);
    }

    /** First column of the first row, or null. */
    static String queryString(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Runs any statement; returns the first value when it produced rows, else null. */
    static String run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (!s.execute(sql)) {
                return null;
            }
            try (ResultSet rs = s.getResultSet()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** A SQL string literal; the launcher only quotes values it generated or was given. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
