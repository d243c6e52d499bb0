package dev.stripeconnector.oauth;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same flows, against the packaged application. */
@QuarkusIntegrationTest
class OAuthFlowIT extends OAuthFlowTest {
}
