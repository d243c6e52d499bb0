package dev.stripeconnector.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PlatformEndpointsTest {

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

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
}
