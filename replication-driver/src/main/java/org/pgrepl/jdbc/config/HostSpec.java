package org.pgrepl.jdbc.config;

/**
 * One host of a pgrepl URL.
 *
 * @param host name or address, IPv6 without brackets
 * @param port TCP port
 */
public record HostSpec(String host, int port) {
    /** {@code host:port}, IPv6 literals in brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
