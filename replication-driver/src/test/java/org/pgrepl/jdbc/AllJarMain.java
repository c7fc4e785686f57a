package org.pgrepl.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

/** Run by {@link AllJarIT} in a fresh JVM whose class path is the -all jar and this class only. */
public final class AllJarMain {
    private AllJarMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], args[1], System.getenv("PGREPL_TEST_PASSWORD"))) {
            c.setReadOnly(true);
            try (ResultSet rs = c.createStatement().executeQuery("SELECT pg_is_in_recovery(), inet_server_port()")) {
                rs.next();
                System.out.println("SERVED in_recovery=" + rs.getBoolean(1) + " port=" + rs.getInt(2));
            }
        }
    }
}
