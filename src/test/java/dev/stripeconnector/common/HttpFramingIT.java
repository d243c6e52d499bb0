package dev.stripeconnector.common;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class HttpFramingIT extends HttpFramingTest {
}
