package dev.stripeconnector.connection;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The SDKs against the packaged service. */
@QuarkusIntegrationTest
class StripeSdkIT extends StripeSdkTest {
}
