package org.pgrepl.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Writes each server's configuration. The settings of the pair come from the very files the
 * compose setup mounts ({@code infra/postgres/}, packaged into this jar); the launcher only adds
 * what differs on loopback: port, listen address, socket directory and test speed-ups.
 */
final class ServerConfig {
    /** Shared settings, included by every server. */
    static final String SHARED_CONF = "conf/postgresql.conf";
    /** Client authentication for loopback (the compose network has its own template). */
    static final String LOOPBACK_HBA = "hba/loopback.pg_hba.conf";
    /** Plain SQL run on every new primary, in this order. */
    static final List<String> INIT_SQL = List.of("init/10-roles.sql");
    /** The Patroni configuration shared by every member (in {@code infra/patroni/}). */
    static final String PATRONI_YML = "/org/pgrepl/infra/patroni/patroni.yml";

    private static final String SHARED_COPY = "pgrepl-shared.conf";
    private static final String LAUNCHER_CONF = "pgrepl-launcher.conf";

    private ServerConfig() {
    }

    /** The text of one of the shared files. */
    static String resource(String name) {
        String path = name.startsWith("/") ? name : "/org/pgrepl/infra/postgres/" + name;
        try (InputStream in = ServerConfig.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path + " in the infra jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Configures a fresh data directory (from initdb or a clone): shared settings, then the
     * launcher's, then {@code extra} (the builder's settings), last one wins.
     */
    static void write(Path dataDir, int port, Path socketDir, Map<String, String> extra, List<String> roleSettings)
            throws IOException {
        Files.writeString(dataDir.resolve(SHARED_COPY), resource(SHARED_CONF));
        StringBuilder conf = new StringBuilder("# written by the pgrepl launcher; overrides " + SHARED_COPY + "\n");
        conf.append("listen_addresses = '127.0.0.1'\n");
        conf.append("port = ").append(port).append('\n');
        conf.append("unix_socket_directories = '").append(socketDir).append("'\n");
        // Test clusters trade durability against a machine crash (not a process crash) for speed:
        // after kill -9 of a server, committed data is still in the OS page cache.
        conf.append("fsync = off\n");
        conf.append("shared_buffers = '32MB'\n");
        conf.append("wal_receiver_status_interval = '1s'\n");
        roleSettings.forEach(s -> conf.append(s).append('\n'));
        extra.forEach((k, v) -> conf.append(k).append(" = ").append(Sql.literal(v)).append('\n'));
        Files.writeString(dataDir.resolve(LAUNCHER_CONF), conf);

        Path main = dataDir.resolve("postgresql.conf");
        String current = Files.readString(main);
        if (!current.contains("include '" + SHARED_COPY + "'")) {
            Files.writeString(main, "\n# pgrepl\ninclude '" + SHARED_COPY + "'\ninclude '" + LAUNCHER_CONF + "'\n",
                    StandardOpenOption.APPEND);
        }
        Files.writeString(dataDir.resolve("pg_hba.conf"), resource(LOOPBACK_HBA));
    }

    /** Settings that make a data directory a streaming standby of {@code primary}. */
    static List<String> standbyOf(Server primary, String slot, String applicationName, String replicatorPassword) {
        return List.of(
                "primary_conninfo = 'host=" + primary.host() + " port=" + primary.port()
                        + " user=replicator password=" + replicatorPassword
                        + " application_name=" + applicationName + " connect_timeout=5'",
                "primary_slot_name = '" + slot + "'",
                "recovery_target_timeline = 'latest'");
    }
}
