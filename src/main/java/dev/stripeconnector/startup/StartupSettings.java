package dev.stripeconnector.startup;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The settings the service cannot run without, checked as a whole while the configuration is
 * read, before the database, Flyway or Hibernate is touched ({@link StartupCheck}). Nothing injects
 * it, so it is marked unremovable: Quarkus only builds (and hands to the check) mappings it keeps.
 */
@ConfigMapping(prefix = "connector")
@Unremovable
public interface StartupSettings {

    /** See {@code SecurityConfig#apiKeys()}. */
    Optional<String> apiKeys();

    /** See {@code SecurityConfig#operatorKeys()}: optional, checked when given. */
    Optional<String> operatorKeys();

    /** See {@code EncryptionConfig#encryptionKeys()}. */
    Optional<String> encryptionKeys();

    /** See {@code ServiceConfig#serviceDomain()}. */
    Optional<String> serviceDomain();

    /** See {@code ServiceConfig#publicBaseUrl()}. */
    Optional<String> publicBaseUrl();

    /** See {@code WebhookConfig#stripeWebhookSecrets()}. */
    Optional<List<String>> stripeWebhookSecrets();

    /** See {@code WebhookConfig#stripeWebhookTolerance()}. */
    @WithDefault("PT5M")
    Duration stripeWebhookTolerance();

    /** See {@code WebhookConfig#stripeWebhookPreviousSecretValidity()}. */
    @WithDefault("PT24H")
    Duration stripeWebhookPreviousSecretValidity();

    /**
     * The datasource's settings, read through this mapping so that they come from the very
     * configuration being validated (in dev mode, the embedded database's); not settings of their own.
     */
    @WithName("startup.datasource-url")
    @WithDefault("${quarkus.datasource.jdbc.url:}")
    Optional<String> datasourceUrl();

    @WithName("startup.datasource-username")
    @WithDefault("${quarkus.datasource.username:}")
    Optional<String> datasourceUsername();

    @WithName("startup.datasource-password")
    @WithDefault("${quarkus.datasource.password:}")
    Optional<String> datasourcePassword();

    /** The console's session cookie key, the same on every replica; Quarkus' own setting, read here to be checked. */
    @WithName("startup.session-encryption-key")
    @WithDefault("${quarkus.http.auth.session.encryption-key:}")
    Optional<String> sessionEncryptionKey();

    /** See {@code RetentionConfig#webhookEvents()}; read here to be checked before anything starts. */
    @WithName("startup.retention-webhook-events")
    @WithDefault("${connector.retention.webhook-events:P7D}")
    Duration retentionWebhookEvents();

    /** See {@code RetentionConfig#events()}; read here to be checked against the retry period. */
    @WithName("startup.retention-events")
    @WithDefault("${connector.retention.events:P30D}")
    Duration retentionEvents();

    /** See {@code EventsConfig#allowedHosts()}, as written (comma-separated). */
    @WithName("startup.events-allowed-hosts")
    @WithDefault("${connector.events.allowed-hosts:}")
    Optional<String> eventsAllowedHosts();

    /** See {@code EventsConfig#retryFor()}. */
    @WithName("startup.events-retry-for")
    @WithDefault("${connector.events.retry-for:P3D}")
    Duration eventsRetryFor();

    /** Quarkus' {@code quarkus.http.proxy.proxy-address-forwarding}: whether forwarded headers are honoured at all. */
    @WithName("startup.proxy-address-forwarding")
    @WithDefault("${quarkus.http.proxy.proxy-address-forwarding:false}")
    boolean proxyAddressForwarding();

    /** Quarkus' {@code quarkus.http.proxy.trusted-proxies}, as written: the only senders whose forwarded headers count. */
    @WithName("startup.trusted-proxies")
    @WithDefault("${quarkus.http.proxy.trusted-proxies:}")
    Optional<String> trustedProxies();

    /** Quarkus' {@code quarkus.http.proxy.enable-forwarded-host}, which must stay off. */
    @WithName("startup.enable-forwarded-host")
    @WithDefault("${quarkus.http.proxy.enable-forwarded-host:false}")
    boolean enableForwardedHost();

    /** How long start-up waits for the database to answer before it refuses to start (0: do not check). */
    @WithDefault("PT30S")
    Duration databaseWait();
}
