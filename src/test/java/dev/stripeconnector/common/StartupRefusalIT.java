package dev.stripeconnector.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.support.PackagedApp;
import dev.stripeconnector.support.PostgresResource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Starts the packaged application (prod profile) with missing or malformed secrets and checks
 * that it refuses to start with one clear line that does not repeat the bad value.
 */
class StartupRefusalIT {

    @BeforeAll
    static void database() {
        new PostgresResource().start();
    }

    record Outcome(int exitCode, String output) {
        /** The lines the application printed after its banner, without Quarkus' own INFO lines. */
        String refusal() {
            return output.lines().filter(l -> l.startsWith("Refusing to start")).reduce("", (a, b) -> a + b + "\n").strip();
        }
    }

    static Outcome launch(Map<String, String> env) throws Exception {
        PackagedApp app = PackagedApp.start(env, 0);
        int exit = app.awaitExit(Duration.ofSeconds(90));
        return new Outcome(exit, app.log());
    }

    @Test
    void missingApiKeysRefuseToStartWithOneLine() throws Exception {
        Map<String, String> env = PackagedApp.productionEnvironment();
        env.remove("CONNECTOR_API_KEYS");
        Outcome outcome = launch(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.refusal()).isEqualTo(
                "Refusing to start: CONNECTOR_API_KEYS is missing: set it to name:key[,name:key...] (keys of at least 16 characters)");
        assertThat(outcome.output()).doesNotContain("Exception");
    }

    @Test
    void malformedEncryptionKeysRefuseToStartWithoutEchoingTheKey() throws Exception {
        Map<String, String> env = PackagedApp.productionEnvironment();
        String shortKey = "c2hvcnQta2V5LW9mLTIwLWJ5dGVz";
        env.put("CONNECTOR_ENCRYPTION_KEYS", "k1:" + shortKey);
        Outcome outcome = launch(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.refusal().lines()).hasSize(1);
        assertThat(outcome.refusal()).contains("CONNECTOR_ENCRYPTION_KEYS is malformed").contains("32 bytes");
        assertThat(outcome.output()).doesNotContain(shortKey).doesNotContain("Exception");
    }

    @Test
    void missingEncryptionKeysRefuseToStart() throws Exception {
        Map<String, String> env = PackagedApp.productionEnvironment();
        env.remove("CONNECTOR_ENCRYPTION_KEYS");
        Outcome outcome = launch(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.refusal()).startsWith("Refusing to start: CONNECTOR_ENCRYPTION_KEYS is missing");
    }

    @Test
    void malformedApiKeysRefuseToStartWithoutEchoingTheKey() throws Exception {
        Map<String, String> env = PackagedApp.productionEnvironment();
        env.put("CONNECTOR_API_KEYS", "admin:tooshort");
        Outcome outcome = launch(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.refusal()).contains("CONNECTOR_API_KEYS is malformed");
        assertThat(outcome.output()).doesNotContain("tooshort");
    }

    @Test
    void malformedWebhookSecretsRefuseToStart() throws Exception {
        Map<String, String> env = PackagedApp.productionEnvironment();
        env.put("CONNECTOR_STRIPE_WEBHOOK_SECRETS", "not-a-webhook-secret");
        Outcome outcome = launch(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.refusal()).contains("CONNECTOR_STRIPE_WEBHOOK_SECRETS is malformed");
        assertThat(outcome.output()).doesNotContain("not-a-webhook-secret");
    }

    @Test
    void retentionsTooShortForWhatTheyKeepAndAMalformedReceiverAllowListAreRefused() throws Exception {
        Map<String, String> env = PackagedApp.productionEnvironment();
        env.put("CONNECTOR_RETENTION_WEBHOOK_EVENTS", "P1D");
        // A signature older than the retention of handled event ids could be replayed once its id is forgotten.
        env.put("CONNECTOR_STRIPE_WEBHOOK_TOLERANCE", "P1D");
        // A rolled webhook secret (perhaps leaked) must stop signing within a week.
        env.put("CONNECTOR_STRIPE_WEBHOOK_PREVIOUS_SECRET_VALIDITY", "P8D");
        // Failed deliveries are kept for replay as long as their events: not shorter than their retries.
        env.put("CONNECTOR_RETENTION_EVENTS", "P2D");
        env.put("CONNECTOR_EVENTS_ALLOWED_HOSTS", "receiver.internal,https://billing.svc.cluster.local:8443/hooks");
        Outcome outcome = launch(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.refusal().lines()).hasSize(1);
        assertThat(outcome.refusal()).contains("CONNECTOR_RETENTION_WEBHOOK_EVENTS is shorter than P3D")
                .contains("CONNECTOR_STRIPE_WEBHOOK_TOLERANCE must be positive and shorter than CONNECTOR_RETENTION_WEBHOOK_EVENTS")
                .contains("CONNECTOR_STRIPE_WEBHOOK_PREVIOUS_SECRET_VALIDITY must be from PT0S to P7D")
                .contains("CONNECTOR_RETENTION_EVENTS must be longer than CONNECTOR_EVENTS_RETRY_FOR")
                .contains("CONNECTOR_EVENTS_ALLOWED_HOSTS is malformed");
        assertThat(outcome.output()).doesNotContain("Exception");
    }

    @Test
    void forwardedHeadersFromAnyoneAndAForwardedHostAreRefused() throws Exception {
        Map<String, String> env = PackagedApp.productionEnvironment();
        env.put("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true");
        env.put("QUARKUS_HTTP_PROXY_ENABLE_FORWARDED_HOST", "true");
        Outcome outcome = launch(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.refusal().lines()).hasSize(1);
        assertThat(outcome.refusal()).contains("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING is on without QUARKUS_HTTP_PROXY_TRUSTED_PROXIES")
                .contains("QUARKUS_HTTP_PROXY_ENABLE_FORWARDED_HOST must stay off");
        assertThat(outcome.output()).doesNotContain("Exception");
    }

    @Test
    void aStartWithNothingConfiguredNamesEveryMissingSettingInOneLineBeforeTouchingTheDatabase() throws Exception {
        Outcome outcome = launch(Map.of());
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.refusal().lines()).hasSize(1);
        assertThat(outcome.refusal()).contains("CONNECTOR_API_KEYS is missing", "CONNECTOR_ENCRYPTION_KEYS is missing",
                "CONNECTOR_SERVICE_DOMAIN is missing", "QUARKUS_DATASOURCE_JDBC_URL is missing", "QUARKUS_DATASOURCE_USERNAME is missing",
                "QUARKUS_DATASOURCE_PASSWORD is missing", "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY is missing");
        assertThat(outcome.output()).doesNotContain("Exception").doesNotContain("Flyway").doesNotContain("\tat ");
    }

    @Test
    void aDatabaseThatCannotBeReachedIsNamedInOneLineWithThePasswordMasked() throws Exception {
        Map<String, String> env = PackagedApp.productionEnvironment();
        int closedPort = PackagedApp.freePort();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/connector?password=pw-in-the-url-0000");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "pw-in-the-env-1111");
        env.put("CONNECTOR_DATABASE_WAIT", "PT2S");
        Outcome outcome = launch(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.refusal()).isEqualTo("Refusing to start: the database at jdbc:postgresql://127.0.0.1:" + closedPort
                + "/connector?password=**** cannot be reached (connection refused or timed out); waited 2 s (CONNECTOR_DATABASE_WAIT)");
        assertThat(outcome.output()).doesNotContain("pw-in-the-url-0000").doesNotContain("pw-in-the-env-1111")
                .doesNotContain("Exception").doesNotContain("Flyway");
    }
}
