package org.pgrepl.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** W7's and the heap check's options, and the wrapper URLs of C and F: no server needed. */
class OptionsAndUrlsTest {
    @Test
    void coldStartDefaultsDependOnSmokeModeAndCanBeSet() {
        BenchOptions full = BenchOptions.parse();
        assertThat(full.coldSamples()).isEqualTo(20);
        assertThat(full.coldIntervalMillis()).isEqualTo(1000);
        assertThat(full.selected("W7")).isTrue();
        BenchOptions smoke = BenchOptions.parse("--smoke");
        assertThat(smoke.coldSamples()).isEqualTo(3);
        assertThat(smoke.coldIntervalMillis()).isEqualTo(250);
        BenchOptions set = BenchOptions.parse("--smoke", "--cold-samples", "7", "--cold-interval-ms", "500",
                "--workloads", "w1");
        assertThat(set.coldSamples()).isEqualTo(7);
        assertThat(set.coldIntervalMillis()).isEqualTo(500);
        assertThat(set.selected("W7")).isFalse();
        assertThat(set.describe()).contains("--cold-samples 7 --cold-interval-ms 500");
    }

    @Test
    void heapCheckIsOffUnlessAskedFor() {
        assertThat(BenchOptions.parse().heapCheck).isFalse();
        BenchOptions o = BenchOptions.parse("--heap-check", "--heap-seconds", "30", "--heap-period-seconds", "5");
        assertThat(o.heapCheck).isTrue();
        assertThat(o.heapSeconds).isEqualTo(30);
        assertThat(o.heapPeriodSeconds).isEqualTo(5);
        assertThatThrownBy(() -> BenchOptions.parse("--heap-period-seconds", "0"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void srwPointsItsEndpointsAtThePrimaryAndTheFirstReplicaWithoutCredentials() {
        Properties credentials = new Properties();
        credentials.setProperty("user", "u");
        credentials.setProperty("password", "secret-pw");
        Target t = new Target("127.0.0.1:5432", List.of("127.0.0.1:5433", "127.0.0.1:5434"), "db", credentials);
        assertThat(t.awsSrwUrl()).isEqualTo("jdbc:aws-wrapper:postgresql://127.0.0.1:5432/db?wrapperPlugins=srw"
                + "&verifyNewSrwConnections=false&wrapperDialect=pg&srwWriteEndpoint=127.0.0.1:5432"
                + "&srwReadEndpoint=127.0.0.1:5433");
        assertThat(t.awsUrl()).startsWith("jdbc:aws-wrapper:postgresql://127.0.0.1:5432,127.0.0.1:5433,127.0.0.1:5434/db?")
                .contains("wrapperPlugins=readWriteSplitting", "singleWriterConnectionString=true");
        assertThat(t.awsSrwUrl() + t.awsUrl() + t).doesNotContain("secret-pw");
    }
}
