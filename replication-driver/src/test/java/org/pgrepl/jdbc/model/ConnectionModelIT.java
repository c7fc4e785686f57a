package org.pgrepl.jdbc.model;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.state.ActionChain;

/**
 * Issue 13: one logical connection driven by random JDBC calls and real faults, against a
 * cluster of 1 primary and 2 replicas, with invariants 1 to 7 checked against the servers after
 * every action. On failure jqwik prints the seed and the shrunk action list; each violation
 * message names the invariant and carries the trail of calls and what they returned.
 */
@AddLifecycleHook(value = ModelRunSettings.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class ConnectionModelIT {
    private static final ThreadLocal<ConnectionModel.Settings> NEXT = new ThreadLocal<>();
    private static final ThreadLocal<ModelCluster> CLUSTER = new ThreadLocal<>();

    @Property(tries = 6, edgeCases = EdgeCasesMode.NONE)
    void oneConnection(@ForAll @IntRange(min = 1, max = 2) int rywSeconds, @ForAll boolean asyncRole,
                       @ForAll("connectionChains") ActionChain<ConnectionModel> chain) {
        run(ModelCluster.shared(), new ConnectionModel.Settings(rywSeconds * 2000,
                asyncRole && asyncRoleAllowed() ? ModelCluster.ASYNC_ROLE : ModelCluster.shared().cluster.user(), false), chain);
    }

    @Provide
    Arbitrary<ActionChain<ConnectionModel>> connectionChains() {
        return ConnectionActions.chains(ConnectionModelIT::startTry, ModelRunSettings.steps(25), false);
    }

    /** Promotion of a replica under the connection: a cluster of its own per try, so few tries. */
    @Property(tries = 1, edgeCases = EdgeCasesMode.NONE)
    void oneConnectionThroughPromotion(@ForAll boolean asyncRole,
                                       @ForAll("promotionChains") ActionChain<ConnectionModel> chain) {
        try (ModelCluster own = ModelCluster.start()) {
            run(own, new ConnectionModel.Settings(2000, asyncRole && asyncRoleAllowed() ? ModelCluster.ASYNC_ROLE
                    : own.cluster.user(), true), chain);
        }
    }

    @Provide
    Arbitrary<ActionChain<ConnectionModel>> promotionChains() {
        return ConnectionActions.chains(ConnectionModelIT::startTry, ModelRunSettings.steps(25), true);
    }

    /** {@code -Dpgrepl.model.asyncRole=false}: every try logs in as the admin role (diagnosis of other defects). */
    private static boolean asyncRoleAllowed() {
        return Boolean.parseBoolean(System.getProperty("pgrepl.model.asyncRole", "true"));
    }

    private static ConnectionModel startTry() {
        return new ConnectionModel(CLUSTER.get(), NEXT.get());
    }

    private static void run(ModelCluster cluster, ConnectionModel.Settings settings, ActionChain<ConnectionModel> chain) {
        NEXT.set(settings);
        CLUSTER.set(cluster);
        try {
            chain.run();
            chain.finalState().ifPresent(ConnectionModel::finish);
        } finally {
            chain.finalState().ifPresent(ConnectionModel::close);
            ConnectionModel.closeUnfinished();
        }
    }
}
