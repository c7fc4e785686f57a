import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Target;
import org.pgrepl.infra.EmbeddedCluster;

/**
 * Build step (run by the exec plugin in generate-sources, with Java's source launcher): starts an
 * embedded PostgreSQL, migrates it with the module's Flyway migrations, and generates jOOQ code
 * from that live schema into target/. So schema and code cannot drift, and nothing is edited by
 * hand. Skipped when the migrations are unchanged since the last generation.
 * Arguments: migrations directory, output directory.
 */
public class GenerateJooqFromMigrations {
    /** Held, since java.util.logging keeps loggers only weakly and would forget the level. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("org.pgrepl");

    public static void main(String[] args) throws Exception {
        QUIET.setLevel(java.util.logging.Level.WARNING);
        Path migrations = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path stamp = out.resolve(".migrations.sha256");
        String digest = digest(migrations);
        if (Files.exists(stamp) && Files.readString(stamp).equals(digest)) {
            System.out.println("jOOQ code is up to date with " + migrations);
            return;
        }
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().replicas(0).start()) {
            String url = cluster.primary().jdbcUrl();
            Flyway.configure().dataSource(url, cluster.user(), cluster.password())
                    .locations("filesystem:" + migrations.toAbsolutePath()).load().migrate();
            GenerationTool.generate(new Configuration()
                    .withJdbc(new Jdbc().withDriver("org.postgresql.Driver").withUrl(url)
                            .withUser(cluster.user()).withPassword(cluster.password()))
                    .withGenerator(new Generator()
                            .withDatabase(new Database().withName("org.jooq.meta.postgres.PostgresDatabase")
                                    .withInputSchema("public").withExcludes("flyway_schema_history"))
                            .withGenerate(new Generate().withRecords(true).withPojos(false).withDaos(false)
                                    .withJavaTimeTypes(true).withGeneratedAnnotation(false))
                            .withTarget(new Target().withPackageName("org.pgrepl.patient.jooq")
                                    .withDirectory(out.toAbsolutePath().toString()))));
        }
        Files.writeString(stamp, digest);
    }

    private static String digest(Path dir) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            sha.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(f));
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
