package dev.stripeconnector.oauth;

import static dev.stripeconnector.support.StripeStubs.param;
import static dev.stripeconnector.support.StripeStubs.tokenRequests;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.PackagedApp;
import dev.stripeconnector.support.PostgresResource;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the packaged application: a service told to stop while a callback whose browser already left
 * is still exchanging the code finishes that callback before its HTTP client and database close, so
 * the connection Stripe granted is stored.
 */
class CallbackShutdownIT {

    static WireMockServer stripe;

    @BeforeAll
    static void resources() {
        new PostgresResource().start();
        stripe = StripeStubs.newServer();
    }

    @AfterAll
    static void cleanUp() {
        stripe.stop();
        Api.resetDatabase();
    }

    static RequestSpecification api(PackagedApp app) {
        return given().baseUri(app.baseUrl()).header("Authorization", "Bearer " + TestKeys.API_KEY).contentType(ContentType.JSON);
    }

    @Test
    void aStoppingServiceStoresTheConnectionOfACallbackWhoseBrowserLeft() throws Exception {
        Map<String, String> env = PackagedApp.productionEnvironment();
        env.put("QUARKUS_REST_CLIENT_STRIPE_CONNECT_URL", stripe.baseUrl());
        env.put("QUARKUS_REST_CLIENT_STRIPE_API_URL", stripe.baseUrl());
        env.put("CONNECTOR_RETENTION_EVERY", "off");
        PackagedApp app = PackagedApp.start(env, PackagedApp.freePort()).awaitReady(Duration.ofSeconds(90));
        try {
            // The database is shared with the other ITs; this start has migrated it.
            Api.resetDatabase();
            api(app).body(Map.of("clientId", Flows.CLIENT_ID, "clientSecret", Flows.SECRET)).put("/api/v1/connector").then().statusCode(200);
            api(app).body(Map.of("name", "Stopping shop")).put("/api/v1/accounts/stop-1/connector").then().statusCode(201);
            String authorizeUrl = api(app).body("{}").post("/api/v1/accounts/stop-1/connector/authorize").then().statusCode(200)
                    .extract().path("authorizeUrl");
            StripeStubs.tokenAnswersAfter(stripe, 3000, "token-success.json");

            URI base = URI.create(app.baseUrl());
            try (Socket browser = new Socket(base.getHost(), base.getPort())) {
                browser.getOutputStream().write(("GET /connector/callback?code=ac_AuthCode123&scope=read_write&state="
                        + param(authorizeUrl, "state") + " HTTP/1.1\r\nHost: " + TestKeys.SERVICE_DOMAIN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                browser.getOutputStream().flush();
                Thread.sleep(500);
            }
        } finally {
            // SIGTERM while Stripe is still answering the token request.
            app.close();
        }
        assertThat(Api.queryString("select status from account_connector where account_id = 'stop-1'")).isEqualTo("CONNECTED");
        stripe.verify(1, tokenRequests());
        assertThat(app.log()).contains("Waiting up to 8 s for 1 OAuth callback(s)").doesNotContain("\"level\":\"ERROR\"");
    }
}
