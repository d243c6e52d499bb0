package dev.stripeconnector.startup;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.jboss.logging.Logger;

/**
 * Brings the schema up to date before anything else of the service runs, and starts Flyway only
 * when there is something to apply. Most starts find the schema current: one query of the schema
 * history then replaces Flyway's start (its ~350 classes and its validation, a tenth of the start-up
 * main thread). When a migration is pending, Flyway migrates exactly as before, under its own
 * advisory lock, so replicas starting together still apply each migration once.
 */
@ApplicationScoped
public class SchemaMigrations {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class);

    /** The highest {@code V<n>__} migration in {@code db/migration} ({@code SchemaMigrationsTest} keeps it true). */
    static final int LATEST = 27;

    /** Before every other start-up observer (the {@code @Startup} beans run at their priorities, 10 and up). */
    void migrate(@Observes @Priority(1) StartupEvent start, AgroalDataSource dataSource, Instance<Flyway> flyway,
                 @ConfigProperty(name = "connector.schema.target") Optional<Integer> target) {
        migrate(dataSource, flyway::get, target);
    }

    /**
     * Applies the pending migrations up to {@code target} (the newest when empty). A target below the
     * newest holds a two-step rollout at its expand (docs/operations.md): the contract runs at the first
     * start without it.
     */
    static void migrate(DataSource dataSource, Supplier<Flyway> flyway, Optional<Integer> target) {
        int wanted = target.map(version -> Math.min(version, LATEST)).orElse(LATEST);
        int installed = installedVersion(dataSource);
        if (installed >= wanted) {
            LOG.infof("The schema is at version %d (this build's newest migration: %d, applied up to: %d): no migration to run",
                    installed, LATEST, wanted);
            return;
        }
        if (wanted < LATEST) {
            LOG.infof("Migrating the schema up to version %d only (connector.schema.target); %d is this build's newest", wanted, LATEST);
            Flyway.configure().configuration(flyway.get().getConfiguration()).target(MigrationVersion.fromVersion(Integer.toString(wanted)))
                    .load().migrate();
            return;
        }
        flyway.get().migrate();
    }

    /**
     * The highest migration applied successfully, 0 before the first one; -1 when the history cannot be
     * read (Flyway then starts and says what is wrong).
     */
    static int installedVersion(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            if (!historyExists(statement)) {
                return 0;
            }
            try (ResultSet rs = statement.executeQuery("""
                    select coalesce(max(cast(version as integer)), 0) from flyway_schema_history
                    where success and version ~ '^[0-9]{1,9}$'
                    """)) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            LOG.debugf("The schema history could not be read (SQL state %s): starting Flyway", e.getSQLState());
            return -1;
        }
    }

    private static boolean historyExists(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("select to_regclass('flyway_schema_history') is not null")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
