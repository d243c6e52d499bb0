package dev.stripeconnector.crypto;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.PackagedApp;
import dev.stripeconnector.support.PostgresResource;
import dev.stripeconnector.support.ServiceHost;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rotating CONNECTOR_ENCRYPTION_KEYS to the end on the packaged application, twice: a new primary
 * key is added, every stored secret (console, override, tokens, an event subscription's current and
 * previous signing secrets) is re-encrypted under it while the
 * service runs, the old key is then removed; removing a key that still protects a value is refused
 * at start-up in one line. A ciphertext altered in the database is refused, never passed off as a value.
 */
class KeyRotationIT {

    static WireMockServer stripe;
    static String subscription;
    static String signingSecret;

    @BeforeAll
    static void stripe() {
        ServiceHost.install();
        stripe = StripeStubs.newServer();
        new PostgresResource().start();
    }

    @AfterAll
    static void cleanUp() {
        stripe.stop();
        // The other ITs share this database and run with key k1 only: leave nothing under k2 or k3.
        Api.resetDatabase();
    }

    static RequestSpecification api(PackagedApp app) {
        return given().baseUri(app.baseUrl()).header("Authorization", "Bearer " + TestKeys.API_KEY);
    }

    static RequestSpecification ops(PackagedApp app) {
        return given().baseUri(app.baseUrl()).header("Authorization", "Bearer " + TestKeys.OPS_API_KEY);
    }

    static Map<String, String> environment(String encryptionKeys) {
        Map<String, String> env = PackagedApp.productionEnvironment();
        env.put("CONNECTOR_ENCRYPTION_KEYS", encryptionKeys);
        env.put("QUARKUS_REST_CLIENT_STRIPE_CONNECT_URL", stripe.baseUrl());
        env.put("QUARKUS_REST_CLIENT_STRIPE_API_URL", stripe.baseUrl());
        return env;
    }

    static PackagedApp start(String encryptionKeys) throws Exception {
        return PackagedApp.start(environment(encryptionKeys), PackagedApp.freePort()).awaitReady(Duration.ofSeconds(90));
    }

    /** Every stored secret's key id, as "k1 k1 k1 …", in a fixed order. */
    static String storedKeyIds() {
        return Api.queryString("""
                select string_agg(split_part(v, ':', 2), ' ' order by v) from (
                  select client_secret v from connector_settings union all
                  select client_secret from account_connector union all
                  select access_token from account_connector union all
                  select refresh_token from account_connector union all
                  select signing_secret from event_subscription union all
                  select previous_signing_secret from event_subscription) s where v is not null""");
    }

    /** Starts the re-encryption and waits until nothing is left under an old key. */
    static void reEncrypt(PackagedApp app) throws InterruptedException {
        ops(app).post("/api/v1/maintenance/re-encrypt").then().statusCode(202);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonPath status;
        do {
            Thread.sleep(100);
            status = ops(app).get("/api/v1/maintenance/encryption").then().statusCode(200).extract().jsonPath();
        } while ((status.getLong("remaining") > 0 || status.getBoolean("running")) && System.nanoTime() < deadline);
        assertThat(status.getLong("remaining")).isZero();
        assertThat(status.getLong("lastRun.rewritten")).isPositive();
    }

    @Test
    void keysAreRotatedTwiceAndRetiredWhileEverySecretStaysReadable() throws Exception {
        try (PackagedApp first = start(TestKeys.ENCRYPTION_KEY_1)) {
            Api.resetDatabase();
            api(first).contentType(ContentType.JSON).body(Map.of("clientId", Flows.CLIENT_ID, "clientSecret", Flows.SECRET))
                    .put("/api/v1/connector").then().statusCode(200);
            api(first).contentType(ContentType.JSON).body(Map.of("clientSecret", "sk_test_AccountBeforeRotation2222"))
                    .put("/api/v1/accounts/rotate-1/connector").then().statusCode(201);
            api(first).contentType(ContentType.JSON).body(Map.of("name", "Rotating shop"))
                    .put("/api/v1/accounts/rotate-2/connector").then().statusCode(201);
            StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
            String authorizeUrl = api(first).contentType(ContentType.JSON).body("{}")
                    .post("/api/v1/accounts/rotate-2/connector/authorize").then().statusCode(200).extract().path("authorizeUrl");
            given().baseUri(first.baseUrl()).redirects().follow(false).queryParam("code", "ac_Rotate2")
                    .queryParam("state", StripeStubs.param(authorizeUrl, "state")).get("/connector/callback").then().statusCode(200);
            // An event subscription whose secret was rotated: its current and previous signing secrets are stored (the
            // receiver's name need not resolve, it is only saved here).
            subscription = ops(first).contentType(ContentType.JSON)
                    .body(Map.of("url", "https://events.example.com/hooks", "eventTypes", List.of("installation.removed")))
                    .post("/api/v1/event-subscriptions").then().statusCode(201).extract().path("id");
            signingSecret = ops(first).contentType(ContentType.JSON).body(Map.of("overlap", "P1D"))
                    .post("/api/v1/event-subscriptions/" + subscription + "/rotate-secret").then().statusCode(200)
                    .extract().path("signingSecret");
        }
        assertThat(storedKeyIds()).isEqualTo("k1 k1 k1 k1 k1 k1");
        long versionBefore = Long.parseLong(Api.queryString("select version from account_connector where account_id = 'rotate-2'"));

        // First rotation: k2 becomes primary, k1 stays to decrypt; re-encrypt; then k1 goes.
        try (PackagedApp both = start(TestKeys.ENCRYPTION_KEY_2 + "," + TestKeys.ENCRYPTION_KEY_1)) {
            assertThat(both.log()).as("a start against a current schema leaves Flyway alone").doesNotContain("org.fly");
            JsonPath before = ops(both).get("/api/v1/maintenance/encryption").then().statusCode(200).extract().jsonPath();
            assertThat(before.getString("primaryKeyId")).isEqualTo("k2");
            assertThat(before.getLong("remaining")).isEqualTo(6);
            assertThat(before.getList("keys.keyId")).containsExactly("k2", "k1");
            // Only the admin role may start it.
            api(both).post("/api/v1/maintenance/re-encrypt").then().statusCode(403);
            reEncrypt(both);
            api(both).get("/api/v1/connector").then().statusCode(200).body("clientSecret.last4", equalTo("9999"));
            given().baseUri(both.baseUrl()).header("Authorization", "Bearer " + TestKeys.READER_API_KEY)
                    .get("/api/v1/accounts/rotate-2/connector/credentials").then().statusCode(200)
                    .body("accessToken", equalTo(Flows.ACCESS_TOKEN));
            assertThat(both.log()).doesNotContain(Flows.ACCESS_TOKEN).doesNotContain(Flows.SECRET);
        }
        assertThat(storedKeyIds()).isEqualTo("k2 k2 k2 k2 k2 k2");
        assertThat(Long.parseLong(Api.queryString("select version from account_connector where account_id = 'rotate-2'")))
                .as("the rewritten row's version is bumped").isGreaterThan(versionBefore);

        try (PackagedApp second = start(TestKeys.ENCRYPTION_KEY_2)) {
            api(second).get("/api/v1/accounts/rotate-1/connector").then().statusCode(200).body("clientSecret.last4", equalTo("2222"));
            ops(second).get("/api/v1/event-subscriptions/" + subscription).then().statusCode(200)
                    .body("secretLast4", equalTo(signingSecret.substring(signingSecret.length() - 4)));
        }

        // Second rotation, done wrong first: k2 is removed while it still protects everything.
        PackagedApp refused = PackagedApp.start(environment(TestKeys.ENCRYPTION_KEY_3), PackagedApp.freePort());
        assertThat(refused.awaitExit(Duration.ofSeconds(90))).isNotZero();
        assertThat(refused.log().lines().filter(l -> l.startsWith("Refusing to start")).toList()).singleElement().asString()
                .contains("no longer lists the key id 'k2' (6 stored values)");

        try (PackagedApp third = start(TestKeys.ENCRYPTION_KEY_3 + "," + TestKeys.ENCRYPTION_KEY_2)) {
            reEncrypt(third);
        }
        assertThat(storedKeyIds()).isEqualTo("k3 k3 k3 k3 k3 k3");
        try (PackagedApp last = start(TestKeys.ENCRYPTION_KEY_3)) {
            JsonPath status = ops(last).get("/api/v1/maintenance/encryption").then().statusCode(200).extract().jsonPath();
            assertThat(status.getList("keys.keyId")).containsExactly("k3");
            assertThat(status.getLong("remaining")).isZero();

            // Flip one character of a stored ciphertext: the service must refuse it, not return garbage.
            String stored = Api.queryString("select client_secret from account_connector where account_id = 'rotate-1'");
            int at = stored.length() - 6;
            char flipped = stored.charAt(at) == 'A' ? 'B' : 'A';
            Api.update("update account_connector set client_secret = ? where account_id = 'rotate-1'",
                    stored.substring(0, at) + flipped + stored.substring(at + 1));
            String body = api(last).get("/api/v1/accounts/rotate-1/connector").then()
                    .statusCode(500).contentType("application/problem+json").extract().asString();
            assertThat(body).doesNotContain("AccountBeforeRotation").doesNotContain("Exception");
            assertThat(last.log()).contains("failed authentication").doesNotContain("AccountBeforeRotation");
        }
    }
}
