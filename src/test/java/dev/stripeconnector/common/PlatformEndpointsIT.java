package dev.stripeconnector.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

@QuarkusIntegrationTest
class PlatformEndpointsIT extends PlatformEndpointsTest {

    /**
     * The packaged service runs without an OTLP endpoint here, so tracing must be off: no span is made (a counter
     * increased inside one carries its exemplar, {@code trace_id="…"}, in the OpenMetrics answer) and nothing is sent to
     * the extension's default address. The extension's own default endpoint must not count as "an endpoint is set".
     */
    @Test
    void withoutAnEndpointThePackagedServiceMakesNoSpans() {
        for (int i = 0; i < 3; i++) {
            given().get(ready).then().statusCode(200);
            given().get("/api/v1/connector").then().statusCode(401);
        }
        String scrape = given().get(metrics).then().statusCode(200)
                .extract().asString();
        assertThat(scrape).contains("http_server_requests").doesNotContain("trace_id=");
    }
}
