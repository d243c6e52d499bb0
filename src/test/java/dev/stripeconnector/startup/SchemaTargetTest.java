package dev.stripeconnector.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.support.PostgresResource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The two-step rollout of docs/operations.md: a start with {@code connector.schema.target=16} applies the
 * expand of partners and keeps the global unique constraints the previous version's statements name; the
 * next start without it applies the contract.
 */
class SchemaTargetTest {

    @Test
    void aTargetHoldsTheSchemaAtTheExpandAndTheNextStartWithoutItContracts() throws SQLException {
        new PostgresResource().start();
        try (Connection admin = PostgresResource.connection(); Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists schema_target");
            statement.execute("create database schema_target");
        }
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setUrl(PostgresResource.jdbcUrl().replace("/postgres", "/schema_target"));
        database.setUser("postgres");
        database.setPassword("postgres");
        Flyway flyway = Flyway.configure().dataSource(database).locations("classpath:db/migration").load();

        SchemaMigrations.migrate(database, () -> flyway, Optional.of(16));
        assertThat(SchemaMigrations.installedVersion(database)).isEqualTo(16);
        assertThat(constraintExists(database, "account_connector_account_id_key")).as("the previous version's upsert still finds its key").isTrue();

        SchemaMigrations.migrate(database, () -> flyway, Optional.of(16));
        assertThat(SchemaMigrations.installedVersion(database)).as("a second start with the target changes nothing").isEqualTo(16);

        SchemaMigrations.migrate(database, () -> flyway, Optional.empty());
        assertThat(SchemaMigrations.installedVersion(database)).isEqualTo(SchemaMigrations.LATEST);
        assertThat(constraintExists(database, "account_connector_account_id_key")).as("the contract dropped it").isFalse();
    }

    private static boolean constraintExists(PGSimpleDataSource database, String name) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select count(*) from pg_constraint where conname = '" + name + "'")) {
            rows.next();
            return rows.getInt(1) == 1;
        }
    }
}
