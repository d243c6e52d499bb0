package dev.stripeconnector.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The connector's own settings for test runs. Given as a test resource rather than as a
 * {@code %test} profile so that the packaged-jar ITs, which run the prod profile, get them too.
 */
public class ServiceSettingsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "connector.api-keys", "admin:" + TestKeys.API_KEY + ",reader:" + TestKeys.READER_API_KEY,
                "connector.credential-readers", "reader",
                "connector.encryption-keys", TestKeys.ENCRYPTION_KEY_1,
                "connector.service-domain", TestKeys.SERVICE_DOMAIN,
                "connector.stripe-webhook-secrets", TestKeys.WEBHOOK_SECRET + "," + TestKeys.OLD_WEBHOOK_SECRET,
                "connector.allowed-return-urls", TestKeys.RETURN_URL_PREFIX + ",https://other.partner.example/",
                // The packaged-jar ITs run the prod profile: give its management interface the test port too.
                "quarkus.management.port", "9001",
                "quarkus.management.host", "127.0.0.1");
    }

    @Override
    public void stop() {
    }
}
