package dev.stripeconnector.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the migrations and the rule of docs/operations.md ("expand, deploy, contract") together: every
 * migration has its row in the table there, and a statement that breaks the previous version's code during
 * a rolling update appears only in a migration whose row says it is a contract step.
 */
class MigrationsRollTest {

    static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    static final Path OPERATIONS = Path.of("docs/operations.md");

    /** Statements the previous version's pods (still serving during the rollout) cannot live with. */
    static final Map<String, Pattern> BREAKS_THE_PREVIOUS_VERSION = Map.of(
            // Dropping a check constraint (PostgreSQL names them {table}_{column}_check) only relaxes: it refuses nothing the previous version writes.
            "drop", Pattern.compile("\\bdrop\\s+(table|column|view|type|schema|constraint(?!\\s+\\w+_check\\b))\\b"),
            "rename", Pattern.compile("\\brename\\b"),
            "set not null", Pattern.compile("\\bset\\s+not\\s+null\\b"),
            "type change", Pattern.compile("\\balter\\s+column\\s+\\S+\\s+(set\\s+data\\s+)?type\\b"),
            "truncate", Pattern.compile("\\btruncate\\b"),
            "new not null column without default",
            Pattern.compile("\\badd\\s+column\\s+(?:(?!,|;|\\bdefault\\b|\\bgenerated\\b).)*\\bnot\\s+null\\b(?:(?!,|;|\\bdefault\\b|\\bgenerated\\b).)*(?=,|;)",
                    Pattern.DOTALL));

    static Map<String, String> migrations() throws IOException {
        Map<String, String> sql = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.sorted().toList()) {
                sql.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return sql;
    }

    /** The kind column of each migration's row in docs/operations.md's table: | `V1__….sql` | what | kind | why |. */
    static Map<String, String> documentedKinds() throws IOException {
        Map<String, String> kinds = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([^`]+\\.sql)` \\|[^|]*\\|([^|]*)\\|").matcher(Files.readString(OPERATIONS));
        while (row.find()) {
            kinds.put(row.group(1), row.group(2).strip());
        }
        return kinds;
    }

    /** SQL without comments, lower case, whitespace folded. */
    static String statements(String sql) {
        return sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ").toLowerCase().replaceAll("\\s+", " ");
    }

    @Test
    void everyMigrationIsCheckedAgainstTheRuleInTheOperationsGuide() throws IOException {
        Map<String, String> migrations = migrations();
        assertThat(migrations).isNotEmpty();
        assertThat(migrations.keySet()).allMatch(name -> name.matches("V\\d+__[a-z0-9_]+\\.sql"), "versioned migrations only");
        assertThat(documentedKinds().keySet()).as("the migrations in the table of docs/operations.md, \"Schema changes during a rolling update\"")
                .containsAll(migrations.keySet());
    }

    @Test
    void onlyAContractStepBreaksThePreviousVersion() throws IOException {
        Map<String, String> kinds = documentedKinds();
        migrations().forEach((name, sql) -> {
            String kind = kinds.getOrDefault(name, "");
            if (kind.contains("contract") || kind.equals("first release")) {
                return;
            }
            String text = statements(sql);
            BREAKS_THE_PREVIOUS_VERSION.forEach((what, pattern) -> assertThat(pattern.matcher(text).find())
                    .as(name + " holds a " + what + ", which breaks the previous version's pods during a rolling update: ship it as a"
                            + " contract step in a later release, and say so in its row of docs/operations.md (it says \"" + kind + "\")")
                    .isFalse());
        });
    }

    /** Columns a migration adds and makes NOT NULL itself: the previous version, which never writes them, cannot insert. */
    static List<String> addedAndMadeNotNull(String sql) {
        String text = statements(sql);
        List<String> columns = new java.util.ArrayList<>();
        Matcher notNull = Pattern.compile("\\balter\\s+column\\s+(\\w+)\\s+set\\s+not\\s+null\\b").matcher(text);
        while (notNull.find()) {
            if (Pattern.compile("\\badd\\s+column\\s+(if\\s+not\\s+exists\\s+)?" + notNull.group(1) + "\\b").matcher(text).find()) {
                columns.add(notNull.group(1));
            }
        }
        return columns;
    }

    @Test
    void noMigrationExpandsAndContractsTheSameColumn() throws IOException {
        Map<String, String> kinds = documentedKinds();
        migrations().forEach((name, sql) -> {
            if (!kinds.getOrDefault(name, "").equals("first release")) {
                assertThat(addedAndMadeNotNull(sql)).as(name + " adds these columns and sets them NOT NULL at once: pods of the previous"
                        + " version, still serving during the rollout, insert rows without them and fail. Keep them nullable (the new"
                        + " code fills them), and set NOT NULL in a later release, after repeating the backfill (docs/operations.md)")
                        .isEmpty();
            }
        });
    }

    @Test
    void theCheckRecognisesWhatBreaksThePreviousVersion() {
        assertThat(addedAndMadeNotNull("alter table r add column e timestamptz, add column o text; update r set e = x;"
                + " alter table r alter column e set not null;")).containsExactly("e");
        assertThat(addedAndMadeNotNull("alter table r add column e timestamptz; alter table r alter column f set not null;")).isEmpty();
        List<String> breaking = List.of(
                "alter table account_connector drop column scope;",
                "alter table a rename column x to y;",
                "alter table a alter column x set not null;",
                "alter table a alter column x type text;",
                "truncate webhook_event;",
                "alter table a add column x varchar(8) not null;",
                "drop table credential_read;");
        List<String> expanding = List.of(
                "alter table a add column x varchar(8);",
                "alter table a add column x boolean not null default false;",
                "create table t (id uuid primary key, name text not null);",
                "create index i on a (x);",
                "drop index if exists i;");
        for (String sql : breaking) {
            assertThat(BREAKS_THE_PREVIOUS_VERSION.values().stream().anyMatch(p -> p.matcher(statements(sql)).find())).as(sql).isTrue();
        }
        for (String sql : expanding) {
            assertThat(BREAKS_THE_PREVIOUS_VERSION.values().stream().anyMatch(p -> p.matcher(statements(sql)).find())).as(sql).isFalse();
        }
    }
}
