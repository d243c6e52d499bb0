package dev.stripeconnector.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.stripeconnector.support.Management;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PlatformEndpointsTest {

    final URL live = Management.url("/health/live");
    final URL ready = Management.url("/health/ready");
    final URL metrics = Management.url("/metrics");

    @Test
    void livenessAndReadinessAreUpOnTheManagementPortAndReadinessChecksTheDatabase() {
        given().get(live).then().statusCode(200).body("status", equalTo("UP"));
        given().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
    }

    @Test
    void healthAndMetricsAreNotServedOnThePublicPort() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void theApiIsDescribedOnThePublicPortAndMetricsOnTheManagementPort() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/connector"));
        given().get(metrics).then().statusCode(200).body(containsString("http_server_requests"));
    }

    @Test
    void metricsCarryRouteTemplatesNotTheAccountIdsOfCallers() {
        given().header("Authorization", "Bearer not-a-key-at-all-0000").get("/api/v1/accounts/secret-partner-account-77/connector")
                .then().statusCode(401);
        given().get("/api/v1/accounts/another-partner-account-78/connector").then().statusCode(401);
        given().get(metrics).then().statusCode(200)
                .body(not(containsString("secret-partner-account-77")))
                .body(not(containsString("another-partner-account-78")));
    }

    @Test
    void aMethodAResourceDoesNotAnswerIs405WithAllow() {
        given().header("Authorization", "Bearer " + dev.stripeconnector.support.TestKeys.API_KEY).patch("/api/v1/connector").then()
                .statusCode(405).contentType("application/problem+json").header("Allow", "GET, HEAD, PUT");
        given().header("Authorization", "Bearer " + dev.stripeconnector.support.TestKeys.API_KEY).post("/api/v1/accounts/a-1/connector")
                .then().statusCode(405).header("Allow", "DELETE, GET, HEAD, PUT");
    }

    @Test
    void aMalformedRequestUriIsAProblemToo() throws Exception {
        int port = io.restassured.RestAssured.port;
        for (String target : new String[] {"/api/v1/accounts?%zz", "/api/v1/accounts/%/connector", "/webhooks/stripe?a=%GG"}) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + dev.stripeconnector.support.TestKeys.API_KEY + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                org.assertj.core.api.Assertions.assertThat(answer).as(target).startsWith("HTTP/1.1 400")
                        .containsIgnoringCase("content-type: application/problem+json").contains("\"status\":400");
            }
        }
    }
}
