package org.pgrepl.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Command-line options. {@code --help} prints them. The password for {@code --hosts} comes from
 * the environment variable {@value #PASSWORD_ENV}, never from the command line.
 */
public final class BenchOptions {
    /** Environment variable holding the password when {@code --hosts} is given. */
    public static final String PASSWORD_ENV = "PGREPL_BENCH_PASSWORD";

    /** The usage text. */
    public static final String USAGE = """
            java -jar benchmarks/target/benchmarks.jar [options]
              --rounds N           measured rounds, systems interleaved in each (default 9)
              --round-seconds S    timed phase of each system in each round (default 1.5)
              --warmup-seconds S   unrecorded warm-up round before the first (default 2)
              --in-round-warmup-ms M  warm-up of each system before its timed phase (default 300)
              --slice-ms M         the timed phases run in slices of M ms, systems taking turns (default 40)
              --smoke              a few hundred operations per system, one round, routing checks included
              --smoke-ops N        operations per system in smoke mode (default 300)
              --workloads W1,W7    run only these workloads (default all: W1-W7)
              --cold-samples N     W7: cold operations per system, each after an idle pause (default 20, smoke 3)
              --cold-interval-ms M W7: pgrepl's monitorInterval in B's URL; the pause is 3 x M (default 1000, smoke 250)
              --heap-check         also run W4 for A and B without pause, heap after GC per period (off by default)
              --heap-seconds S     heap check: run time per system (default 60)
              --heap-period-seconds S  heap check: heap measured after each period (default 10)
              --systems A,B        run only these systems (default all)
              --replicas N         replicas of the embedded cluster (default 2)
              --rows N             rows in the benchmark table (default 10000)
              --hosts P,R1[,R2..]  use running servers (primary first) instead of the embedded cluster;
                                   with --database (default db_patient_health_record), --user (default admin)
                                   and the password in $PGREPL_BENCH_PASSWORD
              --out FILE           also write the report (Markdown) to FILE
            """;

    int rounds = 9;
    double roundSeconds = 1.5;
    double warmupSeconds = 2;
    long inRoundWarmupMillis = 300;
    long sliceMillis = 40;
    boolean smoke;
    int smokeOps = 300;
    Set<String> workloads = new LinkedHashSet<>();
    Integer coldSamples;
    Long coldIntervalMillis;
    boolean heapCheck;
    double heapSeconds = 60;
    double heapPeriodSeconds = 10;
    Set<SystemId> systems = new LinkedHashSet<>(Arrays.asList(SystemId.values()));
    int replicas = 2;
    int rows = 10_000;
    List<String> hosts = List.of();
    String database = "db_patient_health_record";
    String user = "admin";
    Path out;
    boolean help;

    /** Parses the arguments; throws {@link IllegalArgumentException} naming a bad one. */
    public static BenchOptions parse(String... args) {
        BenchOptions o = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> o.help = true;
                case "--smoke" -> o.smoke = true;
                case "--rounds" -> o.rounds = positive(a, value(args, ++i, a));
                case "--round-seconds" -> o.roundSeconds = Double.parseDouble(value(args, ++i, a));
                case "--warmup-seconds" -> o.warmupSeconds = Double.parseDouble(value(args, ++i, a));
                case "--in-round-warmup-ms" -> o.inRoundWarmupMillis = Long.parseLong(value(args, ++i, a));
                case "--slice-ms" -> o.sliceMillis = positive(a, value(args, ++i, a));
                case "--smoke-ops" -> o.smokeOps = positive(a, value(args, ++i, a));
                case "--replicas" -> o.replicas = positive(a, value(args, ++i, a));
                case "--rows" -> o.rows = positive(a, value(args, ++i, a));
                case "--workloads" -> o.workloads = new LinkedHashSet<>(
                        Arrays.asList(value(args, ++i, a).toUpperCase(Locale.ROOT).split(",")));
                case "--cold-samples" -> o.coldSamples = positive(a, value(args, ++i, a));
                case "--cold-interval-ms" -> o.coldIntervalMillis = (long) positive(a, value(args, ++i, a));
                case "--heap-check" -> o.heapCheck = true;
                case "--heap-seconds" -> o.heapSeconds = positiveSeconds(a, value(args, ++i, a));
                case "--heap-period-seconds" -> o.heapPeriodSeconds = positiveSeconds(a, value(args, ++i, a));
                case "--systems" -> {
                    o.systems = new LinkedHashSet<>();
                    for (String s : value(args, ++i, a).toUpperCase(Locale.ROOT).split(",")) {
                        o.systems.add(SystemId.valueOf(s.trim()));
                    }
                }
                case "--hosts" -> o.hosts = Arrays.asList(value(args, ++i, a).split(","));
                case "--database" -> o.database = value(args, ++i, a);
                case "--user" -> o.user = value(args, ++i, a);
                case "--out" -> o.out = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (o.smoke) {
            o.rounds = 1;
        }
        return o;
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    private static int positive(String name, String v) {
        int n = Integer.parseInt(v);
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be at least 1");
        }
        return n;
    }

    private static double positiveSeconds(String name, String v) {
        double d = Double.parseDouble(v);
        if (!(d > 0)) {
            throw new IllegalArgumentException(name + " must be more than 0");
        }
        return d;
    }

    /** Whether a workload is selected ({@code --workloads}, default all). */
    boolean selected(String id) {
        return workloads.isEmpty() || workloads.contains(id);
    }

    /** W7's operations per system. */
    int coldSamples() {
        return coldSamples != null ? coldSamples : smoke ? 3 : 20;
    }

    /** W7's monitor interval in B's URL, ms. */
    long coldIntervalMillis() {
        return coldIntervalMillis != null ? coldIntervalMillis : smoke ? 250 : 1000;
    }

    /** The round plan of a measured round. */
    Rounds.Plan plan() {
        return smoke ? new Rounds.Plan(0, 0, 20, smokeOps)
                : new Rounds.Plan(inRoundWarmupMillis * 1_000_000L, (long) (roundSeconds * 1e9), 0, 0);
    }

    /** The plan of the unrecorded warm-up round, or null in smoke mode. */
    Rounds.Plan warmupPlan() {
        return smoke || warmupSeconds <= 0 ? null : new Rounds.Plan(0, (long) (warmupSeconds * 1e9), 0, 0);
    }

    /** The command line that reproduces these options, for the report. */
    String describe() {
        String cold = " --cold-samples " + coldSamples() + " --cold-interval-ms " + coldIntervalMillis();
        String heap = heapCheck ? " --heap-check --heap-seconds " + heapSeconds + " --heap-period-seconds "
                + heapPeriodSeconds : "";
        if (smoke) {
            return "--smoke --smoke-ops " + smokeOps + cold + heap;
        }
        return "--rounds " + rounds + " --round-seconds " + roundSeconds + " --warmup-seconds " + warmupSeconds
                + " --in-round-warmup-ms " + inRoundWarmupMillis + " --slice-ms " + sliceMillis + cold + heap;
    }
}
