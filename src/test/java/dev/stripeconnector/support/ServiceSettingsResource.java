package dev.stripeconnector.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The connector's own settings for test runs. Given as a test resource rather than as a
 * {@code %test} profile so that the packaged-jar ITs, which run the prod profile, get them too.
 */
public class ServiceSettingsResource implements QuarkusTestResourceLifecycleManager {

    /** The connection cap of every application the tests start (but SlowClientsIT's own): see below. */
    public static final String MAX_CONNECTIONS = "20000";

    @Override
    public Map<String, String> start() {
        String managementPort = Integer.toString(PackagedApp.freePortOrFail());
        return Map.ofEntries(
                Map.entry("connector.api-keys", "admin:" + TestKeys.API_KEY + ",reader:" + TestKeys.READER_API_KEY
                        + ",ops:" + TestKeys.OPS_API_KEY),
                Map.entry("connector.admin-keys", "ops"),
                Map.entry("connector.operator-keys", "operator:" + TestKeys.OPERATOR_KEY),
                Map.entry("connector.credential-readers", "reader"),
                Map.entry("connector.encryption-keys", TestKeys.ENCRYPTION_KEY_1),
                Map.entry("connector.service-domain", TestKeys.SERVICE_DOMAIN),
                Map.entry("connector.stripe-webhook-secrets", TestKeys.WEBHOOK_SECRET + "," + TestKeys.OLD_WEBHOOK_SECRET),
                Map.entry("connector.allowed-return-urls", TestKeys.RETURN_URL_PREFIX + ",https://other.partner.example/"),
                Map.entry("quarkus.http.auth.session.encryption-key", TestKeys.SESSION_KEY),
                Map.entry("connector.console.admin-username", TestKeys.CONSOLE_ADMIN),
                Map.entry("connector.console.admin-password", TestKeys.CONSOLE_PASSWORD),
                Map.entry("connector.console.operator-username", TestKeys.CONSOLE_OPERATOR),
                Map.entry("connector.console.operator-password", TestKeys.CONSOLE_OPERATOR_PASSWORD),
                // Event receivers are WireMock servers on this machine; deliveries are retried in milliseconds, not minutes.
                Map.entry("connector.events.allowed-hosts", "127.0.0.1"),
                Map.entry("connector.events.poll-interval", "PT0.2S"),
                Map.entry("connector.events.request-timeout", "PT2S"),
                Map.entry("connector.events.first-retry", "PT0.1S"),
                Map.entry("connector.events.max-retry-interval", "PT0.4S"),
                Map.entry("connector.events.retry-for", "PT2M"),
                // The tests run the retention purge themselves, at moments they choose (RetentionTest).
                Map.entry("connector.retention.every", "off"),
                // RestAssured opens a connection for each request and leaves it open until the server's idle timeout
                // (75 s) closes it: the pod's cap of 500 would refuse the tests' own requests. SlowClientsIT checks the cap.
                Map.entry("quarkus.http.limits.max-connections", MAX_CONNECTIONS),
                // The packaged-jar ITs (prod profile): the management interface on a port free at run time
                // (in-process tests bind the test port, 0 in application.properties); support/Management finds it.
                Map.entry("quarkus.management.port", managementPort),
                Map.entry("quarkus.management.host", "127.0.0.1"));
    }

    @Override
    public void stop() {
    }
}
