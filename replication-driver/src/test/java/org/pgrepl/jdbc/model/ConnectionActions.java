package org.pgrepl.jdbc.model;

import java.sql.Connection;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * The actions jqwik draws for one logical connection: JDBC calls, held statements, faults.
 * Each transformer's description is the call with its arguments, so the shrunk chain jqwik
 * prints reads as the program that failed.
 */
final class ConnectionActions {
    private ConnectionActions() {
    }

    /** An action's body with its drawn parameter. */
    @FunctionalInterface
    interface Step<P> {
        void run(ConnectionModel m, P p) throws Exception;
    }

    static <P> Action.Independent<ConnectionModel> act(String name, Arbitrary<P> params, Step<P> body) {
        return new Action.Independent<>() {
            @Override
            public boolean precondition(ConnectionModel m) {
                return !excluded(name);
            }

            @Override
            public Arbitrary<Transformer<ConnectionModel>> transformer() {
                return params.map(p -> Transformer.mutate(p == null ? name : name + "(" + p + ")", (ConnectionModel m) -> m.step(() -> body.run(m, p))));
            }
        };
    }

    static Action.Independent<ConnectionModel> act(String name, Step<Void> body) {
        return act(name, Arbitraries.just("").map(x -> (Void) null), body);
    }

    /**
     * {@code -Dpgrepl.model.exclude=abortFromAnotherThread,slowStatement} leaves actions out, so
     * that one defect class found often does not hide the others while they are being fixed.
     */
    static boolean excluded(String action) {
        String list = System.getProperty("pgrepl.model.exclude", "");
        return !list.isBlank() && java.util.Arrays.asList(list.split(",")).contains(action);
    }

    /** A statement execution: what kind, on which held statement (-1: a fresh one). */
    record Exec(StatementKind kind, int slot) {
        @Override
        public String toString() {
            return kind + (slot < 0 ? ", fresh" : ", held " + slot);
        }
    }

    static ActionChainArbitrary<ConnectionModel> chains(Supplier<ConnectionModel> start, int steps, boolean promotion) {
        Arbitrary<Exec> exec = Combinators.combine(Arbitraries.of(StatementKind.class),
                Arbitraries.integers().between(-3, 5).map(i -> Math.max(i, -1))).as(Exec::new);
        ActionChainArbitrary<ConnectionModel> chain = ActionChain.startWith(start)
                .withAction(4, act("setReadOnly", Arbitraries.of(true, false), (m, b) -> m.connection.setReadOnly(b)))
                .withAction(3, act("setAutoCommit", Arbitraries.of(true, false), (m, b) -> m.connection.setAutoCommit(b)))
                .withAction(4, act("end", Arbitraries.of(ConnectionSteps.EndBy.class), (m, how) -> m.connection.end(how)))
                .withAction(1, act("setSavepoint", (m, v) -> m.connection.savepoint()))
                .withAction(1, act("rollbackToSavepoint", (m, v) -> m.connection.rollbackToSavepoint()))
                .withAction(1, act("setTransactionIsolation", Arbitraries.of(Connection.TRANSACTION_READ_COMMITTED,
                        Connection.TRANSACTION_REPEATABLE_READ, Connection.TRANSACTION_SERIALIZABLE),
                        (m, level) -> m.connection.setIsolation(level)))
                .withAction(1, act("setSchema", Arbitraries.of("public", "model_alt"), (m, s) -> m.connection.setSchema(s)))
                .withAction(3, act("hold", Arbitraries.of(HeldKind.class), (m, k) -> m.statements.hold(k)))
                .withAction(10, act("execute", exec, (m, e) -> m.statements.execute(e.kind(), e.slot())))
                .withAction(1, act("handOffCausalToken", (m, v) -> m.connection.handOffToken()))
                .withAction(1, act("isValid", (m, v) -> m.connection.isValid()))
                .withAction(1, act("readWithQueryTimeout", (m, v) -> m.statements.readWithQueryTimeout()))
                .withAction(1, act("concurrentReads", Arbitraries.of("switch route first", "same route"),
                        (m, how) -> m.connection.concurrentReads(how.startsWith("switch"))))
                .withAction(1, act("closeAndReopen", (m, v) -> m.connection.closeAndReopen()))
                .withAction(1, act("abortFromAnotherThread", Combinators.combine(Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 40)).as(AbortRace::new),
                        (m, r) -> m.connection.abortDuringCall(r.switchRoute(), r.delayMillis())))
                .withAction(2, act("terminateBackend", Arbitraries.of("primary", "replicas"),
                        (m, t) -> m.faults.terminate(t.equals("primary"))))
                .withAction(2, act("toggleReplayPause", Arbitraries.integers().between(0, 1), (m, r) -> m.faults.toggleReplay(r)))
                .withAction(1, act("slowStatement", Arbitraries.of(FaultSteps.Slow.class), (m, how) -> m.faults.slowStatement(how)))
                .withAction(1, act("stalledReplicaRead", (m, v) -> m.faults.stalledRead(m.statements)))
                .withAction(1, act("setSynchronousCommitOff", (m, v) -> m.faults.asyncCommit()))
                .withAction(1, act("externalInsert", (m, v) -> m.faults.externalInsert()))
                .withAction(1, act("otherConnectionsRead", (m, v) -> m.faults.otherConnectionsRead()));
        if (promotion) {
            chain = chain.withAction(2, act("failover", Arbitraries.of(Failover.How.class), Failover::run));
        }
        return chain.withMaxTransformations(steps);
    }

    record AbortRace(boolean switchRoute, int delayMillis) {
        @Override
        public String toString() {
            return (switchRoute ? "switch route, " : "") + delayMillis + " ms";
        }
    }
}
