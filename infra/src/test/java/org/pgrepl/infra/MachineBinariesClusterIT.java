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
        // This machine's binaries when it has any, else (a fresh machine) the Maven Central bundle.
        assertThat(cluster.binariesDescription()).containsAnyOf("from this machine",
                "Maven Central bundle (no PostgreSQL on this machine)", "from " + PgBinaries.ENV);
    }
}
