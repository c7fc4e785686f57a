package org.pgrepl.jdbc.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Which settings split a cluster's monitor, and which only its read floor's key ignores. */
class ClusterKeysTest {
    private static PgReplUrl url(String url, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", password);
        return PgReplUrl.parse(url, p);
    }

    @Test
    void connectionSettingsSplitMonitorsAndWorkSettingsDoNot() throws SQLException {
        String base = "jdbc:pgrepl://b:5433,a:5432/db";
        String key = ClusterKeys.monitorKey(url(base, "one"));
        assertThat(ClusterKeys.monitorKey(url("jdbc:pgrepl://a:5432,b:5433/db", "two"))).isEqualTo(key);
        assertThat(ClusterKeys.monitorKey(url(base + "?ApplicationName=x&defaultRowFetchSize=50&readFallback=fail",
                "one"))).isEqualTo(key);
        for (String setting : new String[] {"sslmode=require", "ssl=true", "sslrootcert=/ca.pem", "connectTimeout=3",
                "socketTimeout=30", "loginTimeout=5", "monitorInterval=250ms", "options=-c%20statement_timeout%3D5s",
                "gssEncMode=disable", "tcpKeepAlive=true"}) {
            assertThat(ClusterKeys.monitorKey(url(base + "?" + setting, "one"))).as(setting).isNotEqualTo(key);
        }
    }

    @Test
    void aParsedUrlMakesItsMonitorKeyOnceAndTheSameAsClusterKeys() throws SQLException {
        PgReplUrl u = url("jdbc:pgrepl://b:5433,a:5432/db?connectTimeout=3", "one");
        String key = u.monitorKey();
        assertThat(key).isEqualTo(ClusterKeys.monitorKey(u));
        assertThat(u.monitorKey()).isSameAs(key);
    }

    @Test
    void keysHoldNoSecretAndTheFloorIgnoresUserAndSettings() throws SQLException {
        PgReplUrl withSecrets = url("jdbc:pgrepl://a:5432,b:5433/db?sslpassword=s3cret-key&sslmode=require", "s3cret");
        assertThat(ClusterKeys.monitorKey(withSecrets)).doesNotContain("s3cret").contains("sslmode=require");
        assertThat(ClusterKeys.connectSettings(withSecrets)).doesNotContain("s3cret");
        assertThat(ClusterKeys.floorKey(withSecrets)).isEqualTo(ClusterKeys.floorKey(
                PgReplUrl.parse("jdbc:pgrepl://b:5433,a:5432/db?monitorInterval=5s", new Properties())));
        assertThat(ClusterKeys.floorKey(withSecrets)).isNotEqualTo(ClusterKeys.floorKey(
                PgReplUrl.parse("jdbc:pgrepl://b:5433,a:5432/other", new Properties())));
    }
}
