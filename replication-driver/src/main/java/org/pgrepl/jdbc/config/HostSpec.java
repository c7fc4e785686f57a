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

    // Written out: a record's own equals and hashCode go through method handles, which stay slow
    // on a path the JIT leaves cold (each connection opened per operation compares its host).
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof HostSpec h && port == h.port && host.equals(h.host);
    }

    @Override
    public int hashCode() {
        return 31 * host.hashCode() + port;
    }
}
