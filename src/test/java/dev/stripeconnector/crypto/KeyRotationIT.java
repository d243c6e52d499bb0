package dev.stripeconnector.crypto;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.PackagedApp;
import dev.stripeconnector.support.PostgresResource;
import dev.stripeconnector.support.TestKeys;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rotating CONNECTOR_ENCRYPTION_KEYS on the packaged application: what was stored under the old
 * key stays readable after a new primary key is added, new writes use the new key, and a
 * ciphertext altered in the database is refused, never passed off as a value.
 */
class KeyRotationIT {

    static RequestSpecification api(PackagedApp app) {
        return given().baseUri(app.baseUrl()).header("Authorization", "Bearer " + TestKeys.API_KEY);
    }

    static com.github.tomakehurst.wiremock.WireMockServer stripe;

    @org.junit.jupiter.api.BeforeAll
    static void stripe() {
        stripe = dev.stripeconnector.support.StripeStubs.newServer();
    }

    @org.junit.jupiter.api.AfterAll
    static void stopStripe() {
        stripe.stop();
    }

    static PackagedApp start(String encryptionKeys) throws Exception {
        Map<String, String> env = PackagedApp.productionEnvironment();
        env.put("CONNECTOR_ENCRYPTION_KEYS", encryptionKeys);
        env.put("QUARKUS_REST_CLIENT_STRIPE_CONNECT_URL", stripe.baseUrl());
        env.put("QUARKUS_REST_CLIENT_STRIPE_API_URL", stripe.baseUrl());
        return PackagedApp.start(env, PackagedApp.freePort()).awaitReady(Duration.ofSeconds(90));
    }

    @Test
    void secretsSurviveAKeyRotationAndTamperingIsRefused() throws Exception {
        new PostgresResource().start();

        try (PackagedApp before = start(TestKeys.ENCRYPTION_KEY_1)) {
            Api.resetDatabase();
            api(before).contentType(ContentType.JSON).body(Map.of("clientId", "ca_Rotate1", "clientSecret", "sk_test_BeforeRotation1111"))
                    .put("/api/v1/connector").then().statusCode(200);
            api(before).contentType(ContentType.JSON).body(Map.of("clientSecret", "sk_live_AccountBeforeRotation2222"))
                    .put("/api/v1/accounts/rotate-1/connector").then().statusCode(201);
        }
        assertThat(Api.queryString("select client_secret from connector_settings")).startsWith("v1:k1:");

        try (PackagedApp after = start(TestKeys.ENCRYPTION_KEY_2 + "," + TestKeys.ENCRYPTION_KEY_1)) {
            api(after).get("/api/v1/connector").then().statusCode(200).body("clientSecret.last4", equalTo("1111"));
            api(after).get("/api/v1/accounts/rotate-1/connector").then().statusCode(200)
                    .body("clientSecret.last4", equalTo("2222")).body("clientSecret.source", equalTo("account"));

            api(after).contentType(ContentType.JSON).body(Map.of("clientSecret", "sk_test_AfterRotation3333"))
                    .put("/api/v1/connector").then().statusCode(200).body("clientSecret.last4", equalTo("3333"));
            assertThat(Api.queryString("select client_secret from connector_settings")).startsWith("v1:k2:");
            assertThat(Api.queryString("select client_secret from account_connector where account_id = 'rotate-1'")).startsWith("v1:k1:");

            // Flip one character of the stored ciphertext: the service must refuse it, not return garbage.
            String stored = Api.queryString("select client_secret from account_connector where account_id = 'rotate-1'");
            int at = stored.length() - 6;
            char flipped = stored.charAt(at) == 'A' ? 'B' : 'A';
            Api.update("update account_connector set client_secret = ? where account_id = 'rotate-1'",
                    stored.substring(0, at) + flipped + stored.substring(at + 1));
            String body = api(after).get("/api/v1/accounts/rotate-1/connector").then()
                    .statusCode(500).contentType("application/problem+json").extract().asString();
            assertThat(body).doesNotContain("AccountBeforeRotation").doesNotContain("Exception");
            assertThat(after.log()).contains("failed authentication").doesNotContain("AccountBeforeRotation");
        }
    }
}
