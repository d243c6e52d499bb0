package dev.stripeconnector.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A start finds the schema current by comparing the history with {@link SchemaMigrations#LATEST}: it must name the newest file. */
class SchemaMigrationsTest {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

    @Test
    void latestIsTheNewestMigrationFile() throws IOException {
        int newest;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            newest = files.map(f -> f.getFileName().toString()).map(VERSIONED::matcher).filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
        }
        assertThat(SchemaMigrations.LATEST).as("SchemaMigrations.LATEST after adding a migration").isEqualTo(newest);
    }

    @Test
    void everyMigrationIsVersionedWithAWholeNumber() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("the schema history is compared as whole numbers")
                    .allMatch(name -> VERSIONED.matcher(name).matches());
        }
    }
}
