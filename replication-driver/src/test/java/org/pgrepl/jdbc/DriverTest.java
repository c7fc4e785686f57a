package org.pgrepl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.pgrepl.jdbc.config.PgReplProperty;

/** The java.sql.Driver contract, without a server: nothing is opened until first use. */
class DriverTest {
    private final Driver driver = new Driver();

    @Test
    void foreignUrlsAreNotOurs() throws SQLException {
        assertThat(driver.acceptsURL("jdbc:postgresql://a/b")).isFalse();
        assertThat(driver.connect("jdbc:postgresql://a/b", new Properties())).isNull();
        assertThat(driver.connect("jdbc:mysql://a/b", null)).isNull();
        assertThat(driver.acceptsURL("jdbc:pgrepl://a/b")).isTrue();
    }

    @Test
    void isRegisteredWithDriverManager() throws SQLException {
        assertThat(DriverManager.getDriver("jdbc:pgrepl://127.0.0.1:1/db")).isInstanceOf(Driver.class);
    }

    @Test
    void connectValidatesTheUrlOpensNothingAndLeavesPropertiesAlone() throws SQLException {
        Properties info = new Properties();
        info.setProperty("user", "u");
        info.setProperty("password", "S3cr3t-Sentinel");
        Properties copy = (Properties) info.clone();
        // Port 1 on loopback: nothing listens, so any server access would fail.
        try (Connection c = driver.connect("jdbc:pgrepl://127.0.0.1:1,127.0.0.1:2/db?readFallback=fail", info)) {
            assertThat(c).isNotNull();
            c.setReadOnly(true);
            c.setAutoCommit(false);
            assertThat(c.isReadOnly()).isTrue();
            assertThat(c.getAutoCommit()).isFalse();
            assertThat(c.getCatalog()).isEqualTo("db");
            assertThat(c.toString()).doesNotContain("S3cr3t-Sentinel");
            assertThat(c.isValid(1)).isFalse();
            assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class)
                    .hasMessageNotContaining("S3cr3t-Sentinel");
        }
        assertThat(info).isEqualTo(copy);
        assertThatThrownBy(() -> driver.connect("jdbc:pgrepl:db", info)).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("08001"));
    }

    @Test
    void propertyInfoListsEveryDriverPropertyThenPgjdbcsWithoutTheOwnedOnes() throws SQLException {
        DriverPropertyInfo[] infos = driver.getPropertyInfo("jdbc:pgrepl://a/b", new Properties());
        var names = Arrays.stream(infos).map(i -> i.name).toList();
        for (PgReplProperty p : PgReplProperty.values()) {
            assertThat(names).contains(p.getName());
        }
        assertThat(names).contains("sslmode", "ApplicationName", "connectTimeout")
                .doesNotContain("targetServerType", "loadBalanceHosts", "hostRecheckSeconds", "readOnlyMode");
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void theDataSourceNeverShowsItsPassword() {
        PgReplDataSource ds = new PgReplDataSource();
        ds.setUrl("jdbc:pgrepl://a,b/db?password=S3cr3t-Sentinel&user=x");
        ds.setPassword("S3cr3t-Other");
        ds.setReadFallback("fail");
        assertThat(ds.toString()).doesNotContain("S3cr3t").contains("readFallback=fail");
    }
}
