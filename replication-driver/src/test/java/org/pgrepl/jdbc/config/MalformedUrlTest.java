package org.pgrepl.jdbc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of malformed URL and property value fails with SQLState 08001 (structure) or 22023
 * (parameter), a message naming the problem, and no trace of the password.
 */
class MalformedUrlTest {
    static final String SECRET = "S3cr3t-Sentinel";
    private static final String P = "password=" + SECRET;
    private static final String H = "jdbc:pgrepl://db-main:5432,db-slave:5433/app";
    private static final String S = "08001";
    private static final String V = "22023";

    static Stream<Arguments> urls() {
        List<Arguments> c = new ArrayList<>();
        // prefix and form
        c.add(bad("jdbc:pgrepl:app?" + P, S, "short form"));
        c.add(bad("jdbc:pgrepl:/db-main/app?" + P, S, "short form"));
        c.add(bad("jdbc:pgrepl:", S, "short form"));
        c.add(bad("jdbc:pgrepl://db-main?" + P, S, "missing '/'"));
        c.add(bad("jdbc:pgrepl://db-main:5432", S, "missing '/'"));
        c.add(bad("jdbc:pgrepl:///app?" + P, S, "no host"));
        // hosts
        c.add(bad("jdbc:pgrepl://a,,b/app?" + P, S, "host #2 is empty"));
        c.add(bad("jdbc:pgrepl://,a/app?" + P, S, "host #1 is empty"));
        c.add(bad("jdbc:pgrepl://a,/app?" + P, S, "host #2 is empty"));
        c.add(bad("jdbc:pgrepl://a b/app?" + P, S, "not a valid host name"));
        c.add(bad("jdbc:pgrepl://a%20b/app?" + P, S, "not a valid host name"));
        c.add(bad("jdbc:pgrepl://a$b/app?" + P, S, "not a valid host name"));
        c.add(bad("jdbc:pgrepl://h\u0000st/app?" + P, S, "control character"));
        c.add(bad("jdbc:pgrepl://h\nst/app?" + P, S, "control character"));
        c.add(bad("jdbc:pgrepl://h\tst/app?" + P, S, "control character"));
        c.add(bad("jdbc:pgrepl://h\u007fst/app?" + P, S, "control character"));
        c.add(bad("jdbc:pgrepl://:5432/app?" + P, S, "no host name"));
        c.add(bad("jdbc:pgrepl://" + "a".repeat(300) + "/app?" + P, S, "not a valid host name"));
        c.add(bad("jdbc:pgrepl://héllo/app?" + P, S, "not a valid host name"));
        c.add(bad("jdbc:pgrepl://admin:" + SECRET + "@db-main/app", S, "credentials in the host part"));
        c.add(bad("jdbc:pgrepl://admin@db-main/app?" + P, S, "credentials in the host part"));
        c.add(bad("jdbc:pgrepl://db-main,admin:" + SECRET + "@db-slave/app", S, "credentials in the host part"));
        // ports
        c.add(bad("jdbc:pgrepl://a:/app?" + P, S, "invalid port"));
        c.add(bad("jdbc:pgrepl://a:x/app?" + P, S, "invalid port"));
        c.add(bad("jdbc:pgrepl://a:0/app?" + P, S, "outside 1 to 65535"));
        c.add(bad("jdbc:pgrepl://a:65536/app?" + P, S, "outside 1 to 65535"));
        c.add(bad("jdbc:pgrepl://a:99999/app?" + P, S, "outside 1 to 65535"));
        c.add(bad("jdbc:pgrepl://a:123456/app?" + P, S, "invalid port"));
        c.add(bad("jdbc:pgrepl://a:-1/app?" + P, S, "invalid port"));
        c.add(bad("jdbc:pgrepl://a:+5/app?" + P, S, "invalid port"));
        c.add(bad("jdbc:pgrepl://a:5 432/app?" + P, S, "invalid port"));
        c.add(bad("jdbc:pgrepl://a:0x10/app?" + P, S, "invalid port"));
        c.add(bad("jdbc:pgrepl://a:5432,b:70000/app?" + P, S, "host #2"));
        c.add(bad("jdbc:pgrepl://a:1:2/app?" + P, S, "IPv6 address without brackets"));
        // brackets
        c.add(bad("jdbc:pgrepl://[::1/app?" + P, S, "without a closing ']'"));
        c.add(bad("jdbc:pgrepl://::1]/app?" + P, S, "bracket"));
        c.add(bad("jdbc:pgrepl://[db-main]/app?" + P, S, "not an IPv6 address"));
        c.add(bad("jdbc:pgrepl://[]/app?" + P, S, "not an IPv6 address"));
        c.add(bad("jdbc:pgrepl://[::1]5432/app?" + P, S, "not ':port'"));
        c.add(bad("jdbc:pgrepl://[::1]:/app?" + P, S, "invalid port"));
        c.add(bad("jdbc:pgrepl://[::1]:70000/app?" + P, S, "outside 1 to 65535"));
        c.add(bad("jdbc:pgrepl://a[::1]/app?" + P, S, "misplaced bracket"));
        c.add(bad("jdbc:pgrepl://[[::1]]/app?" + P, S, "not an IPv6 address"));
        c.add(bad("jdbc:pgrepl://::1/app?" + P, S, "IPv6 address without brackets"));
        c.add(bad("jdbc:pgrepl://fe80::1:5432/app?" + P, S, "IPv6 address without brackets"));
        c.add(bad("jdbc:pgrepl://[fe80::1%eth0]/app?" + P, S, "not an IPv6 address"));
        // database and encoding
        c.add(bad("jdbc:pgrepl://a/app/extra?" + P, S, "contains '/'"));
        c.add(bad("jdbc:pgrepl://a/ap%2Fp?" + P, S, "contains '/'"));
        c.add(bad("jdbc:pgrepl://a/ap%0Ap?" + P, S, "control character"));
        c.add(bad("jdbc:pgrepl://a/ap\u0001p?" + P, S, "control character"));
        c.add(bad("jdbc:pgrepl://a/app%?" + P, S, "bad percent-encoding in the database name"));
        c.add(bad("jdbc:pgrepl://a/app%4?" + P, S, "bad percent-encoding"));
        c.add(bad("jdbc:pgrepl://a/app%zz?" + P, S, "bad percent-encoding"));
        c.add(bad("jdbc:pgrepl://a/app%C3?" + P, S, "not valid UTF-8"));
        c.add(bad("jdbc:pgrepl://a/app%FF%FE?" + P, S, "not valid UTF-8"));
        c.add(bad(H + "?user=a%ZZ&" + P, S, "value of parameter 'user'"));
        c.add(bad(H + "?us%er=a&" + P, S, "bad percent-encoding in parameter name"));
        c.add(bad(H + "?password=" + SECRET + "%", S, "value of parameter 'password'"));
        c.add(bad(H + "?password=" + SECRET + "%G1", S, "value of parameter 'password'"));
        c.add(bad(H + "?password=%C3" + SECRET, S, "value of parameter 'password'"));
        // duplicates and names
        c.add(bad(H + "?user=a&user=b&" + P, V, "'user' is given twice"));
        c.add(bad(H + "?" + P + "&" + P, V, "'password' is given twice"));
        c.add(bad(H + "?readFallback=fail&readFallback=primary&" + P, V, "'readFallback' is given twice"));
        c.add(bad(H + "?ssl=true&ssl=true&" + P, V, "'ssl' is given twice"));
        c.add(bad(H + "?=x&" + P, V, "empty name"));
        c.add(bad(H + "?%0A=x&" + P, V, "control character"));
        // owned pgjdbc keys
        c.add(bad(H + "?targetServerType=primary&" + P, V, "setReadOnly"));
        c.add(bad(H + "?targetServerType=preferSecondary&" + P, V, "'targetServerType' is owned by pgrepl"));
        c.add(bad(H + "?loadBalanceHosts=true&" + P, V, "replicaSelection"));
        c.add(bad(H + "?hostRecheckSeconds=5&" + P, V, "hostRecheck"));
        c.add(bad(H + "?readOnlyMode=always&" + P, V, "'readOnlyMode' is owned by pgrepl"));
        // unknown enum values
        c.add(bad(H + "?replicaSelection=fastest&" + P, V, "unknown replicaSelection"));
        c.add(bad(H + "?replicaSelection=&" + P, V, "unknown replicaSelection"));
        c.add(bad(H + "?replicaSelection=round_robin&" + P, V, "roundRobin, random, leastConnections, leastLag"));
        c.add(bad(H + "?readFallback=replica&" + P, V, "unknown readFallback"));
        c.add(bad(H + "?readFallback=none&" + P, V, "accepted: primary, fail"));
        c.add(bad(H + "?readConsistency=strong&" + P, V, "unknown readConsistency"));
        c.add(bad(H + "?readConsistency=linearizable&" + P, V, "eventual, session, process"));
        c.add(bad(H + "?followPromotion=yes&" + P, V, "followPromotion must be true or false"));
        c.add(bad(H + "?followPromotion=1&" + P, V, "followPromotion must be true or false"));
        c.add(bad(H + "?transactionPooling=on&" + P, V, "transactionPooling must be true or false"));
        c.add(bad(H + "?readOnly=on&" + P, V, "readOnly must be true or false"));
        c.add(bad(H + "?readOnly&" + P, V, "readOnly must be true or false"));
        // durations
        c.add(bad(H + "?hostRecheck=10&" + P, V, "hostRecheck must be a whole number with a unit"));
        c.add(bad(H + "?hostRecheck=-1s&" + P, V, "hostRecheck must be"));
        c.add(bad(H + "?hostRecheck=0s&" + P, V, "above zero"));
        c.add(bad(H + "?hostRecheck=1.5s&" + P, V, "hostRecheck must be"));
        c.add(bad(H + "?hostRecheck=10 s&" + P, V, "hostRecheck must be"));
        c.add(bad(H + "?hostRecheck=10S&" + P, V, "hostRecheck must be"));
        c.add(bad(H + "?hostRecheck=10h&" + P, V, "ms, s or m"));
        c.add(bad(H + "?hostRecheck=&" + P, V, "hostRecheck must be"));
        c.add(bad(H + "?hostRecheck=99999999999999999999s&" + P, V, "hostRecheck must be"));
        c.add(bad(H + "?hostRecheck=999999999999m&" + P, V, "at most one day"));
        c.add(bad(H + "?monitorInterval=0ms&" + P, V, "above zero"));
        c.add(bad(H + "?monitorInterval=1&" + P, V, "monitorInterval must be"));
        c.add(bad(H + "?monitorInterval=-500ms&" + P, V, "monitorInterval must be"));
        c.add(bad(H + "?readYourWritesTimeout=1&" + P, V, "readYourWritesTimeout must be"));
        c.add(bad(H + "?readYourWritesTimeout=-1s&" + P, V, "readYourWritesTimeout must be"));
        c.add(bad(H + "?readYourWritesTimeout=soon&" + P, V, "readYourWritesTimeout must be"));
        c.add(bad(H + "?maxReplicaLag=10&" + P, V, "maxReplicaLag must be"));
        c.add(bad(H + "?maxReplicaLag=-5s&" + P, V, "maxReplicaLag must be"));
        c.add(bad(H + "?maxReplicaLag=of&" + P, V, "maxReplicaLag must be"));
        c.add(bad(H + "?maxReplicaLag=1s\u0000&" + P, V, "\\u0000"));
        // bytes
        c.add(bad(H + "?maxReplicaLagBytes=-1&" + P, V, "maxReplicaLagBytes must be"));
        c.add(bad(H + "?maxReplicaLagBytes=1.5MB&" + P, V, "maxReplicaLagBytes must be"));
        c.add(bad(H + "?maxReplicaLagBytes=16mb&" + P, V, "kB, MB or GB"));
        c.add(bad(H + "?maxReplicaLagBytes=16TB&" + P, V, "maxReplicaLagBytes must be"));
        c.add(bad(H + "?maxReplicaLagBytes=99999999999999999GB&" + P, V, "too large"));
        c.add(bad(H + "?maxReplicaLagBytes=9999999999999999999&" + P, V, "too large"));
        c.add(bad(H + "?maxReplicaLagBytes=&" + P, V, "maxReplicaLagBytes must be"));
        // huge strings
        c.add(bad("jdbc:pgrepl://" + "a,".repeat(5000) + "a/app?" + P, S, "at most 8192"));
        c.add(bad(H + "?ApplicationName=" + "x".repeat(10_000) + "&" + P, S, "at most 8192"));
        c.add(bad(H + "?replicaSelection=" + "x".repeat(5000) + "&" + P, V, "5000 characters"));
        c.add(bad(H + "?hostRecheck=" + "9".repeat(4000) + "s&" + P, V, "characters)"));
        return c.stream();
    }

    private static Arguments bad(String url, String state, String fragment) {
        return Arguments.of(url, state, fragment);
    }

    @ParameterizedTest(name = "[{index}] {1} {2}")
    @MethodSource("urls")
    void failsWithANamedErrorAndNoPassword(String url, String state, String fragment) {
        Properties info = new Properties();
        info.setProperty("password", SECRET);
        assertThatThrownBy(() -> PgReplUrl.parse(url, info)).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo(state);
            assertThat(e.getMessage()).contains(fragment).doesNotContain(SECRET).doesNotContain("\n")
                    .hasSizeLessThan(600);
        });
        assertThat(info).containsOnlyKeys("password");
    }

    static Stream<Arguments> badProperties() {
        return Stream.of(
                Arguments.of("replicaSelection", "fastest", "unknown replicaSelection"),
                Arguments.of("readFallback", "", "unknown readFallback"),
                Arguments.of("hostRecheck", "5", "hostRecheck must be"),
                Arguments.of("monitorInterval", "0s", "above zero"),
                Arguments.of("maxReplicaLag", "-1ms", "maxReplicaLag must be"),
                Arguments.of("maxReplicaLagBytes", "lots", "maxReplicaLagBytes must be"),
                Arguments.of("readConsistency", "strict", "unknown readConsistency"),
                Arguments.of("readYourWritesTimeout", "1.5s", "readYourWritesTimeout must be"),
                Arguments.of("followPromotion", "maybe", "followPromotion must be true or false"),
                Arguments.of("readOnly", "ja", "readOnly must be true or false"),
                Arguments.of("targetServerType", "secondary", "owned by pgrepl"),
                Arguments.of("loadBalanceHosts", "true", "replicaSelection"),
                Arguments.of("hostRecheckSeconds", "10", "hostRecheck"),
                Arguments.of("readOnlyMode", "ignore", "owned by pgrepl"));
    }

    @ParameterizedTest(name = "[{index}] {0}={1}")
    @MethodSource("badProperties")
    void badValuesInPropertiesFailAsInTheUrl(String key, String value, String fragment) {
        Properties info = new Properties();
        info.setProperty("password", SECRET);
        info.setProperty(key, value);
        assertThatThrownBy(() -> PgReplUrl.parse(H, info)).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo(V);
            assertThat(e.getMessage()).contains(fragment).doesNotContain(SECRET);
        });
    }
}
