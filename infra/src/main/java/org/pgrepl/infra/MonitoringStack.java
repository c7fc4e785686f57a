package org.pgrepl.infra;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus and a postgres_exporter per server next to an {@link EmbeddedCluster}, without
 * Docker: Debian's {@code prometheus} and {@code prometheus-postgres-exporter}, run from the files
 * {@code infra/docker-compose.monitoring.yml} mounts ({@code prometheus/prometheus.yml},
 * {@code prometheus/rules/}, {@code postgres-exporter/queries.yml}; packaged into this jar, or read
 * from {@link Builder#configSource}). Everything they read is copied into a directory the
 * launcher owns, and they run as the server user when the JVM is root. Exporter targets carry
 * {@code server}, {@code server_address} and {@code server_port}, as the compose targets do.
 * {@link #close()} kills them and deletes the directory; the cluster stays up.
 */
public final class MonitoringStack implements AutoCloseable {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Path EXPORTER = Path.of("/usr/bin/prometheus-postgres-exporter");
    /** What the processes read, relative to {@code infra/}: the compose mounts. */
    static final String PROMETHEUS_YML = "prometheus/prometheus.yml";
    static final String RULES_DIR = "prometheus/rules";
    static final List<String> PACKAGED_RULES = List.of("pgrepl-alerts.yml");
    static final String QUERIES_YML = "postgres-exporter/queries.yml";

    private final EmbeddedCluster cluster;
    private final ServerUser user;
    private final Path dir;
    private final Map<Server, Integer> exporterPorts = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private int prometheusPort;

    /** Options of a stack; {@link #start()} runs it. */
    public static final class Builder {
        private final EmbeddedCluster cluster;
        private Path configSource;
        private Duration interval;
        private final List<String> appTargets = new ArrayList<>();

        private Builder(EmbeddedCluster cluster) {
            this.cluster = cluster;
        }

        /**
         * Reads the files from a directory laid out like {@code infra/} (e.g. a checkout's, or a
         * test's changed copy) instead of the packaged ones.
         */
        public Builder configSource(Path infraDirectory) {
            this.configSource = infraDirectory;
            return this;
        }

        /** Scrape and rule evaluation interval (the shipped file says 15 s). */
        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /** An application's {@code host:port} serving {@code /metrics} (job {@code pgrepl-app}). */
        public Builder appTarget(String hostAndPort) {
            appTargets.add(hostAndPort);
            return this;
        }

        /** Starts the exporters and Prometheus; returns when each answers. */
        public MonitoringStack start() {
            String missing = missing();
            if (missing != null) {
                throw new ClusterStartException("cannot start the monitoring stack: " + missing);
            }
            MonitoringStack s = null;
            try {
                s = new MonitoringStack(cluster);
                s.writeConfig(configSource, interval, appTargets);
                s.startAll();
                return s;
            } catch (IOException | RuntimeException e) {
                if (s != null) {
                    s.close();
                }
                throw e instanceof ClusterStartException c ? c
                        : new ClusterStartException("cannot start the monitoring stack: " + e.getMessage(), e);
            }
        }
    }

    private MonitoringStack(EmbeddedCluster cluster) throws IOException {
        this.cluster = cluster;
        this.user = ServerUser.resolve(null);
        this.dir = ClusterDirectory.create(user);
    }

    /** A stack next to {@code cluster}. */
    public static Builder builder(EmbeddedCluster cluster) {
        return new Builder(cluster);
    }

    /** What is missing to run a stack, in words a skipped test can print, or null. */
    public static String missing() {
        List<String> packages = new ArrayList<>();
        if (!Files.isExecutable(PROMETHEUS)) {
            packages.add("prometheus");
        }
        if (!Files.isExecutable(EXPORTER)) {
            packages.add("prometheus-postgres-exporter");
        }
        return packages.isEmpty() ? null : "needs Debian package(s) " + String.join(" and ", packages) + " (" + PROMETHEUS
                + ", " + EXPORTER + ")";
    }

    private void writeConfig(Path source, Duration interval, List<String> appTargets) throws IOException {
        String prometheusYml = read(source, PROMETHEUS_YML);
        if (interval != null) {
            String s = interval.toMillis() + "ms";
            prometheusYml = prometheusYml.replaceFirst("(?m)^(\\s+scrape_interval:).*$", "$1 " + s)
                    .replaceFirst("(?m)^(\\s+evaluation_interval:).*$", "$1 " + s);
        }
        write(PROMETHEUS_YML, prometheusYml);
        for (String rule : ruleFiles(source)) {
            write(RULES_DIR + "/" + rule, read(source, RULES_DIR + "/" + rule));
        }
        write(QUERIES_YML, read(source, QUERIES_YML));
        List<Integer> ports = FreePorts.take(cluster.servers().size() + 1);
        StringBuilder targets = new StringBuilder("[\n");
        for (int i = 0; i < cluster.servers().size(); i++) {
            Server s = cluster.servers().get(i);
            exporterPorts.put(s, ports.get(i));
            targets.append(i == 0 ? "" : ",\n").append("  {\"targets\": [\"127.0.0.1:").append(ports.get(i))
                    .append("\"], \"labels\": {\"server\": \"").append(s.name()).append("\", \"server_address\": \"")
                    .append(s.host()).append("\", \"server_port\": \"").append(s.port()).append("\"}}");
        }
        write("prometheus/targets/postgres.json", targets.append("\n]\n").toString());
        StringBuilder apps = new StringBuilder("[\n");
        for (int i = 0; i < appTargets.size(); i++) {
            apps.append(i == 0 ? "" : ",\n").append("  {\"targets\": [\"").append(appTargets.get(i)).append("\"]}");
        }
        write("prometheus/targets/pgrepl-app.json", apps.append("\n]\n").toString());
        prometheusPort = ports.get(ports.size() - 1);
        Files.createDirectories(dir.resolve("prometheus/data"));
        user.own(dir);
    }

    private static List<String> ruleFiles(Path source) throws IOException {
        if (source == null) {
            return PACKAGED_RULES;
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> rules = Files.newDirectoryStream(source.resolve(RULES_DIR), "*.yml")) {
            rules.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    /** A file from the source directory, or the packaged copy (the same bytes, see MonitoringFilesTest). */
    static String read(Path source, String relative) throws IOException {
        if (source != null) {
            Path p = source.resolve(relative);
            try {
                return Files.readString(p);
            } catch (IOException e) {
                throw new ClusterStartException("cannot read " + p + " (the launcher copies it for the monitoring"
                        + " processes, so only this JVM needs to read it): " + e, e);
            }
        }
        String resource = "/org/pgrepl/infra/" + relative;
        try (InputStream in = MonitoringStack.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " in the infra jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void write(String relative, String text) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private void startAll() {
        Map<String, Process> exporters = new LinkedHashMap<>();
        for (Map.Entry<Server, Integer> e : exporterPorts.entrySet()) {
            Server s = e.getKey();
            String dsn = "postgresql://" + enc(cluster.user()) + ":" + enc(cluster.password()) + "@" + s.host() + ":"
                    + s.port() + "/" + enc(cluster.database()) + "?sslmode=disable";
            String name = "postgres-exporter-" + s.name();
            // The password reaches the exporter in its environment, never on a command line.
            Process p = Daemons.start(user, dir, name, List.of(EXPORTER.toString(),
                    "--web.listen-address=127.0.0.1:" + e.getValue(),
                    "--extend.query-path=" + dir.resolve(QUERIES_YML)), Map.of("DATA_SOURCE_NAME", dsn));
            processes.add(p);
            exporters.put(name, p);
        }
        Process prometheus = Daemons.start(user, dir, "prometheus", List.of(PROMETHEUS.toString(),
                "--config.file=" + dir.resolve(PROMETHEUS_YML),
                "--storage.tsdb.path=" + dir.resolve("prometheus/data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort), Map.of());
        processes.add(prometheus);
        int i = 0;
        for (Map.Entry<String, Process> e : exporters.entrySet()) {
            int port = new ArrayList<>(exporterPorts.values()).get(i++);
            Daemons.awaitReady(dir, e.getKey(), e.getValue(), () -> Daemons.answers("http://127.0.0.1:" + port + "/metrics"),
                    Duration.ofSeconds(30));
        }
        Daemons.awaitReady(dir, "prometheus", prometheus, () -> Daemons.answers(prometheusUrl() + "/-/ready"),
                Duration.ofSeconds(60));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code http://127.0.0.1:<port>} of Prometheus. */
    public String prometheusUrl() {
        return "http://127.0.0.1:" + prometheusPort;
    }

    /** Prometheus's HTTP API. */
    public PrometheusApi api() {
        return new PrometheusApi(prometheusUrl());
    }

    /** The port of the exporter of {@code server}. */
    public int exporterPort(Server server) {
        Integer p = exporterPorts.get(server);
        if (p == null) {
            throw new IllegalArgumentException("no exporter for " + server);
        }
        return p;
    }

    /** The directory holding the copied configuration, the data and the logs. */
    public Path directory() {
        return dir;
    }

    /** Kills Prometheus and the exporters and deletes the directory; the cluster stays up. */
    @Override
    public synchronized void close() {
        for (Process p : processes) {
            ClusterDirectory.killTree(p.toHandle());
        }
        processes.clear();
        try {
            BundledBinaries.deleteTree(dir);
        } catch (IOException e) {
            System.getLogger(MonitoringStack.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot delete " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "monitoring stack: Prometheus " + prometheusUrl() + ", exporters " + exporterPorts.values();
    }
}
