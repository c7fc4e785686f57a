package org.pgrepl.jdbc.config;

import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;

/**
 * Every property the driver owns, declared once: name, default, description and parser. Feeds
 * URL parsing, {@link java.sql.Driver#getPropertyInfo} and the README's table. Every other key
 * passes through to pgjdbc. Choices and booleans match case-insensitively, as pgjdbc's booleans do.
 */
public enum PgReplProperty {
    /** How a replica is picked. */
    REPLICA_SELECTION("replicaSelection", "roundRobin", "How a replica is picked for a new replica connection.",
            names(ReplicaSelection.values())),
    /** What a read does when no replica is usable. */
    READ_FALLBACK("readFallback", "primary", "What a read does when no replica is usable: run on the primary"
            + " (in read-only mode) or fail with SQLState 08001.", names(ReadFallback.values())),
    /** First back-off before a down host is tried again. */
    HOST_RECHECK("hostRecheck", "10s", "First back-off before a host marked down is tried again; doubles on each"
            + " failure. " + "Duration: " + ValueParsers.DURATION_FORMS + ".", null),
    /** Lag bound in time. */
    MAX_REPLICA_LAG("maxReplicaLag", "off", "Replicas further behind than this (replay delay) are not used."
            + " Duration, or off.", null),
    /** Lag bound in bytes. */
    MAX_REPLICA_LAG_BYTES("maxReplicaLagBytes", "off", "Replicas further behind than this many WAL bytes are"
            + " not used. Bytes (kB, MB, GB, 1024-based), or off.", null),
    /** Read consistency. */
    READ_CONSISTENCY("readConsistency", "eventual", "eventual: a replica read sees what the replica has replayed;"
            + " session: read-your-writes and monotonic reads per logical connection; process: the same floor"
            + " shared by every connection to the cluster in this JVM.", names(ReadConsistency.values())),
    /** Wait bound for read-your-writes. */
    READ_YOUR_WRITES_TIMEOUT("readYourWritesTimeout", "1s", "Longest wait for a replica to reach the position a"
            + " read needs; then the read follows readFallback (fail: SQLState 57014). Duration.", null),
    /** Monitor cycle. */
    MONITOR_INTERVAL("monitorInterval", "1s", "How often the cluster monitor refreshes roles and lag. Duration.",
            null),
    /** Follow promotion. */
    FOLLOW_PROMOTION("followPromotion", "true", "Send writes to whichever listed host is not in recovery;"
            + " false: always the first host.", new String[] {"true", "false"}),
    /** Start every connection read-only. */
    READ_ONLY("readOnly", "false", "Every logical connection starts on the read-only route (for tools that"
            + " cannot call setReadOnly). Owned by pgrepl: not passed to pgjdbc.", new String[] {"true", "false"}),
    /** The hosts are poolers in transaction mode. */
    TRANSACTION_POOLING("transactionPooling", "false", "The hosts are poolers in transaction mode (PgBouncer"
            + " pool_mode=transaction), where a server session serves other clients between transactions: pgjdbc's"
            + " server-side prepared statements are off (prepareThreshold=0 unless set), isolation is set per"
            + " transaction, and what would set session state is refused (setSchema; a non-default isolation in"
            + " autocommit).", new String[] {"true", "false"});

    private final String name;
    private final String defaultValue;
    private final String description;
    private final String[] choices;

    PgReplProperty(String name, String defaultValue, String description, String[] choices) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.description = description;
        this.choices = choices;
    }

    private static String[] names(Spelled[] values) {
        return Arrays.stream(values).map(Spelled::spelling).toArray(String[]::new);
    }

    /** The key in URLs and {@code Properties}. */
    public String getName() {
        return name;
    }

    /** The default, as it would be written in a URL. */
    public String getDefaultValue() {
        return defaultValue;
    }

    /** What the property does. */
    public String getDescription() {
        return description;
    }

    /** The accepted values, or null when free-form. */
    public String[] getChoices() {
        return choices == null ? null : choices.clone();
    }

    /** The property with this exact name, or null when the key is not the driver's. */
    public static PgReplProperty forName(String key) {
        for (PgReplProperty p : values()) {
            if (p.name.equals(key)) {
                return p;
            }
        }
        return null;
    }

    /** {@link DriverPropertyInfo} showing the effective value in {@code effective}, or the default. */
    public DriverPropertyInfo toDriverPropertyInfo(Properties effective) {
        DriverPropertyInfo info = new DriverPropertyInfo(name,
                effective == null ? defaultValue : effective.getProperty(name, defaultValue));
        info.description = description;
        info.required = false;
        info.choices = getChoices();
        return info;
    }

    /** Parses one value (checks it; the typed value goes into {@link DriverConfig}). */
    Object parse(String value) throws SQLException {
        return switch (this) {
            case REPLICA_SELECTION -> ValueParsers.choice(name, value, ReplicaSelection.values());
            case READ_FALLBACK -> ValueParsers.choice(name, value, ReadFallback.values());
            case READ_CONSISTENCY -> ValueParsers.choice(name, value, ReadConsistency.values());
            case HOST_RECHECK, MONITOR_INTERVAL -> ValueParsers.duration(name, value, false);
            case READ_YOUR_WRITES_TIMEOUT -> ValueParsers.duration(name, value, true);
            case MAX_REPLICA_LAG -> ValueParsers.durationOrOff(name, value);
            case MAX_REPLICA_LAG_BYTES -> ValueParsers.bytesOrOff(name, value);
            case FOLLOW_PROMOTION, READ_ONLY, TRANSACTION_POOLING -> ValueParsers.bool(name, value);
        };
    }

    /** Builds the configuration from raw values by property; missing ones take their default. */
    static DriverConfig configOf(Map<PgReplProperty, String> raw) throws SQLException {
        Object[] v = new Object[values().length];
        for (PgReplProperty p : values()) {
            v[p.ordinal()] = p.parse(raw.getOrDefault(p, p.defaultValue));
        }
        return new DriverConfig((ReplicaSelection) v[0], (ReadFallback) v[1], (Duration) v[2], (Duration) v[3],
                (Long) v[4], (ReadConsistency) v[5], (Duration) v[6], (Duration) v[7], (Boolean) v[8], (Boolean) v[9],
                (Boolean) v[10]);
    }

    /** The README table of every property, generated from this enum. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| name | values | default | description |\n|---|---|---|---|\n");
        for (PgReplProperty p : values()) {
            String values = p.choices != null ? "`" + String.join("`, `", p.choices) + "`"
                    : p == MAX_REPLICA_LAG_BYTES ? "bytes, or `off`"
                    : p == MAX_REPLICA_LAG ? "duration, or `off`" : "duration";
            sb.append("| `").append(p.name).append("` | ").append(values).append(" | `").append(p.defaultValue)
                    .append("` | ").append(p.description.replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }
}
