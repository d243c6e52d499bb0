package dev.stripeconnector.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A real PostgreSQL for the tests, from Maven Central (no Docker): started once per test JVM, on a
 * random port, in a fresh data directory. Tests inspect what was stored through {@link #connection()},
 * and the outage tests stop and start the same server ({@link #stopServer()}, {@link #startServer()})
 * on the same port and data, as a database that goes away and comes back.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres postgres;
    private static Path dataDirectory;
    private static int port;

    @Override
    public Map<String, String> start() {
        synchronized (PostgresResource.class) {
            if (postgres == null) {
                try {
                    dataDirectory = Files.createTempDirectory("connector-test-postgres");
                    postgres = builder().start();
                    port = postgres.getPort();
                    Runtime.getRuntime().addShutdownHook(new Thread(PostgresResource::stopAndDelete));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    private static EmbeddedPostgres.Builder builder() {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false);
        return port == 0 ? builder : builder.setPort(port);
    }

    @Override
    public void stop() {
        // Kept for the whole JVM: several test classes (and the packaged-jar ITs) share it.
    }

    /** Stops the server, keeping its data: the service under test loses its database. */
    public static synchronized void stopServer() {
        try {
            postgres.close();
            postgres = null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same port with the same data. */
    public static synchronized void startServer() {
        if (postgres != null) {
            return;
        }
        try {
            postgres = builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void stopAndDelete() {
        try {
            if (postgres != null) {
                postgres.close();
            }
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        } catch (IOException e) {
            // Best effort at JVM exit.
        }
    }

    public static String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public static synchronized DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    public static Connection connection() throws SQLException {
        return dataSource().getConnection();
    }
}
