package dev.stripeconnector.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the test resources once for every test class (a single application start). */
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(WireMockResource.class)
@QuarkusTestResource(ServiceSettingsResource.class)
public final class TestEnvironment {

    private TestEnvironment() {
    }
}
