package org.pgrepl.jdbc.config;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Parses the host list of a pgrepl URL: {@code host[:port][,host[:port]...]}, IPv6 in brackets. */
final class HostListParser {
    static final int DEFAULT_PORT = 5432;

    private HostListParser() {
    }

    static List<HostSpec> parse(String authority) throws SQLException {
        if (authority.isEmpty()) {
            throw ConfigErrors.structure("no host before the database; expected //host[:port][,host[:port]...]/database");
        }
        if (authority.indexOf('@') >= 0) {
            // Never echoed: the part before '@' is a user name and maybe a password.
            throw ConfigErrors.structure("credentials in the host part (user:password@host) are not supported;"
                    + " use the user and password parameters");
        }
        List<HostSpec> hosts = new ArrayList<>();
        String[] entries = authority.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            hosts.add(parseOne(entries[i], i + 1));
        }
        return hosts;
    }

    private static HostSpec parseOne(String entry, int position) throws SQLException {
        String where = "host #" + position;
        if (entry.isEmpty()) {
            throw ConfigErrors.structure(where + " is empty (two commas in a row, or a comma at an end)");
        }
        if (ConfigErrors.hasControl(entry)) {
            throw ConfigErrors.structure(where + " contains a control character: " + ConfigErrors.shown(entry));
        }
        String host;
        String portText = null;
        if (entry.charAt(0) == '[') {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw ConfigErrors.structure(where + " has '[' without a closing ']': " + ConfigErrors.shown(entry));
            }
            host = entry.substring(1, close);
            if (!isIpv6(host)) {
                throw ConfigErrors.structure(where + " has brackets around " + ConfigErrors.shown(host)
                        + ", which is not an IPv6 address; brackets are only for IPv6 literals");
            }
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty()) {
                if (rest.charAt(0) != ':') {
                    throw ConfigErrors.structure(where + " has text after ']' that is not ':port': " + ConfigErrors.shown(entry));
                }
                portText = rest.substring(1);
            }
        } else {
            if (entry.indexOf('[') >= 0 || entry.indexOf(']') >= 0) {
                throw ConfigErrors.structure(where + " has a misplaced bracket: " + ConfigErrors.shown(entry)
                        + "; write IPv6 literals as [addr]:port");
            }
            int colon = entry.indexOf(':');
            if (colon >= 0 && entry.indexOf(':', colon + 1) >= 0) {
                throw ConfigErrors.structure(where + " looks like an IPv6 address without brackets: "
                        + ConfigErrors.shown(entry) + "; write it as [addr]:port");
            }
            host = colon >= 0 ? entry.substring(0, colon) : entry;
            portText = colon >= 0 ? entry.substring(colon + 1) : null;
            if (host.isEmpty()) {
                throw ConfigErrors.structure(where + " has a port but no host name: " + ConfigErrors.shown(entry));
            }
            if (!isHostName(host)) {
                throw ConfigErrors.structure(where + " is not a valid host name: " + ConfigErrors.shown(host));
            }
        }
        return new HostSpec(host, port(portText, where));
    }

    private static int port(String text, String where) throws SQLException {
        if (text == null) {
            return DEFAULT_PORT;
        }
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ConfigErrors.structure(where + " has an invalid port " + ConfigErrors.shown(text)
                    + "; a port is a number from 1 to 65535");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw ConfigErrors.structure(where + " has port " + port + ", outside 1 to 65535");
        }
        return port;
    }

    private static boolean isHostName(String host) {
        if (host.length() > 253) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '.' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String host) {
        if (host.indexOf(':') < 0 || host.length() > 45) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
