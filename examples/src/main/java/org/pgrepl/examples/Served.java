package org.pgrepl.examples;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Which server answered on a connection: "primary" or "replica", and its port. The examples
 * return these so their tests can assert where reads and writes landed.
 *
 * @param role "primary" or "replica"
 * @param port the server's port
 */
public record Served(String role, int port) {
    /** Asks the server behind {@code c}: {@code pg_is_in_recovery()} and {@code inet_server_port()}. */
    public static Served by(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery(), inet_server_port()")) {
            rs.next();
            return new Served(rs.getBoolean(1) ? "replica" : "primary", rs.getInt(2));
        }
    }

    @Override
    public String toString() {
        return role + ":" + port;
    }
}
