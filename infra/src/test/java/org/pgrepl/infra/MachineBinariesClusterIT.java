package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The cluster on this machine's PostgreSQL (replicas cloned with pg_basebackup). */
class MachineBinariesClusterIT extends ClusterContractIT {
    @Override
    protected EmbeddedClusterBuilder builder() {
        // PGREPL_PG_BIN may force the bundle for the whole run; this class then says so.
        return EmbeddedCluster.builder();
    }

    @Test
    void describesWhereItsBinariesCameFrom() {
        String expected = System.getenv("PGREPL_PG_BIN") != null ? "PostgreSQL" : "from this machine";
        assertThat(cluster.binariesDescription()).contains(expected);
    }
}
