package org.pgrepl.jdbc.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.pgrepl.jdbc.Driver;

/**
 * Virtual threads on JDK 21-23 pin their carrier inside {@code synchronized} and in
 * {@code Object.wait}: a driver call that did I/O or waited there would hold a carrier thread
 * for the whole round trip or wait. The driver's classes use {@code ReentrantLock} and
 * {@code Condition} instead; this keeps it so, reading the compiled bytecode with javap.
 */
class NoPinningTest {
    @Test
    void noDriverClassUsesSynchronizedOrObjectWait() throws IOException, URISyntaxException {
        Path classes = Path.of(Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes.resolve("org/pgrepl/jdbc"))) {
            files = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertThat(files).hasSizeGreaterThan(30);
        List<String> found = new ArrayList<>();
        for (Path f : files) {
            StringWriter out = new StringWriter();
            int rc = javap.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-c", "-p", f.toString());
            assertThat(rc).isZero();
            for (String line : out.toString().split("\n")) {
                if (line.contains("monitorenter") || line.contains("java/lang/Object.wait")
                        || (line.contains(" synchronized ") && line.contains("("))) {
                    found.add(classes.relativize(f) + ": " + line.trim());
                }
            }
        }
        assertThat(found).as("synchronized or Object.wait in driver classes").isEmpty();
    }
}
