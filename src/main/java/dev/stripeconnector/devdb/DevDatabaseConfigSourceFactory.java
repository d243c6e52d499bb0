package dev.stripeconnector.devdb;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives {@code ./mvnw quarkus:dev} a real PostgreSQL with no set-up: in the dev profile, when no
 * JDBC URL is configured, it starts an embedded PostgreSQL whose data lives under
 * {@code connector.dev-database.dir} (default {@code .devdata/postgres}) and survives restarts.
 *
 * <p>Only the dev profile does this. Tests bring their own database, and the packaged
 * application does not even contain the embedded server (it is an optional dependency,
 * filtered out of the package).
 */
public class DevDatabaseConfigSourceFactory implements ConfigSourceFactory {

    static final String DIR_PROPERTY = "connector.dev-database.dir";
    static final String DEFAULT_DIR = ".devdata/postgres";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev") || isSet(context, "quarkus.datasource.jdbc.url")) {
            return List.of();
        }
        ConfigValue dir = context.getValue(DIR_PROPERTY);
        Path dataDirectory = Path.of(dir != null && dir.getValue() != null ? dir.getValue() : DEFAULT_DIR).toAbsolutePath();
        int port = DevPostgres.ensureStarted(dataDirectory);
        Map<String, String> datasource = Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
        // Ordinal below application.properties (250): anything configured explicitly wins.
        return List.of(new PropertiesConfigSource(datasource, "embedded PostgreSQL (dev mode)", 200));
    }

    private static boolean isSet(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
