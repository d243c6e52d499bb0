package dev.stripeconnector.common;

import static dev.stripeconnector.support.Api.json;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import dev.stripeconnector.support.hostile.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A caller that goes away before its request body has arrived, or while its answer streams, is not a failure of the
 * service: nothing is stored, nothing is logged as an error, and the service keeps answering.
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

    @InjectWireMock
    WireMockServer stripe;

    /**
     * A caller that leaves while Stripe's answer is still streaming through the proxy: the service stops reading Stripe,
     * and the stream's failure, which Quarkus REST logs as an ERROR, is declared noise (common/ExpectedNoise). No error
     * is left in the log; the record is there, so the case was met.
     */
    @Test
    void aCallerThatLeavesMidAnswerIsNoError() throws Exception {
        Api.resetDatabase();
        stripe.resetAll();
        Flows.consoleSetup();
        Flows.connect(stripe, "abort-3");
        byte[] answer = new byte[400_000];
        Arrays.fill(answer, (byte) 'a');
        stripe.stubFor(get(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(answer).withChunkedDribbleDelay(40, 4000)));
        try (LogCapture logs = LogCapture.start(false)) {
            try (Socket caller = new Socket("localhost", RestAssured.port)) {
                caller.getOutputStream().write(("GET /api/v1/accounts/abort-3/stripe/v1/customers HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + TestKeys.API_KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                caller.getOutputStream().flush();
                // The head and the first chunks (10 000 bytes each) have come: the answer is under way.
                assertThat(caller.getInputStream().readNBytes(30_000)).hasSize(30_000);
            }
            // Bounded wait for the stream to fail (the service notices the closed connection at its next chunk).
            for (int i = 0; i < 200 && logs.entries().stream().noneMatch(ClientAbortTest::streamedAnswerFailed); i++) {
                Thread.sleep(50);
            }
            assertThat(logs.entries()).filteredOn(ClientAbortTest::streamedAnswerFailed).isNotEmpty()
                    .allMatch(LogCapture.Entry::expectedNoise);
            assertThat(logs.entries()).filteredOn(entry -> entry.isError() && !entry.expectedNoise())
                    .extracting(LogCapture.Entry::text).isEmpty();
        }
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/customers")));
    }

    private static boolean streamedAnswerFailed(LogCapture.Entry entry) {
        return entry.logger().equals(ExpectedNoise.STREAMED_ANSWER_LOGGER);
    }
}
