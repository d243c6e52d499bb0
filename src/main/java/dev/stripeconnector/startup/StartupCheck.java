package dev.stripeconnector.startup;

import dev.stripeconnector.common.ApiDocumentOnDemand;
import dev.stripeconnector.common.HttpGuards;
import dev.stripeconnector.common.StartupRefusal;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.crypto.SecretCipher;
import dev.stripeconnector.crypto.StoredSecrets;
import dev.stripeconnector.events.ReceiverPolicy;
import dev.stripeconnector.maintenance.RetentionPurge;
import dev.stripeconnector.security.ApiKeys;
import dev.stripeconnector.webhook.SignatureVerifier;
import dev.stripeconnector.webhook.WebhookConfig;
import io.smallrye.config.ConfigValidator;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Start-up refuses, in one line naming every problem at once, to run without the settings it
 * needs, and waits a bounded time for the database. It runs while Quarkus validates the
 * configuration, which is before the datasource, Flyway and Hibernate start, so an operator never
 * sees a stack trace for a missing setting or a database that is not there yet. The line never
 * contains a secret; the JDBC URL is shown with any password masked.
 */
public final class StartupCheck {

    private StartupCheck() {
    }

    /**
     * Hooks the check into the configuration's own validation (registered as a service in
     * META-INF/services): SmallRye Config hands every mapping to the validator once the
     * configuration is read, and the checks run when {@link StartupSettings} comes by. No Bean
     * Validation is involved, so none has to start.
     */
    public static final class Hook implements SmallRyeConfigBuilderCustomizer, ConfigValidator {
        @Override
        public void configBuilder(SmallRyeConfigBuilder builder) {
            builder.withValidator(this);
        }

        @Override
        public void validateMapping(Class<?> mappingClass, String prefix, Object mapping) {
            if (mapping instanceof StartupSettings settings) {
                // Runs before the HTTP server starts: the one moment to take over malformed-URI answers.
                HttpGuards.takeOverUriValidation();
                // And the one moment before Quarkus prepares the API description, which waits for its first request.
                ApiDocumentOnDemand.deferPreparation();
                check(settings);
            }
        }
    }

    /** Quarkus derives the cookie's AES key from this text; shorter ones are easy to guess. */
    static final int MIN_SESSION_KEY = 32;

    static void check(StartupSettings settings) {
        List<String> problems = new ArrayList<>();
        collect(problems, () -> ApiKeys.check(settings.apiKeys().orElse(""), settings.operatorKeys().orElse("")));
        collect(problems, () -> SecretCipher.check(settings.encryptionKeys().orElse("")));
        collect(problems, () -> PublicOrigins.baseUrl(settings.publicBaseUrl(), settings.serviceDomain()));
        collect(problems, () -> SignatureVerifier.parseSecrets(settings.stripeWebhookSecrets().orElse(List.of())));
        collect(problems, () -> ReceiverPolicy.allowList(List.of(settings.eventsAllowedHosts().orElse("").split(","))));
        Optional<String> sessionKey = present(settings.sessionEncryptionKey());
        if (sessionKey.isEmpty()) {
            problems.add("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY is missing (the console's session key, at least "
                    + MIN_SESSION_KEY + " characters, the same on every replica)");
        } else if (sessionKey.get().length() < MIN_SESSION_KEY) {
            problems.add("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY is too short (at least " + MIN_SESSION_KEY + " characters)");
        }
        Optional<String> url = present(settings.datasourceUrl());
        Optional<String> user = present(settings.datasourceUsername());
        Optional<String> password = present(settings.datasourcePassword());
        requirePresent(problems, url, "QUARKUS_DATASOURCE_JDBC_URL");
        requirePresent(problems, user, "QUARKUS_DATASOURCE_USERNAME");
        requirePresent(problems, password, "QUARKUS_DATASOURCE_PASSWORD");
        if (settings.retentionWebhookEvents().compareTo(RetentionPurge.SHORTEST_WEBHOOK_RETENTION) < 0) {
            problems.add("CONNECTOR_RETENTION_WEBHOOK_EVENTS is shorter than P3D: Stripe redelivers an event for up to 3 days,"
                    + " and a redelivery must still be recognised");
        }
        Duration tolerance = settings.stripeWebhookTolerance();
        if (tolerance.isNegative() || tolerance.isZero() || tolerance.compareTo(settings.retentionWebhookEvents()) >= 0) {
            problems.add("CONNECTOR_STRIPE_WEBHOOK_TOLERANCE must be positive and shorter than CONNECTOR_RETENTION_WEBHOOK_EVENTS:"
                    + " a signed Stripe delivery replayed within the tolerance must still be recognised as handled");
        }
        Duration previousSecret = settings.stripeWebhookPreviousSecretValidity();
        if (previousSecret.isNegative() || previousSecret.compareTo(WebhookConfig.LONGEST_PREVIOUS_SECRET_VALIDITY) > 0) {
            problems.add("CONNECTOR_STRIPE_WEBHOOK_PREVIOUS_SECRET_VALIDITY must be from PT0S to P7D: a rolled webhook signing secret"
                    + " (perhaps rolled because it leaked) must stop signing soon");
        }
        if (settings.retentionEvents().compareTo(settings.eventsRetryFor()) <= 0) {
            problems.add("CONNECTOR_RETENTION_EVENTS must be longer than CONNECTOR_EVENTS_RETRY_FOR: a delivery that failed is kept"
                    + " for replay until its event is purged");
        }
        if (settings.proxyAddressForwarding() && present(settings.trustedProxies()).isEmpty()) {
            problems.add("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING is on without QUARKUS_HTTP_PROXY_TRUSTED_PROXIES: name the ingress's"
                    + " addresses (e.g. 10.0.0.0/8), or anyone could claim a client address and scheme with X-Forwarded-* headers");
        }
        if (settings.enableForwardedHost()) {
            problems.add("QUARKUS_HTTP_PROXY_ENABLE_FORWARDED_HOST must stay off: the service's addresses come from CONNECTOR_PUBLIC_BASE_URL"
                    + " (or CONNECTOR_SERVICE_DOMAIN), never from a forwarded header");
        }
        if (!problems.isEmpty()) {
            throw new StartupRefusal(String.join("; ", problems));
        }
        if (!settings.databaseWait().isZero()) {
            Connection connection = awaitDatabase(url.orElseThrow(), user.orElseThrow(), password.orElseThrow(),
                    settings.databaseWait(), System.err::println);
            try {
                refuseRemovedKeys(connection, SecretCipher.keyIdsOf(settings.encryptionKeys().orElseThrow()));
            } finally {
                closeQuietly(connection);
            }
        }
    }

    /**
     * A key id that still protects a stored value must stay in CONNECTOR_ENCRYPTION_KEYS: refuses to
     * start, naming each such key id and how many values it protects. One grouped count per secret
     * table (before the first migration, there is nothing to count).
     */
    static void refuseRemovedKeys(Connection connection, List<String> configured) {
        Map<String, Long> counts;
        try {
            counts = StoredSecrets.countByKey(connection);
        } catch (SQLException e) {
            throw new StartupRefusal("could not count the stored secrets per encryption key (SQL state " + e.getSQLState() + ")");
        }
        List<String> missing = counts.entrySet().stream().filter(e -> !configured.contains(e.getKey()))
                .map(e -> "'" + e.getKey() + "' (" + e.getValue() + " stored values)").toList();
        if (!missing.isEmpty()) {
            throw new StartupRefusal("CONNECTOR_ENCRYPTION_KEYS no longer lists the key id " + String.join(", ", missing)
                    + ", which still protects stored secrets: put the key back, run POST /api/v1/maintenance/re-encrypt once every"
                    + " replica runs with the new primary key, and remove the old key when GET /api/v1/maintenance/encryption shows it protects nothing");
        }
    }

    /**
     * Waits until the database accepts a connection, and hands that connection to the next check, or
     * refuses to start once {@code patience} has passed.
     */
    static Connection awaitDatabase(String url, String user, String password, Duration patience, Consumer<String> say) {
        long deadline = System.nanoTime() + patience.toNanos();
        boolean announced = false;
        while (true) {
            String problem;
            try {
                Connection connection = connect(url, user, password);
                if (connection != null) {
                    return connection;
                }
                problem = "not a PostgreSQL JDBC URL";
            } catch (SQLException e) {
                problem = reason(e);
            }
            if (System.nanoTime() > deadline) {
                throw new StartupRefusal("the database at " + masked(url) + " cannot be reached (" + problem + "); waited "
                        + patience.toSeconds() + " s (CONNECTOR_DATABASE_WAIT)");
            }
            if (!announced) {
                say.accept("Waiting up to " + patience.toSeconds() + " s for the database at " + masked(url) + " (" + problem + ")");
                announced = true;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupRefusal("interrupted while waiting for the database at " + masked(url));
            }
        }
    }

    /** A connection, or null when the URL is not PostgreSQL's. */
    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "3");
        properties.setProperty("loginTimeout", "3");
        return new org.postgresql.Driver().connect(url, properties);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // The checks are done; the pool opens its own connections.
        }
    }

    /** Why a connection failed, short and free of secrets. */
    private static String reason(SQLException e) {
        String state = e.getSQLState();
        if ("28P01".equals(state) || "28000".equals(state)) {
            return "the user name or password was refused";
        }
        if ("3D000".equals(state)) {
            return "the database does not exist";
        }
        return state != null && state.startsWith("08") ? "connection refused or timed out" : "SQL state " + state;
    }

    /** The JDBC URL with any password in it masked. */
    static String masked(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****").replaceAll("//([^/@:]+):[^@/]*@", "//$1:****@");
    }

    private static Optional<String> present(Optional<String> value) {
        return value.filter(v -> !v.isBlank());
    }

    private static void requirePresent(List<String> problems, Optional<String> value, String variable) {
        if (value.isEmpty()) {
            problems.add(variable + " is missing: the service keeps its state in PostgreSQL");
        }
    }

    private static void collect(List<String> problems, Runnable check) {
        try {
            check.run();
        } catch (StartupRefusal refusal) {
            problems.add(refusal.getMessage().replaceFirst("^Refusing to start: ", ""));
        }
    }
}
