package dev.stripeconnector.connection;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class StripeProxyIT extends StripeProxyTest {
}
