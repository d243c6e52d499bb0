package dev.stripeconnector.webhook;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class WebhookIT extends WebhookTest {
}
