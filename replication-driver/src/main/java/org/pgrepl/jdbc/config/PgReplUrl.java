package org.pgrepl.jdbc.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A parsed {@code jdbc:pgrepl://primary[:port],replica[:port].../database[?key=value&...]} URL:
 * hosts (the first is the configured primary), database, the driver's own settings, and every
 * other parameter for pgjdbc. A URL value beats the same key in the caller's {@code Properties},
 * as in pgjdbc; the caller's {@code Properties} are never changed.
 */
public final class PgReplUrl {
    /** The prefix that {@code acceptsURL} checks, and nothing more. */
    public static final String PREFIX = "jdbc:pgrepl:";
    static final int MAX_LENGTH = 8192;

    /** pgjdbc keys that would fight routing, with what pgrepl offers instead. */
    private static final Map<String, String> OWNED = Map.of(
            "targetServerType", "setReadOnly(true) for replica reads and readFallback for what happens without one",
            "loadBalanceHosts", "replicaSelection",
            "hostRecheckSeconds", "hostRecheck (a duration, e.g. 10s)",
            "readOnlyMode", "pgrepl's read-only routing (setReadOnly, or readOnly=true in the URL)");

    private final List<HostSpec> hosts;
    private final String database;
    private final Properties pgjdbc;
    private final DriverConfig config;
    /**
     * {@link ClusterKeys#names}, made on first use: the parse memo hands the same object to every
     * connection of a URL, and a connection opened per operation (or the first after a quiet
     * spell, which builds a new cluster) would otherwise sort the hosts and scan every pgjdbc
     * setting for each one. Immutable inputs, so a race only repeats it.
     */
    private volatile ClusterKeys.Names names;
    /**
     * The pgjdbc URL of each host, in {@link #hosts} order. A connection opened per operation
     * (or the first after a quiet spell) would otherwise encode the database name and format the
     * host on a path the JIT never compiles; the URL is immutable, so they are made once.
     */
    private final String[] pgjdbcUrls;
    /** {@link #readOnlyLoginProperties}, made on first use (immutable inputs: a race only repeats it). */
    private volatile Properties readOnlyLogin;

    private PgReplUrl(List<HostSpec> hosts, String database, Properties pgjdbc, DriverConfig config) {
        this.hosts = hosts;
        this.database = database;
        this.pgjdbc = pgjdbc;
        this.config = config;
        this.pgjdbcUrls = new String[hosts.size()];
        for (int i = 0; i < pgjdbcUrls.length; i++) {
            pgjdbcUrls[i] = buildPgjdbcUrl(hosts.get(i));
        }
    }

    /** True when the URL starts with {@code jdbc:pgrepl:}; everything else is checked by {@link #parse}. */
    public static boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    /**
     * Parses and validates a URL and the caller's properties.
     *
     * @throws SQLException 08001 for the URL's structure, 22023 for a parameter; the message names
     *                      the problem and never quotes a password
     */
    public static PgReplUrl parse(String url, Properties info) throws SQLException {
        // An application that opens a connection per operation (DriverManager in a command-line
        // tool, a serverless function) parses the same URL and properties every time, on a path
        // the JIT never warms: the parsed URL is immutable, so the last one is reused when both match.
        Set<String> names = info == null ? Set.of() : info.stringPropertyNames(); // defaults included
        Parsed memo = last;
        if (memo != null && memo.url.equals(url) && memo.matches(names, info)) {
            return memo.result;
        }
        Map<String, String> given = given(names, info);
        PgReplUrl result = parseFresh(url, given); // from the same read as the memo's key
        last = new Parsed(url, given, result);
        return result;
    }

    /** The last URL parsed; no {@code toString}, since it holds the properties (the password). */
    private static final class Parsed {
        final String url;
        final Map<String, String> info;
        final PgReplUrl result;

        Parsed(String url, Map<String, String> info, PgReplUrl result) {
            this.url = url;
            this.info = info;
            this.result = result;
        }

        /** The same keys and values as {@code names} read from {@code props}, without copying them first. */
        boolean matches(Set<String> names, Properties props) {
            if (names.size() != info.size()) {
                return false;
            }
            for (String key : names) {
                String value = props.getProperty(key);
                // null: the caller removed it while we read (Properties may change under us); no reuse
                if (value == null || !value.equals(info.get(key))) {
                    return false;
                }
            }
            return true;
        }
    }

    private static volatile Parsed last;

    /** The caller's properties as {@link #build} reads them (string values, defaults included). */
    private static Map<String, String> given(Set<String> names, Properties info) {
        if (info == null) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (String key : names) {
            String value = info.getProperty(key);
            if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    private static PgReplUrl parseFresh(String url, Map<String, String> info) throws SQLException {
        if (!acceptsURL(url)) {
            throw ConfigErrors.structure("it must start with " + PREFIX);
        }
        if (url.length() > MAX_LENGTH) {
            throw ConfigErrors.structure("it is " + url.length() + " characters long; at most " + MAX_LENGTH);
        }
        String rest = url.substring(PREFIX.length());
        if (!rest.startsWith("//")) {
            throw ConfigErrors.structure("expected jdbc:pgrepl://host[:port][,host[:port]...]/database; the short form"
                    + " jdbc:pgrepl:database is not supported, since pgrepl needs the primary and replica hosts");
        }
        rest = rest.substring(2);
        int end = indexOfAny(rest, '/', '?');
        if (end < 0 || rest.charAt(end) != '/') {
            throw ConfigErrors.structure("missing '/' and database after the host list");
        }
        List<HostSpec> hosts = HostListParser.parse(rest.substring(0, end));
        int q = rest.indexOf('?', end);
        String path = q < 0 ? rest.substring(end + 1) : rest.substring(end + 1, q);
        String database = QueryParser.decode(path, "the database name");
        if (database.indexOf('/') >= 0 || ConfigErrors.hasControl(database)) {
            throw ConfigErrors.structure("the database name " + ConfigErrors.shown(database)
                    + " contains '/' or a control character");
        }
        Map<String, String> urlParams = QueryParser.parse(q < 0 ? null : rest.substring(q + 1));
        return build(hosts, database, urlParams, info);
    }

    /**
     * For {@code Driver.getPropertyInfo}: the caller's properties with the URL's parameters over
     * them (a URL value beats the same key in {@code Properties}, as for {@link #parse}). Problems
     * of the URL are ignored here; {@code connect} reports them.
     */
    public static Properties withUrlParameters(String url, Properties info) {
        Properties out = new Properties();
        if (info != null) {
            for (String key : info.stringPropertyNames()) {
                out.setProperty(key, info.getProperty(key));
            }
        }
        int q = url == null ? -1 : url.indexOf('?');
        if (acceptsURL(url) && q >= 0) {
            try {
                QueryParser.parse(url.substring(q + 1)).forEach(out::setProperty);
            } catch (SQLException malformed) {
                // connect names it; the property list shows what could be read
            }
        }
        return out;
    }

    private static PgReplUrl build(List<HostSpec> hosts, String database, Map<String, String> urlParams,
                                   Map<String, String> info) throws SQLException {
        Properties pgjdbc = new Properties();
        Map<PgReplProperty, String> driver = new EnumMap<>(PgReplProperty.class);
        for (Map.Entry<String, String> e : info.entrySet()) {
            route(e.getKey(), e.getValue(), pgjdbc, driver);
        }
        for (Map.Entry<String, String> e : urlParams.entrySet()) {
            route(e.getKey(), e.getValue(), pgjdbc, driver);
        }
        DriverConfig config = PgReplProperty.configOf(driver);
        if (config.transactionPooling() && pgjdbc.getProperty("prepareThreshold") == null) {
            // A named server-side statement lives in one server session; behind a transaction
            // pooler the next execution may reach another session, which has never heard of it.
            pgjdbc.setProperty("prepareThreshold", "0");
        }
        return new PgReplUrl(Collections.unmodifiableList(new ArrayList<>(hosts)), database, pgjdbc, config);
    }

    private static void route(String key, String value, Properties pgjdbc, Map<PgReplProperty, String> driver)
            throws SQLException {
        String instead = OWNED.get(key);
        if (instead != null) {
            throw ConfigErrors.parameter("'" + key + "' is owned by pgrepl, since it would fight its routing; use "
                    + instead);
        }
        PgReplProperty p = PgReplProperty.forName(key);
        if (p != null) {
            driver.put(p, value);
        } else {
            pgjdbc.setProperty(key, value);
        }
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == a || s.charAt(i) == b) {
                return i;
            }
        }
        return -1;
    }

    /** Every host in URL order; the first is the configured primary. */
    public List<HostSpec> hosts() {
        return hosts;
    }

    /** The configured primary (the first host). */
    public HostSpec primary() {
        return hosts.get(0);
    }

    /** The configured replicas (every host after the first). */
    public List<HostSpec> replicas() {
        return hosts.subList(1, hosts.size());
    }

    /** The database name; empty when the URL names none (pgjdbc then uses the user name). */
    public String database() {
        return database;
    }

    /** A new {@code Properties} with every parameter for pgjdbc (user, password, ssl, ...). */
    public Properties pgjdbcProperties() {
        Properties copy = new Properties();
        copy.putAll(pgjdbc);
        return copy;
    }

    /**
     * The parameters for pgjdbc's logins: one instance, shared by every connection of this URL.
     * pgjdbc only reads the properties it is given, and so must every caller: never change it
     * (take {@link #pgjdbcProperties()} for a copy). Copying them for each connection cost a
     * connection opened per operation more than the rest of its routing.
     */
    public Properties loginProperties() {
        return pgjdbc;
    }

    /**
     * {@link #loginProperties()} with {@code -c default_transaction_read_only=on} after any
     * {@code options} of the user's (last, so it wins over the user's own): the login of a replica
     * session that is read-only from its first statement. Shared as {@link #loginProperties()} is;
     * never change it.
     */
    public Properties readOnlyLoginProperties() {
        Properties p = readOnlyLogin;
        if (p == null) {
            p = new Properties();
            p.putAll(pgjdbc);
            String own = p.getProperty("options");
            String readOnly = "-c default_transaction_read_only=on";
            p.setProperty("options", own == null || own.isBlank() ? readOnly : own + " " + readOnly);
            readOnlyLogin = p;
        }
        return p;
    }

    /** The driver's own settings. */
    public DriverConfig config() {
        return config;
    }

    /** The plain pgjdbc URL of one host and this database, without parameters. */
    public String pgjdbcUrl(HostSpec host) {
        for (int i = 0; i < pgjdbcUrls.length; i++) {
            HostSpec h = hosts.get(i);
            if (h == host || h.equals(host)) {
                return pgjdbcUrls[i];
            }
        }
        return buildPgjdbcUrl(host);
    }

    private String buildPgjdbcUrl(HostSpec host) {
        return "jdbc:postgresql://" + host + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The key of the monitor this URL's connections share ({@link ClusterKeys#monitorKey}). */
    public String monitorKey() {
        return names().monitor();
    }

    /** Every name of this URL's cluster ({@link ClusterKeys#names}), made once. */
    public ClusterKeys.Names names() {
        ClusterKeys.Names n = names;
        if (n == null) {
            n = ClusterKeys.names(this);
            names = n;
        }
        return n;
    }

    /** Hosts, database and parameter names; never a password. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("jdbc:pgrepl://");
        for (int i = 0; i < hosts.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(hosts.get(i));
        }
        sb.append('/').append(database).append(' ').append(config);
        List<String> keys = new ArrayList<>(pgjdbc.stringPropertyNames());
        Collections.sort(keys);
        sb.append(" pgjdbc").append(keys.stream().map(k -> k.toLowerCase().contains("password") ? k + "=***"
                : k.equals("user") ? k + "=" + pgjdbc.getProperty(k) : k).toList());
        return sb.toString();
    }
}
