package org.pgrepl.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Which server answered: {@code pg_is_in_recovery()} and {@code inet_server_port()}. */
record Served(boolean inRecovery, int port) {
    static final String QUERY = "SELECT pg_is_in_recovery(), inet_server_port()";

    static Served by(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            rs.next();
            return new Served(rs.getBoolean(1), rs.getInt(2));
        }
    }
}
