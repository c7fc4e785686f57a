package org.pgrepl.jdbc.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LsnTest {
    @Test
    void parsesAndFormatsAsPostgresWritesIt() {
        assertThat(Lsn.parse("0/16B3748")).isEqualTo(0x16B3748L);
        assertThat(Lsn.parse("16/B374D848")).isEqualTo((0x16L << 32) | 0xB374D848L);
        assertThat(Lsn.format((0x16L << 32) | 0xB374D848L)).isEqualTo("16/B374D848");
        assertThat(Lsn.format(0)).isEqualTo("0/0");
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF")).isEqualTo(-1L);
        assertThat(Lsn.format(-1L)).isEqualTo("FFFFFFFF/FFFFFFFF");
    }

    @Test
    void comparesUnsigned() {
        long high = Lsn.parse("FFFFFFFF/0");
        long low = Lsn.parse("1/0");
        assertThat(Lsn.reached(high, low)).isTrue();
        assertThat(Lsn.reached(low, high)).isFalse();
        assertThat(Lsn.bytesBehind(high, low)).isEqualTo(high - low);
        assertThat(Lsn.bytesBehind(low, high)).isZero();
        assertThat(Lsn.max(low, high)).isEqualTo(high);
        assertThat(Lsn.bytesBehind(Lsn.parse("0/2000"), Lsn.parse("0/1000"))).isEqualTo(0x1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "0/", "/0", "0", "G/0", "0/G", "123456789/0", "0/123456789", "0/-1", "-1/0", " 0/0"})
    void rejectsMalformedPositions(String text) {
        assertThatThrownBy(() -> Lsn.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hi/lo");
    }
}
