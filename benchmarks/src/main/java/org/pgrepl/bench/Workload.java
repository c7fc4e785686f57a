package org.pgrepl.bench;

import java.util.List;

/** One benchmark workload (W1 ... W6), runnable against several systems. */
public interface Workload {
    /** The short name in the table: {@code W1}, {@code W2}, ... */
    String id();

    /** What one operation does, for the table. */
    String title();

    /** Threads running the operation concurrently. */
    default int threads() {
        return 1;
    }

    /** The systems this workload compares, A first (the ratios' base). */
    List<SystemId> systems();

    /** How the table names a system under this workload (W6 compares DAO variants, not drivers). */
    default String label(SystemId system) {
        return system.label();
    }

    /** Whether B is to be ahead of this system (a peer the targets compare with). */
    default boolean isPeer(SystemId system) {
        return system == SystemId.C || system == SystemId.D || system == SystemId.F;
    }

    /** Why the workload cannot run in this build (a feature not present), or null when it can. */
    default String unavailable() {
        return null;
    }

    /** Why one system has no way to do this workload (e.g. no read-your-writes), or null. */
    default String unavailable(SystemId system) {
        return null;
    }

    /** Names of the extra per-operation samples its workers report through {@link Worker#aux()}. */
    default List<String> auxNames() {
        return List.of();
    }

    /** Opens the system for one round: pools or shared state; workers open their connections. */
    Subject open(SystemId system, Target target) throws Exception;
}
