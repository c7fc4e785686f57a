package org.pgrepl.jdbc.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * What makes two connections share a cluster's monitor, and what makes them share a read floor.
 *
 * <p>A monitor is shared by connections with the same sorted host list, database and user and
 * the same value of every setting that changes how a connection is made: TLS ({@code ssl*}),
 * timeouts ({@code *Timeout}), authentication and socket options, startup {@code options}, and
 * {@code monitorInterval}. Settings that only shape a session's work (fetch sizes, the
 * application name, pgrepl's routing options) do not split monitors. The password is not part
 * of the key: the monitor logs in with the credentials of the most recent connection of its
 * key, so a rotated password reaches it.
 *
 * <p>The read floor of {@code readConsistency=process} is about positions, not credentials: one
 * per sorted host list and database.
 */
public final class ClusterKeys {
    /** pgjdbc settings, beyond {@code ssl*} and {@code *Timeout}, that change how a connection is made. */
    private static final Set<String> CONNECT_SETTINGS = Set.of("assumeMinServerVersion",
            "authenticationPluginClassName", "channelBinding", "connectExecutor", "connectExecutorArg", "gssEncMode",
            "gsslib", "gssUseDefaultCreds", "jaasApplicationName", "jaasLogin", "kerberosServerName",
            "localSocketAddress", "maxSendBufferSize", "options", "pemKeyAlgorithm", "preferQueryMode",
            "prepareThreshold", "protocolVersion", "receiveBufferSize", "requireAuth", "sendBufferSize", "service",
            "socketFactory", "socketFactoryArg", "sspiServiceClass", "tcpKeepAlive", "tcpNoDelay", "useSpnego");
    /** Secrets: never in a key (a key names threads and JMX beans); they follow the latest connection. */
    private static final Set<String> CREDENTIALS = Set.of("password", "sslpassword");

    private ClusterKeys() {
    }

    /** {@code [sorted hosts]/database/user}: names a cluster in logs and JMX; no secret. */
    public static String displayName(PgReplUrl url) {
        return names(url).display();
    }

    /** {@code [sorted hosts]/database}: the key of the process-wide read floor. */
    public static String floorKey(PgReplUrl url) {
        return names(url).floor();
    }

    /**
     * The connection settings that split monitors, as {@code name=value} pairs sorted by name
     * and joined with {@code &}; empty when none is set. Never holds a credential.
     */
    public static String connectSettings(PgReplUrl url) {
        Properties p = url.pgjdbcProperties();
        TreeMap<String, String> chosen = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (changesHowItConnects(name)) {
                chosen.put(name, p.getProperty(name));
            }
        }
        chosen.put(PgReplProperty.MONITOR_INTERVAL.getName(), url.config().monitorInterval().toMillis() + "ms");
        StringBuilder sb = new StringBuilder();
        chosen.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(k).append('=').append(v));
        return sb.toString();
    }

    /** The monitor's key: display name plus connection settings. */
    public static String monitorKey(PgReplUrl url) {
        return names(url).monitor();
    }

    /**
     * Every name of a URL's cluster, made at once ({@link PgReplUrl#names()} keeps them).
     *
     * @param floor    {@link #floorKey}
     * @param display  {@link #displayName}
     * @param settings {@link #connectSettings}
     * @param monitor  {@link #monitorKey}
     * @param metrics  {@code host:port,host:port/database}, hosts sorted: the metrics name, without the user
     */
    public record Names(String floor, String display, String settings, String monitor, String metrics) {
    }

    /** Makes every name of a URL's cluster. */
    public static Names names(PgReplUrl url) {
        List<String> sorted = new ArrayList<>();
        url.hosts().forEach(h -> sorted.add(h.toString()));
        Collections.sort(sorted);
        String floor = sorted + "/" + url.database();
        String display = floor + "/" + url.pgjdbcProperties().getProperty("user", "");
        String settings = connectSettings(url);
        return new Names(floor, display, settings, display + "?" + settings, String.join(",", sorted) + "/" + url.database());
    }

    static boolean changesHowItConnects(String name) {
        if (CREDENTIALS.contains(name)) {
            return false;
        }
        return name.regionMatches(true, 0, "ssl", 0, 3) || name.endsWith("Timeout") || CONNECT_SETTINGS.contains(name);
    }
}
