package dev.stripeconnector.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.support.Management;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.hostile.Answer;
import dev.stripeconnector.support.hostile.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PlatformEndpointsTest {

    final URL live = Management.url("/health/live");
    final URL ready = Management.url("/health/ready");
    final URL metrics = Management.url("/metrics");

    @Test
    void livenessAndReadinessAreUpOnTheManagementPortAndReadinessChecksTheDatabase() {
        given().get(live).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Heap after garbage collection' }.status", equalTo("UP"));
        given().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
    }

    @Test
    void healthAndMetricsAreNotServedOnThePublicPort() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    /** The address people type into a browser leads to the console; any other unknown path is still a problem+json 404. */
    @Test
    void theServiceAddressLeadsToTheConsoleAndUnknownPathsStayProblems() {
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", endsWith("/console"));
        given().redirects().follow(false).get("/console").then().statusCode(302).header("Location", endsWith("/console/login"));
        given().get("/console/assets/favicon.svg").then().statusCode(200).contentType("image/svg+xml");
        given().get("/no-such-page").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://stripe-connector.dev/problems/not-found")).body("status", equalTo(404));
        given().header("Authorization", "Bearer " + TestKeys.API_KEY).get("/api/v1/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void theApiIsDescribedOnThePublicPortAndMetricsOnTheManagementPort() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/connector"));
        given().get(metrics).then().statusCode(200).body(containsString("http_server_requests"));
    }

    /**
     * Requests refused before any route answered (no key, a wrong method, a made-up method, a multipart body)
     * arrive at the metrics with their raw path: they are recorded under their route's template all the same.
     * Every {@code uri} of {@code http_server_requests} is a path template of the API document, a console page,
     * or one of the stand-ins for requests that belong to no route.
     */
    @Test
    void metricsCarryRouteTemplatesNotTheAccountIdsOfCallers() throws Exception {
        given().header("Authorization", "Bearer not-a-key-at-all-0000").get("/api/v1/accounts/secret-partner-account-77/connector")
                .then().statusCode(401);
        given().get("/api/v1/accounts/another-partner-account-78/connector").then().statusCode(401);
        given().post("/api/v1/accounts/posted-partner-account-79/connector").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestKeys.API_KEY).post("/api/v1/accounts/wrong-method-account-80/connector")
                .then().statusCode(405);
        assertThat(RawHttp.exchange("127.0.0.1", io.restassured.RestAssured.port, ("PUT /api/v1/accounts/multipart-account-81/connector"
                + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestKeys.API_KEY + "\r\nContent-Type: multipart/form-data;"
                + " boundary=x\r\nContent-Length: 4\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                "--x\n".getBytes(StandardCharsets.US_ASCII), 10_000).status()).isEqualTo(415);
        assertThat(raw("QWERTYUIOPAS /api/v1/accounts/made-up-method-82/connector HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .status()).isEqualTo(405);
        given().redirects().follow(false).get("/console/installations/console-account-83").then().statusCode(302);

        String scrape = given().get(metrics).then().statusCode(200).extract().asString();
        for (int n = 77; n <= 83; n++) {
            assertThat(scrape).doesNotContain("-" + n + "\"").doesNotContain("-" + n + "/");
        }
        JsonNode paths = new ObjectMapper().readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString())
                .get("paths");
        Set<String> allowed = new HashSet<>(Set.of("NOT_FOUND", "REDIRECTION", "root", "UNKNOWN", "/{unknown}"));
        paths.fieldNames().forEachRemaining(allowed::add);
        Matcher uri = Pattern.compile("(?m)^http_server_requests_seconds_count\\{.*uri=\"([^\"]*)\".*} ").matcher(scrape);
        List<String> uris = new ArrayList<>();
        while (uri.find()) {
            uris.add(uri.group(1));
        }
        assertThat(uris).as("the uri tags of http_server_requests").isNotEmpty()
                .allSatisfy(u -> assertThat(allowed.contains(u) || u.startsWith("/console")).as(u).isTrue())
                .contains("/api/v1/accounts/{accountId}/connector");
    }

    @Test
    void aMadeUpMethodIs405WithoutAKeyWithAllowNamingWhatThePathAnswers() {
        Answer onRoute = raw("QWERTYUIOPAS /api/v1/accounts/a-1/connector HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(onRoute.status()).isEqualTo(405);
        assertThat(onRoute.header("Allow")).isEqualTo("DELETE, GET, HEAD, PUT");
        assertThat(onRoute.contentType()).isEqualTo("application/problem+json");
        assertThat(onRoute.text()).contains("\"type\":\"https://stripe-connector.dev/problems/method-not-allowed\"", "\"status\":405");

        // A lower-case "get" is another token; /oauth/token is Stripe's path (the REST client's), not a route of the service.
        Answer elsewhere = raw("get /oauth/token HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(elsewhere.status()).isEqualTo(405);
        assertThat(elsewhere.header("Allow")).as("nothing answers at this path").isEmpty();
        assertThat(elsewhere.contentType()).isEqualTo("application/problem+json");
        assertThat(elsewhere.text()).contains("\"type\":\"https://stripe-connector.dev/problems/method-not-allowed\"", "\"status\":405");
    }

    private static Answer raw(String head) {
        return RawHttp.exchange("127.0.0.1", io.restassured.RestAssured.port, head.getBytes(StandardCharsets.US_ASCII), null, 10_000);
    }

    @Test
    void aMethodAResourceDoesNotAnswerIs405WithAllow() {
        given().header("Authorization", "Bearer " + TestKeys.API_KEY).patch("/api/v1/connector").then()
                .statusCode(405).contentType("application/problem+json").header("Allow", "GET, HEAD, PUT");
        given().header("Authorization", "Bearer " + TestKeys.API_KEY).post("/api/v1/accounts/a-1/connector")
                .then().statusCode(405).header("Allow", "DELETE, GET, HEAD, PUT");
    }

    @Test
    void aMalformedRequestUriIsAProblemToo() throws Exception {
        int port = io.restassured.RestAssured.port;
        for (String target : new String[] {"/api/v1/accounts?%zz", "/api/v1/accounts/%/connector", "/webhooks/stripe?a=%GG"}) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + TestKeys.API_KEY + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                org.assertj.core.api.Assertions.assertThat(answer).as(target).startsWith("HTTP/1.1 400")
                        .containsIgnoringCase("content-type: application/problem+json").contains("\"status\":400");
            }
        }
    }
}
