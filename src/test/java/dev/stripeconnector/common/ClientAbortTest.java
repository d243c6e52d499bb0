package dev.stripeconnector.common;

import static dev.stripeconnector.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.hostile.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A caller that goes away before its request body has arrived is not a failure of the service:
 * nothing is stored, nothing is logged as an error, and the service keeps answering.
 */
@QuarkusTest
class ClientAbortTest {

    @Test
    void aCallerThatLeavesMidBodyIsNoError() throws Exception {
        Api.resetDatabase();
        json(Map.of("name", "Shop")).put("/api/v1/accounts/abort-1/connector").then().statusCode(201);
        try (LogCapture logs = LogCapture.start(false)) {
            for (String path : new String[] {"/api/v1/accounts/abort-1/connector/authorize", "/api/v1/accounts/abort-2/connector"}) {
                String method = path.endsWith("authorize") ? "POST" : "PUT";
                try (Socket caller = new Socket("localhost", RestAssured.port)) {
                    caller.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                            + TestKeys.API_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"na")
                            .getBytes(StandardCharsets.US_ASCII));
                    caller.getOutputStream().flush();
                    Thread.sleep(200);
                }
            }
            Thread.sleep(1000);
            assertThat(logs.entries()).filteredOn(LogCapture.Entry::isError).extracting(LogCapture.Entry::text).isEmpty();
        }
        Api.api().get("/api/v1/accounts/abort-2/connector").then().statusCode(404);
        assertThat(Api.queryString("select count(*) from authorization_request")).isEqualTo("0");
    }
}
