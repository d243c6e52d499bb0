package dev.stripeconnector.devdb;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded PostgreSQL of dev mode. Dev mode reloads the application in a new class loader,
 * so the running server's port is remembered in a JVM-wide system property rather than in a
 * static field: a reload reuses the server instead of starting a second one on the same data.
 */
final class DevPostgres {

    private static final String PORT_PROPERTY = "stripe-connector.dev-postgres.port";

    private DevPostgres() {
    }

    static synchronized int ensureStarted(Path dataDirectory) {
        String running = System.getProperty(PORT_PROPERTY);
        if (running != null) {
            return Integer.parseInt(running);
        }
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
            System.setProperty(PORT_PROPERTY, Integer.toString(postgres.getPort()));
            return postgres.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL of dev mode in " + dataDirectory, e);
        }
    }
}
