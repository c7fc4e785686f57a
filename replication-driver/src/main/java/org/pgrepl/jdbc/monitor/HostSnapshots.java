package org.pgrepl.jdbc.monitor;

import org.pgrepl.jdbc.config.HostSpec;
import org.pgrepl.jdbc.metrics.HostSnapshot;

/** Builds {@link HostSnapshot}s from what a monitor saw; shared by the metrics views and the status command. */
public final class HostSnapshots {
    private HostSnapshots() {
    }

    /**
     * @param host     the host as listed
     * @param state    the monitor's last check of it, or null when no monitor runs
     * @param eligible a new read would use it now
     * @param open     physical connections this JVM holds to it
     */
    public static HostSnapshot of(HostSpec host, HostState state, boolean eligible, int open) {
        if (state == null) {
            return new HostSnapshot(host.host(), host.port(), HostState.Role.UNKNOWN.name(), false, Double.NaN, -1, open,
                    false);
        }
        double lagSeconds = state.lagMillis() < 0 ? Double.NaN : state.lagMillis() / 1000.0;
        return new HostSnapshot(host.host(), host.port(), state.role().name(), eligible, lagSeconds, state.lagBytes(),
                open, state.role() == HostState.Role.REPLICA && state.streaming());
    }
}
