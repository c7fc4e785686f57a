package org.pgrepl.jdbc.state;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.awaitility.Awaitility;
import org.pgrepl.infra.Server;

/** A quiet spell: every pgrepl connection of a cluster closed, and its monitor stopped. */
final class QuietSpell {
    private QuietSpell() {
    }

    /** True while a pgrepl monitor whose hosts include {@code host} runs (its JMX bean is registered while it does). */
    static boolean monitored(Server host) throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName n : mbs.queryNames(new ObjectName("org.pgrepl:type=Cluster,*"), null)) {
            if (Arrays.asList((String[]) mbs.getAttribute(n, "Hosts")).contains(host.hostAndPort())) {
                return true;
            }
        }
        return false;
    }

    /** Waits until the monitor of {@code host}'s cluster has stopped (two intervals after its last connection closed). */
    static void awaitMonitorStopped(Server host) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !monitored(host));
    }
}
