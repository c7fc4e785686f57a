package org.pgrepl.examples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Plain JDBC: one connection, the read-only flag picks the server. */
public final class PlainJdbcExample {
    private PlainJdbcExample() {
    }

    /** Writes a row on the primary, then reads on a replica; returns where each ran. */
    public static List<Served> run(String pgreplUrl, Properties credentials) throws SQLException {
        List<Served> served = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pgreplUrl, credentials)) {
            // Read-write by default: the primary.
            try (PreparedStatement ps = c.prepareStatement(
                    "CREATE TABLE IF NOT EXISTS example_notes (id serial PRIMARY KEY, note text)")) {
                ps.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO example_notes (note) VALUES (?)")) {
                ps.setString(1, "written through jdbc:pgrepl:");
                ps.executeUpdate();
            }
            served.add(Served.by(c));
            // Read-only: a replica.
            c.setReadOnly(true);
            served.add(Served.by(c));
        }
        return served;
    }

    /** {@code java ... PlainJdbcExample <pgrepl URL>} with PGREPL_USER and PGREPL_PASSWORD set. */
    public static void main(String[] args) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", System.getenv().getOrDefault("PGREPL_USER", "admin"));
        p.setProperty("password", System.getenv().getOrDefault("PGREPL_PASSWORD", ""));
        System.out.println(run(args[0], p));
    }
}
