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
 * operations per system, routing checked. Asserts behaviour only (routing, no errors, what is
 * reported as not measured), never a time or a ratio.
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
        Report report = BenchMain.run(target(cluster), BenchOptions.parse("--smoke", "--smoke-ops", "200"),
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
                assertThat(round.ops()).as(what).isGreaterThanOrEqualTo(200 - wr.workload().threads());
                // checked on every worker before the timed phase and on one after it
                assertThat(r.routingChecks()).as(what).isGreaterThanOrEqualTo(2);
                assertThat(r.replicaPortsSeen()).as(what).isNotEmpty()
                        .allSatisfy(port -> assertThat(cluster.serverAt(port)).isIn(cluster.replicas()));
                measured.add(r.system());
            }
        }
        assertThat(measured).containsExactlyInAnyOrder(SystemId.values());
        assertThat(report.markdown()).contains("| **W4**").doesNotContain(cluster.password());
        assertThat(progress.toString(StandardCharsets.UTF_8)).doesNotContain(cluster.password());
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
