package org.pgrepl.jdbc.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverPropertyInfo;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Keeps the property enum consistent with itself, its parsers and the README. */
class PgReplPropertyTest {
    @Test
    void everyPropertyIsCompleteAndItsDefaultParses() throws Exception {
        assertThat(new HashSet<>(Arrays.stream(PgReplProperty.values()).map(PgReplProperty::getName).toList()))
                .hasSize(PgReplProperty.values().length);
        for (PgReplProperty p : PgReplProperty.values()) {
            assertThat(p.getName()).isNotBlank();
            assertThat(p.getDescription()).isNotBlank();
            assertThat(p.getDefaultValue()).isNotNull();
            p.parse(p.getDefaultValue());
            if (p.getChoices() != null) {
                assertThat(p.getChoices()).contains(p.getDefaultValue());
                for (String choice : p.getChoices()) {
                    p.parse(choice);
                }
            }
            assertThat(PgReplProperty.forName(p.getName())).isSameAs(p);
        }
        assertThat(PgReplProperty.forName("user")).isNull();
    }

    @Test
    void driverPropertyInfoShowsEffectiveValues() {
        Properties effective = new Properties();
        effective.setProperty("readFallback", "fail");
        DriverPropertyInfo info = PgReplProperty.READ_FALLBACK.toDriverPropertyInfo(effective);
        assertThat(info.name).isEqualTo("readFallback");
        assertThat(info.value).isEqualTo("fail");
        assertThat(info.choices).containsExactly("primary", "fail");
        assertThat(PgReplProperty.HOST_RECHECK.toDriverPropertyInfo(null).value).isEqualTo("10s");
    }

    @Test
    void theReadmeTableIsGeneratedFromTheEnum() throws IOException {
        String table = PgReplProperty.markdownTable();
        for (PgReplProperty p : PgReplProperty.values()) {
            assertThat(table).contains("| `" + p.getName() + "` |");
        }
        assertThat(Files.readString(Path.of("README.md"))).as("replication-driver/README.md holds the generated"
                + " table; regenerate it from PgReplProperty.markdownTable()").contains(table);
        assertThat(Files.readString(Path.of("../README.md"))).as("the top README holds the generated table too")
                .contains(table);
    }
}
