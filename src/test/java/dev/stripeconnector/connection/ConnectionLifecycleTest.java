package dev.stripeconnector.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.StripeStubs.fixture;
import static dev.stripeconnector.support.StripeStubs.tokenRequests;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import dev.stripeconnector.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A connection's life as another service sees it: connect, verify, use, refresh, lose, remove. */
@QuarkusTest
class ConnectionLifecycleTest {

    @InjectWireMock
    WireMockServer stripe;

    @Test
    void connectVerifyProxyRefreshRevokeDisconnect() {
        Api.resetDatabase();
        Api.update("delete from webhook_event");
        stripe.resetAll();
        Flows.consoleSetup();
        Flows.connect(stripe, "life-1");

        stripe.stubFor(get(urlPathEqualTo("/v1/account")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture("account.json"))));
        api().post("/api/v1/accounts/life-1/connector/verify").then().statusCode(200)
                .body("connection.account.chargesEnabled", equalTo(true));

        stripe.stubFor(get(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture("customers.json"))));
        api().get("/api/v1/accounts/life-1/stripe/v1/customers?limit=1").then().statusCode(200)
                .body("data[0].email", equalTo("jenny.rosen@example.com"));
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/customers")));

        StripeStubs.tokenAnswers(stripe, 200, "token-refreshed.json");
        api().post("/api/v1/accounts/life-1/connector/refresh").then().statusCode(200).body("status", equalTo("connected"));
        stripe.verify(1, tokenRequests());

        Webhooks.signed(Webhooks.deauthorized()).post("/webhooks/stripe").then().statusCode(200);
        api().get("/api/v1/accounts/life-1/connector").then().body("status", equalTo("revoked"));
        api().get("/api/v1/accounts/life-1/stripe/v1/customers").then().statusCode(409);

        // Revoked at Stripe already: removing it needs no call to Stripe.
        api().delete("/api/v1/accounts/life-1/connector").then().statusCode(200)
                .body("removed", equalTo(true)).body("stripeNotified", equalTo(false));
        stripe.verify(0, postRequestedFor(urlPathEqualTo("/oauth/deauthorize")));
        api().get("/api/v1/accounts/life-1/connector").then().statusCode(404);
    }
}
