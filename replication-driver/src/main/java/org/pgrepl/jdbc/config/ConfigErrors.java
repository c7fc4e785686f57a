package org.pgrepl.jdbc.config;

import java.sql.SQLException;

/**
 * The driver's own configuration errors: SQLState 08001 for the URL's structure, 22023 for a
 * parameter. Messages quote offending text only after {@link #shown(String)} has cut it short
 * and made control characters visible, and never quote a password.
 */
final class ConfigErrors {
    /** Malformed URL structure (hosts, ports, brackets, encoding, userinfo, short form). */
    static final String STRUCTURE = "08001";
    /** Bad parameter value, unknown value, duplicate key, or a pgjdbc key that pgrepl owns. */
    static final String PARAMETER = "22023";
    private static final int MAX_SHOWN = 60;

    private ConfigErrors() {
    }

    static SQLException structure(String message) {
        return new SQLException("invalid jdbc:pgrepl: URL: " + message, STRUCTURE);
    }

    static SQLException parameter(String message) {
        return new SQLException("invalid jdbc:pgrepl: parameter: " + message, PARAMETER);
    }

    /** Text fit for a message: at most 60 characters, control characters as \\uXXXX. */
    static String shown(String text) {
        String cut = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) : text;
        StringBuilder sb = new StringBuilder(cut.length() + 8).append('\'');
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('\'');
        if (text.length() > MAX_SHOWN) {
            sb.append("... (").append(text.length()).append(" characters)");
        }
        return sb.toString();
    }

    static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
