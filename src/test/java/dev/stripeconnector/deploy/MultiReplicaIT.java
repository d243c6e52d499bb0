package dev.stripeconnector.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.StripeStubs.fixture;
import static dev.stripeconnector.support.StripeStubs.tokenRequests;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Concurrently;
import dev.stripeconnector.support.PackagedApp;
import dev.stripeconnector.support.PostgresResource;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.Webhooks;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged application on one PostgreSQL, as a Deployment runs them: nothing
 * that matters lives in one replica's memory.
 */
class MultiReplicaIT {

    static WireMockServer stripe;
    static PackagedApp a;
    static PackagedApp b;

    @BeforeAll
    static void twoReplicas() throws Exception {
        new PostgresResource().start();
        stripe = StripeStubs.newServer();
        Map<String, String> env = PackagedApp.productionEnvironment();
        env.put("QUARKUS_REST_CLIENT_STRIPE_CONNECT_URL", stripe.baseUrl());
        env.put("QUARKUS_REST_CLIENT_STRIPE_API_URL", stripe.baseUrl());
        // Both start at once, as in a rollout: the migrations must not trip over each other.
        a = PackagedApp.start(env, PackagedApp.freePort());
        b = PackagedApp.start(env, PackagedApp.freePort());
        a.awaitReady(Duration.ofSeconds(120));
        b.awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (stripe != null) {
            stripe.stop();
        }
    }

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        Api.update("delete from webhook_event");
        stripe.resetAll();
        api(a).contentType(ContentType.JSON)
                .body(Map.of("clientId", "ca_PlatformClient42", "clientSecret", "sk_test_PlatformSecret9999"))
                .put("/api/v1/connector").then().statusCode(200);
    }

    static RequestSpecification api(PackagedApp replica) {
        return given().baseUri(replica.baseUrl()).header("Authorization", "Bearer " + TestKeys.API_KEY);
    }

    /** Install on one replica, authorize on the other, complete the callback on the first. */
    static String connectAcrossReplicas(String accountId) {
        api(b).contentType(ContentType.JSON).body(Map.of("name", "Replica shop")).put("/api/v1/accounts/" + accountId + "/connector")
                .then().statusCode(201);
        Map<String, Object> links = api(a).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/accounts/" + accountId + "/connector/authorize").then().statusCode(200).extract().jsonPath().getMap("");
        String toStripe = given().baseUri(b.baseUrl()).redirects().follow(false)
                .get(URI.create((String) links.get("setupUrl")).getPath()).then().statusCode(302).extract().header("Location");
        assertThat(toStripe).isEqualTo(links.get("authorizeUrl"));
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        given().baseUri(a.baseUrl()).redirects().follow(false)
                .queryParam("code", "ac_Replicas1").queryParam("state", StripeStubs.param(toStripe, "state"))
                .get("/connector/callback").then().statusCode(200);
        return URI.create((String) links.get("setupUrl")).getPath();
    }

    @Test
    void anAuthorizationStartedOnOneReplicaCompletesOnTheOther() {
        String setupPath = connectAcrossReplicas("replica-1");
        stripe.verify(1, tokenRequests());
        for (PackagedApp replica : List.of(a, b)) {
            api(replica).get("/api/v1/accounts/replica-1/connector").then()
                    .statusCode(200)
                    .body("status", equalTo("connected"))
                    .body("connection.stripeUserId", equalTo("acct_1ConnectedAcct0001"));
        }
        // The setup link was used on b: a knows it too.
        given().baseUri(a.baseUrl()).redirects().follow(false).get(setupPath).then().statusCode(410);
    }

    @Test
    void concurrentRefreshesOnBothReplicasMakeOneTokenRequest() throws Exception {
        connectAcrossReplicas("replica-2");
        stripe.resetAll();
        stripe.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withFixedDelay(400)
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(fixture("token-refreshed.json"))));
        List<Response> responses = Concurrently.run(20,
                caller -> api(caller % 2 == 0 ? a : b).post("/api/v1/accounts/replica-2/connector/refresh"));
        assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).as(response.asString()).isEqualTo(200));
        List<String> refreshedAt = responses.stream().map(r -> r.jsonPath().getString("connection.tokensRefreshedAt")).toList();
        assertThat(refreshedAt).doesNotContainNull().containsOnly(refreshedAt.get(0));
        stripe.verify(1, tokenRequests());
    }

    @Test
    void aWebhookReceivedByEitherReplicaChangesWhatBothReport() {
        connectAcrossReplicas("replica-3");
        Webhooks.signed(Webhooks.deauthorized()).baseUri(b.baseUrl()).post("/webhooks/stripe").then().statusCode(200);
        for (PackagedApp replica : List.of(a, b)) {
            api(replica).get("/api/v1/accounts/replica-3/connector").then().body("status", equalTo("revoked"));
        }
        // The same event delivered to the other replica is recognised as a duplicate.
        Webhooks.signed(Webhooks.deauthorized()).baseUri(a.baseUrl()).post("/webhooks/stripe").then()
                .statusCode(200).body("result", equalTo("duplicate"));
    }
}
