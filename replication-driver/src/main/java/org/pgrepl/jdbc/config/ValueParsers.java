package org.pgrepl.jdbc.config;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the value forms driver properties take: durations, byte sizes, booleans, choices. */
final class ValueParsers {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m)");
    private static final Pattern BYTES = Pattern.compile("(\\d{1,19})(kB|MB|GB)?");
    static final String DURATION_FORMS = "a whole number with a unit: ms, s or m (e.g. 500ms, 10s, 2m)";
    static final String BYTES_FORMS = "a whole number of bytes, or with kB, MB or GB (1024-based, e.g. 16MB)";

    private ValueParsers() {
    }

    static Duration duration(String key, String value, boolean zeroAllowed) throws SQLException {
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw ConfigErrors.parameter(key + " must be " + DURATION_FORMS + (zeroAllowed ? "" : ", above zero")
                    + "; got " + ConfigErrors.shown(value));
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
        if (d.compareTo(Duration.ofDays(1)) > 0) {
            throw ConfigErrors.parameter(key + " must be at most one day; got " + ConfigErrors.shown(value));
        }
        if (!zeroAllowed && d.isZero()) {
            throw ConfigErrors.parameter(key + " must be above zero; got " + ConfigErrors.shown(value));
        }
        return d;
    }

    static Duration durationOrOff(String key, String value) throws SQLException {
        return "off".equalsIgnoreCase(value) ? null : duration(key, value, true);
    }

    static Long bytesOrOff(String key, String value) throws SQLException {
        if ("off".equalsIgnoreCase(value)) {
            return null;
        }
        Matcher m = BYTES.matcher(value);
        if (!m.matches()) {
            throw ConfigErrors.parameter(key + " must be " + BYTES_FORMS + ", or off; got " + ConfigErrors.shown(value));
        }
        long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
            case "kB" -> 1024L;
            case "MB" -> 1024L * 1024;
            default -> 1024L * 1024 * 1024;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw ConfigErrors.parameter(key + " is too large; got " + ConfigErrors.shown(value));
        }
    }

    static boolean bool(String key, String value) throws SQLException {
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        throw ConfigErrors.parameter(key + " must be true or false; got " + ConfigErrors.shown(value));
    }

    static <E extends Enum<E> & Spelled> E choice(String key, String value, E[] values) throws SQLException {
        for (E e : values) {
            if (e.spelling().toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        StringBuilder accepted = new StringBuilder();
        for (E e : values) {
            accepted.append(accepted.length() == 0 ? "" : ", ").append(e.spelling());
        }
        throw ConfigErrors.parameter("unknown " + key + " " + ConfigErrors.shown(value) + "; accepted: " + accepted);
    }
}
