package org.pgrepl.jdbc.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CausalTokenTest {
    @Test
    void roundTrips() throws SQLException {
        CausalToken t = CausalToken.parse("7301234567890123456/1/0/16B3748");
        assertThat(t.systemIdentifier()).isEqualTo(7301234567890123456L);
        assertThat(t.timeline()).isEqualTo(1);
        assertThat(t.lsn()).isEqualTo(0x16B3748L);
        assertThat(t).hasToString("7301234567890123456/1/0/16B3748");
        // system identifiers use all 64 bits
        assertThat(CausalToken.parse("18446744073709551615/3/A/B").toString()).isEqualTo("18446744073709551615/3/A/B");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1/1/0", "1/1/0/0/0", "x/1/0/0", "1/0/0/0", "1/-1/0/0", "1/1/Z/0", "1/1/0/",
            "18446744073709551616/1/0/0", "1/99999999999/0/0", "1/1/0/0\n"})
    void rejectsMalformedTokensWith22023(String token) {
        assertThatThrownBy(() -> CausalToken.parse(token)).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("22023");
            assertThat(e.getMessage()).contains("<system identifier>/<timeline>/<LSN>").doesNotContain("\n");
        });
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> CausalToken.parse(null)).isInstanceOf(SQLException.class);
    }
}
