package dev.stripeconnector.connector;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class ConnectorResourceIT extends ConnectorResourceTest {
}
