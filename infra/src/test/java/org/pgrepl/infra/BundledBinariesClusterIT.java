package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The cluster on the Maven Central bundle, forced even where the machine has PostgreSQL: the
 * bundle has no pg_basebackup, so replicas are cloned with the low-level backup API.
 */
class BundledBinariesClusterIT extends ClusterContractIT {
    @Override
    protected EmbeddedClusterBuilder builder() {
        return EmbeddedCluster.builder().bundledBinaries();
    }

    @Test
    void runsTheBundledServer() {
        assertThat(cluster.binariesDescription()).contains("Maven Central bundle").contains("PostgreSQL 17");
    }
}
