package org.pgrepl.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.pgrepl.infra.EmbeddedCluster;

/**
 * The benchmark program: starts the embedded cluster (1 primary + 2 replicas unless told
 * otherwise, or uses {@code --hosts}), creates the benchmark table, runs W1-W6 against A (hand-routed
 * pgjdbc), B (pgrepl), C and F (the AWS JDBC wrapper's two read/write splitting plugins), D (Spring's
 * lazy proxy) and E (B with metrics) where they apply, then W7 (cold start) and, when asked, the heap
 * check, and prints one Markdown report. Progress goes to stderr, the report to stdout.
 */
public final class BenchMain {
    /** Kept strongly reachable: JUL forgets the level of a logger nobody references. */
    private static final Logger AWS_LOGGER = Logger.getLogger("software.amazon.jdbc");

    private BenchMain() {
    }

    /** Every workload, in table order. */
    public static List<Workload> workloads() {
        return List.of(new PointReadWorkload(), new ToggleWorkload(), new OpenReadCloseWorkload(),
                new PooledWorkload(), new ReadAfterWriteWorkload(), new DaoWorkload());
    }

    /**
     * Runs the benchmark.
     *
     * @param args see {@link BenchOptions#USAGE}
     */
    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        AWS_LOGGER.setLevel(Level.SEVERE);
        if (options.hosts.isEmpty()) {
            System.err.printf("starting an embedded cluster: 1 primary + %d replicas%n", options.replicas);
            try (EmbeddedCluster cluster = EmbeddedCluster.builder().replicas(options.replicas).start()) {
                Target target = new Target(cluster.primary().hostAndPort(),
                        cluster.replicas().stream().map(s -> s.hostAndPort()).toList(), cluster.database(),
                        cluster.credentials());
                report(run(target, options, System.err, "embedded cluster, " + cluster.binariesDescription()),
                        options);
            }
        } else {
            String password = System.getenv(BenchOptions.PASSWORD_ENV);
            Properties credentials = new Properties();
            credentials.setProperty("user", options.user);
            if (password != null) {
                credentials.setProperty("password", password);
            }
            Target target = new Target(options.hosts.get(0), options.hosts.subList(1, options.hosts.size()),
                    options.database, credentials);
            report(run(target, options, System.err, "given hosts"), options);
        }
    }

    private static void report(Report report, BenchOptions options) throws IOException {
        String md = report.markdown();
        System.out.print(md);
        if (options.out != null) {
            Files.writeString(options.out, md);
        }
    }

    /**
     * Discovers the cluster's roles, creates the table, runs every selected workload and returns
     * the report.
     *
     * @param where how the cluster was obtained, for the report's header
     */
    public static Report run(Target target, BenchOptions options, PrintStream log, String where) throws Exception {
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        target.discover();
        BenchData.create(target, options.rows);
        log.printf("cluster: %s; %d rows in %s%n", target, options.rows, Target.TABLE);
        List<BenchRunner.WorkloadResult> results = new BenchRunner(target, options, log).run(workloads());
        ColdStartResult coldStart = null;
        if (options.selected(ColdStartBench.ID)) {
            log.printf("%s: %d samples per system, each after %d ms idle%n", ColdStartBench.ID, options.coldSamples(),
                    ColdStartBench.IDLE_INTERVALS * options.coldIntervalMillis());
            coldStart = new ColdStartBench(target, log, options.coldSamples(), options.coldIntervalMillis())
                    .run(options.systems);
        }
        HeapCheckResult heap = null;
        if (options.heapCheck) {
            heap = new HeapCheck(target, log, options.heapSeconds, options.heapPeriodSeconds).run(options.systems);
        }
        return new Report(header(target, options, where, loadBefore), results, coldStart, heap);
    }

    private static String header(Target t, BenchOptions o, String where, double loadBefore) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, """
                        ### pgrepl benchmarks, %s

                        - machine: %d cores, %.1f GiB RAM, %s %s (%s); load average %.2f at start, %.2f at end
                        - Java %s (%s), max heap %d MiB
                        - PostgreSQL %s: %s; primary %s, replicas %s (same machine, loopback)
                        - options: %s; systems take turns in slices within every round, A reading from the replica B reads from; C = `%s`; F = `%s`
                        """,
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT)),
                Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / 1073741824.0,
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                loadBefore, os.getSystemLoadAverage(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() / 1048576, t.serverVersion(), where, t.primary(), t.replicas(),
                o.describe(), t.awsParameters(), t.awsSrwParameters());
    }
}
