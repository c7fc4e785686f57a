package org.pgrepl.jdbc.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PgReplUrlTest {
    @Test
    void acceptsOnlyThePrefix() {
        assertThat(PgReplUrl.acceptsURL("jdbc:pgrepl://a/b")).isTrue();
        assertThat(PgReplUrl.acceptsURL("jdbc:pgrepl:anything")).isTrue();
        assertThat(PgReplUrl.acceptsURL("jdbc:postgresql://a/b")).isFalse();
        assertThat(PgReplUrl.acceptsURL("jdbc:pgrepl")).isFalse();
        assertThat(PgReplUrl.acceptsURL("JDBC:PGREPL://a/b")).isFalse();
        assertThat(PgReplUrl.acceptsURL("")).isFalse();
        assertThat(PgReplUrl.acceptsURL(null)).isFalse();
    }

    @Test
    void parsesHostsWithDefaultPortsAndIpv6() throws SQLException {
        PgReplUrl url = PgReplUrl.parse("jdbc:pgrepl://db-main,db-slave:5433,[::1]:6000,[fe80::1]/db_patient_health_record",
                new Properties());
        assertThat(url.hosts()).containsExactly(new HostSpec("db-main", 5432), new HostSpec("db-slave", 5433),
                new HostSpec("::1", 6000), new HostSpec("fe80::1", 5432));
        assertThat(url.primary()).isEqualTo(new HostSpec("db-main", 5432));
        assertThat(url.replicas()).hasSize(3);
        assertThat(url.database()).isEqualTo("db_patient_health_record");
        assertThat(url.pgjdbcUrl(url.hosts().get(2))).isEqualTo("jdbc:postgresql://[::1]:6000/db_patient_health_record");
        assertThat(url.config()).isEqualTo(DriverConfig.defaults());
    }

    @Test
    void allowsOneHostAndAMissingDatabase() throws SQLException {
        PgReplUrl url = PgReplUrl.parse("jdbc:pgrepl://localhost/", null);
        assertThat(url.hosts()).containsExactly(new HostSpec("localhost", 5432));
        assertThat(url.replicas()).isEmpty();
        assertThat(url.database()).isEmpty();
    }

    @Test
    void passesEveryOtherParameterToPgjdbcAndUrlBeatsProperties() throws SQLException {
        Properties info = new Properties();
        info.setProperty("user", "from-info");
        info.setProperty("password", "pw-info");
        info.setProperty("sslmode", "require");
        info.setProperty("readFallback", "primary");
        Properties before = (Properties) info.clone();
        PgReplUrl url = PgReplUrl.parse("jdbc:pgrepl://a,b/db?user=from-url&ApplicationName=my%20app"
                + "&connectTimeout=3&readFallback=fail&replicaSelection=LEASTCONNECTIONS&maxReplicaLag=500ms"
                + "&maxReplicaLagBytes=16MB&readOnly=TRUE&flag", info);
        Properties p = url.pgjdbcProperties();
        assertThat(p.getProperty("user")).isEqualTo("from-url");
        assertThat(p.getProperty("password")).isEqualTo("pw-info");
        assertThat(p.getProperty("sslmode")).isEqualTo("require");
        assertThat(p.getProperty("ApplicationName")).isEqualTo("my app");
        assertThat(p.getProperty("connectTimeout")).isEqualTo("3");
        assertThat(p.getProperty("flag")).isEmpty();
        assertThat(p).doesNotContainKeys("readFallback", "replicaSelection", "readOnly", "maxReplicaLag");
        DriverConfig c = url.config();
        assertThat(c.readFallback()).isEqualTo(ReadFallback.FAIL);
        assertThat(c.replicaSelection()).isEqualTo(ReplicaSelection.LEAST_CONNECTIONS);
        assertThat(c.maxReplicaLag()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.maxReplicaLagBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(c.readOnly()).isTrue();
        assertThat(info).isEqualTo(before);
        // The returned Properties are a copy.
        p.setProperty("user", "changed");
        assertThat(url.pgjdbcProperties().getProperty("user")).isEqualTo("from-url");
    }

    @Test
    void decodesPercentEncodingInDatabaseKeysAndValues() throws SQLException {
        PgReplUrl url = PgReplUrl.parse("jdbc:pgrepl://a/d%C3%A9j%C3%A0%20vu?pass%77ord=p%26w%3D&options=-c%20x%3D1", null);
        assertThat(url.database()).isEqualTo("déjà vu");
        assertThat(url.pgjdbcProperties().getProperty("password")).isEqualTo("p&w=");
        assertThat(url.pgjdbcProperties().getProperty("options")).isEqualTo("-c x=1");
        assertThat(url.pgjdbcUrl(url.primary())).isEqualTo("jdbc:postgresql://a:5432/d%C3%A9j%C3%A0%20vu");
    }

    @Test
    void toStringNeverShowsThePassword() throws SQLException {
        Properties info = new Properties();
        info.setProperty("password", "S3cr3t");
        info.setProperty("sslpassword", "S3cr3t2");
        PgReplUrl url = PgReplUrl.parse("jdbc:pgrepl://a,b/db?user=admin", info);
        assertThat(url.toString()).contains("admin").contains("a:5432,b:5432").doesNotContain("S3cr3t");
    }

    @Test
    void offAndZeroLagBoundsParse() throws SQLException {
        DriverConfig c = PgReplUrl.parse("jdbc:pgrepl://a/db?maxReplicaLag=OFF&maxReplicaLagBytes=0&readYourWritesTimeout=0ms"
                + "&hostRecheck=2m&monitorInterval=250ms", null).config();
        assertThat(c.maxReplicaLag()).isNull();
        assertThat(c.maxReplicaLagBytes()).isZero();
        assertThat(c.readYourWritesTimeout()).isZero();
        assertThat(c.hostRecheck()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.monitorInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(List.of(PgReplUrl.parse("jdbc:pgrepl://a/db?maxReplicaLagBytes=2kB", null).config().maxReplicaLagBytes(),
                PgReplUrl.parse("jdbc:pgrepl://a/db?maxReplicaLagBytes=1GB", null).config().maxReplicaLagBytes()))
                .containsExactly(2048L, 1024L * 1024 * 1024);
    }

    @Test
    void transactionPoolingTurnsServerSidePreparedStatementsOffUnlessSet() throws SQLException {
        assertThat(PgReplUrl.parse("jdbc:pgrepl://a,b/db?transactionPooling=true", null).pgjdbcProperties()
                .getProperty("prepareThreshold")).isEqualTo("0");
        assertThat(PgReplUrl.parse("jdbc:pgrepl://a,b/db?transactionPooling=true&prepareThreshold=5", null)
                .pgjdbcProperties().getProperty("prepareThreshold")).as("an explicit setting wins").isEqualTo("5");
        assertThat(PgReplUrl.parse("jdbc:pgrepl://a,b/db", null).pgjdbcProperties().getProperty("prepareThreshold"))
                .isNull();
        assertThat(PgReplUrl.parse("jdbc:pgrepl://a,b/db?transactionPooling=TRUE", null).config().transactionPooling())
                .isTrue();
    }

    @Test
    void theSameUrlAndPropertiesAreParsedOnceAndAChangeIsSeen() throws SQLException {
        String url = "jdbc:pgrepl://p:5432,r:5433/db?readFallback=fail";
        Properties props = new Properties();
        props.setProperty("user", "app");
        props.setProperty("password", "first");
        PgReplUrl first = PgReplUrl.parse(url, props);
        assertThat(PgReplUrl.parse(url, props)).isSameAs(first);

        props.setProperty("password", "rotated");
        PgReplUrl second = PgReplUrl.parse(url, props);
        assertThat(second).isNotSameAs(first);
        assertThat(second.pgjdbcProperties().getProperty("password")).isEqualTo("rotated");
        assertThat(first.pgjdbcProperties().getProperty("password")).isEqualTo("first");
        assertThat(PgReplUrl.parse(url + "&readConsistency=session", props).config().readConsistency())
                .isEqualTo(ReadConsistency.SESSION);
        assertThat(PgReplUrl.parse(url, null).pgjdbcProperties().getProperty("password")).isNull();
    }

    @Test
    void theMemoSeesAKeyAddedRemovedOrOnlyInTheDefaults() throws SQLException {
        String url = "jdbc:pgrepl://p:5432,r:5433/db";
        Properties props = new Properties();
        props.setProperty("user", "app");
        PgReplUrl first = PgReplUrl.parse(url, props);

        props.setProperty("sslmode", "require");
        PgReplUrl added = PgReplUrl.parse(url, props);
        assertThat(added).isNotSameAs(first);
        assertThat(added.pgjdbcProperties().getProperty("sslmode")).isEqualTo("require");

        props.remove("sslmode");
        PgReplUrl removed = PgReplUrl.parse(url, props);
        assertThat(removed).isNotSameAs(added);
        assertThat(removed.pgjdbcProperties().getProperty("sslmode")).isNull();

        Properties defaults = new Properties();
        defaults.setProperty("sslmode", "verify-full");
        Properties withDefaults = new Properties(defaults);
        withDefaults.setProperty("user", "app");
        PgReplUrl fromDefaults = PgReplUrl.parse(url, withDefaults);
        assertThat(fromDefaults).as("same own entries as before, one more key in the defaults").isNotSameAs(removed);
        assertThat(fromDefaults.pgjdbcProperties().getProperty("sslmode")).isEqualTo("verify-full");
        assertThat(PgReplUrl.parse(url, withDefaults)).isSameAs(fromDefaults);
    }

    @Test
    void pgjdbcUrlsAreMadeOnceAndFoundByValue() throws SQLException {
        PgReplUrl url = PgReplUrl.parse("jdbc:pgrepl://a:5432,[::1]:6000/d%C3%A9j%C3%A0%20vu", null);
        assertThat(url.pgjdbcUrl(new HostSpec("::1", 6000))).as("an equal host, not the URL's own object")
                .isEqualTo("jdbc:postgresql://[::1]:6000/d%C3%A9j%C3%A0%20vu")
                .isSameAs(url.pgjdbcUrl(url.hosts().get(1)));
        assertThat(url.pgjdbcUrl(new HostSpec("elsewhere", 7))).as("a host not in the URL (one found later)")
                .isEqualTo("jdbc:postgresql://elsewhere:7/d%C3%A9j%C3%A0%20vu");
        assertThat(new HostSpec("a", 1)).isEqualTo(new HostSpec("a", 1)).hasSameHashCodeAs(new HostSpec("a", 1))
                .isNotEqualTo(new HostSpec("a", 2)).isNotEqualTo(new HostSpec("b", 1));
    }

    @Test
    void readOnlyLoginPutsTheOptionAfterTheUsersOwnAndLeavesTheLoginPropertiesAlone() throws SQLException {
        PgReplUrl plain = PgReplUrl.parse("jdbc:pgrepl://a,b/db?user=u", null);
        assertThat(plain.readOnlyLoginProperties().getProperty("options")).isEqualTo("-c default_transaction_read_only=on");
        assertThat(plain.readOnlyLoginProperties()).isSameAs(plain.readOnlyLoginProperties())
                .containsEntry("user", "u");
        assertThat(plain.loginProperties().getProperty("options")).isNull();
        PgReplUrl own = PgReplUrl.parse("jdbc:pgrepl://a,b/db?options=-c%20work_mem%3D8MB", null);
        assertThat(own.readOnlyLoginProperties().getProperty("options"))
                .isEqualTo("-c work_mem=8MB -c default_transaction_read_only=on");
        assertThat(own.loginProperties().getProperty("options")).isEqualTo("-c work_mem=8MB");
    }
}
