package org.pgrepl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;

/**
 * The benchmark's smoke mode on the embedded 1 + 2 cluster: every workload, a few hundred
 * operations per system, routing checked, W7 with two cold samples per system and a two-period
 * heap check. Asserts behaviour only (routing, no errors, what is reported as not measured),
 * never a time or a ratio.
 */
@ExtendWith(PgClusterExtension.class)
class BenchmarkSmokeIT {

    private static Target target(EmbeddedCluster cluster) {
        return new Target(cluster.primary().hostAndPort(),
                cluster.replicas().stream().map(s -> s.hostAndPort()).toList(), cluster.database(),
                cluster.credentials());
    }

    @Test
    void everyWorkloadRunsOnEverySystemWithRoutingCheckedAndNoErrors(EmbeddedCluster cluster) throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Report report = BenchMain.run(target(cluster), BenchOptions.parse("--smoke", "--smoke-ops", "100",
                        "--cold-samples", "2", "--heap-check", "--heap-seconds", "1", "--heap-period-seconds", "0.5"),
                new PrintStream(progress, true, StandardCharsets.UTF_8), "smoke test");

        Set<SystemId> measured = EnumSet.noneOf(SystemId.class);
        assertThat(report.results()).extracting(r -> r.workload().id())
                .containsExactly("W1", "W2", "W3", "W4", "W5", "W6");
        for (BenchRunner.WorkloadResult wr : report.results()) {
            for (SystemResult r : wr.systems().values()) {
                String what = wr.workload().id() + " " + r.system() + ": " + r.note();
                if (wr.workload().unavailable(r.system()) != null) {
                    assertThat(r.status()).as(what).isEqualTo(SystemResult.Status.NOT_APPLICABLE);
                    continue;
                }
                assertThat(r.status()).as(what).isEqualTo(SystemResult.Status.MEASURED);
                assertThat(r.rounds()).as(what).hasSize(1);
                RoundStats round = r.rounds().get(0);
                assertThat(round.errors()).as(what).isZero();
                assertThat(round.ops()).as(what).isGreaterThanOrEqualTo(100 - wr.workload().threads());
                // checked on every worker before the timed phase and on one after it
                assertThat(r.routingChecks()).as(what).isGreaterThanOrEqualTo(2);
                assertThat(r.replicaPortsSeen()).as(what).isNotEmpty()
                        .allSatisfy(port -> assertThat(cluster.serverAt(port)).isIn(cluster.replicas()));
                measured.add(r.system());
            }
        }
        assertThat(measured).containsExactlyInAnyOrder(SystemId.values());
        assertColdStart(report.coldStart(), cluster);
        assertHeapCheck(report.heap());
        assertThat(report.markdown()).contains("| **W4**", "**W7**", "**Heap check**", "W7: B's max",
                "Heap: B − A").doesNotContain(cluster.password());
        assertThat(progress.toString(StandardCharsets.UTF_8)).doesNotContain(cluster.password());
    }

    /** W7: every system measured on every sample, each cold read checked on a replica. */
    private static void assertColdStart(ColdStartResult w7, EmbeddedCluster cluster) {
        assertThat(w7).isNotNull();
        assertThat(w7.systems()).extracting(ColdStartResult.Figures::system)
                .containsExactly(SystemId.A, SystemId.B, SystemId.C, SystemId.F);
        for (ColdStartResult.Figures f : w7.systems()) {
            String what = "W7 " + f.system() + ": " + f.note();
            assertThat(f.status()).as(what).isEqualTo(SystemResult.Status.MEASURED);
            assertThat(f.count()).as(what).isEqualTo(2);
            // the unrecorded first operation and every sample
            assertThat(f.routingChecks()).as(what).isEqualTo(3);
            assertThat(f.replicaPortsSeen()).as(what).isNotEmpty()
                    .allSatisfy(port -> assertThat(cluster.serverAt(port)).isIn(cluster.replicas()));
        }
        // the idle pause (3 intervals) outlasts pgrepl's monitor (stops 2 intervals after the last close)
        assertThat(w7.get(SystemId.B).monitorRunning()).isZero();
    }

    /** The heap check: A and B each measured after every period. */
    private static void assertHeapCheck(HeapCheckResult heap) {
        assertThat(heap).isNotNull();
        assertThat(heap.series()).extracting(HeapCheck.Series::system).containsExactly(SystemId.A, SystemId.B);
        for (HeapCheck.Series s : heap.series()) {
            assertThat(s.note()).as("heap check " + s.system()).isNull();
            assertThat(s.periods()).hasSize(2).allSatisfy(p -> assertThat(p.heapBytes()).isPositive());
        }
        assertThat(heap.targetLines()).hasSize(2).noneMatch(l -> l.contains("not measured"));
    }

    @Test
    void awsWrapperWithoutSingleWriterFlagKeepsReadsOnThePrimaryAndIsReportedNotMeasured(EmbeddedCluster cluster)
            throws Exception {
        Target t = target(cluster).awsParameters("wrapperPlugins=readWriteSplitting&wrapperDialect=pg");
        Report report = BenchMain.run(t, BenchOptions.parse("--smoke", "--smoke-ops", "50", "--workloads", "W1"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "smoke test");

        SystemResult c = report.results().get(0).systems().get(SystemId.C);
        assertThat(c.status()).isEqualTo(SystemResult.Status.MISROUTED);
        assertThat(c.note()).contains("misrouted", "not on a replica");
        assertThat(c.rounds()).isEmpty();
        assertThat(report.markdown()).contains("misrouted");
        assertThat(report.results().get(0).systems().get(SystemId.B).status()).isEqualTo(SystemResult.Status.MEASURED);
    }
}
