package org.pgrepl.jdbc.route;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.pgrepl.jdbc.config.ReplicaSelection;
import org.pgrepl.jdbc.monitor.ClusterState;

/** Picks one of the usable replicas (cluster host indexes) by the configured strategy. */
final class ReplicaChooser {
    private ReplicaChooser() {
    }

    static int choose(ReplicaSelection strategy, List<Integer> candidates, Cluster cluster, ClusterState state) {
        int n = candidates.size();
        if (n == 1) {
            return candidates.get(0);
        }
        return switch (strategy) {
            case ROUND_ROBIN -> candidates.get(Math.floorMod(cluster.roundRobin.getAndIncrement(), n));
            case RANDOM -> candidates.get(ThreadLocalRandom.current().nextInt(n));
            case LEAST_CONNECTIONS -> {
                int best = candidates.get(0);
                for (int i : candidates) {
                    if (cluster.openReplicaConnections(i).get() < cluster.openReplicaConnections(best).get()) {
                        best = i;
                    }
                }
                yield best;
            }
            case LEAST_LAG -> {
                // The least lag wins; equal lags (an idle cluster: all zero) take turns.
                long best = Long.MAX_VALUE;
                for (int i : candidates) {
                    long lag = state.host(i).lagBytes();
                    best = Math.min(best, lag < 0 ? Long.MAX_VALUE - 1 : lag);
                }
                List<Integer> least = new java.util.ArrayList<>(n);
                for (int i : candidates) {
                    long lag = state.host(i).lagBytes();
                    if ((lag < 0 ? Long.MAX_VALUE - 1 : lag) == best) {
                        least.add(i);
                    }
                }
                yield least.get(Math.floorMod(cluster.roundRobin.getAndIncrement(), least.size()));
            }
        };
    }
}
