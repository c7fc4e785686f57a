package org.pgrepl.jdbc.model;

import java.sql.SQLException;

/** What one JDBC call told the application: a value or an SQLException, and how long it took. */
record Outcome<T>(T value, SQLException error, long millis) {
    boolean ok() {
        return error == null;
    }

    String sqlState() {
        return error == null ? null : error.getSQLState();
    }

    /** For the trail: the value, or the SQLState and the start of the message. */
    String describe() {
        if (ok()) {
            return "ok" + (value == null ? "" : " " + abbreviate(String.valueOf(value))) + " (" + millis + " ms)";
        }
        return error.getSQLState() + " " + abbreviate(String.valueOf(error.getMessage())) + " (" + millis + " ms)";
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 110 ? one.substring(0, 110) + "..." : one;
    }

    /** A JDBC call that may throw. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws Exception;
    }
}
