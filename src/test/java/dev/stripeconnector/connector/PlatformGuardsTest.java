package dev.stripeconnector.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changes of the console setup or of an account's overrides cannot strand connected installations
 * (no key or client ID left, another platform, another mode), and a new key is checked against
 * Stripe before it is saved.
 */
@QuarkusTest
class PlatformGuardsTest {

    @InjectWireMock
    WireMockServer stripe;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        stripe.resetAll();
        Flows.consoleSetup();
    }

    static Map<String, Object> cleared(String field) {
        Map<String, Object> body = new HashMap<>();
        body.put(field, null);
        return body;
    }

    static void consoleUnchanged() {
        api().get("/api/v1/connector").then().body("clientId", equalTo(Flows.CLIENT_ID)).body("clientSecret.last4", equalTo("9999"));
    }

    @Test
    void theConsoleCannotBeClearedOrMovedUnderConnectedInstallations() {
        Flows.connect(stripe, "guard-1");
        Flows.connect(stripe, "guard-2");
        json(cleared("clientSecret")).put("/api/v1/connector").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", endsWith("/settings-in-use"))
                .body("detail", containsString("2 connected installations"));
        json(cleared("clientId")).put("/api/v1/connector").then().statusCode(409).body("detail", containsString("2 connected"));
        json(Map.of("clientId", "ca_SomeOtherPlatform7")).put("/api/v1/connector").then().statusCode(409)
                .body("detail", containsString("another platform"));
        json(Map.of("clientSecret", "sk_live_SamePlatformLive1234")).put("/api/v1/connector").then().statusCode(409)
                .body("detail", containsString("live secret key"));
        StripeStubs.keyBelongsTo(stripe, "sk_test_OtherPlatformKey5678", "acct_1AnotherPlatform9");
        json(Map.of("clientSecret", "sk_test_OtherPlatformKey5678")).put("/api/v1/connector").then().statusCode(409)
                .body("detail", containsString("another platform"));
        consoleUnchanged();

        // A rolled key of the same platform and mode is fine.
        json(Map.of("clientSecret", "sk_test_RolledSamePlatform4321")).put("/api/v1/connector").then().statusCode(200)
                .body("clientSecret.last4", equalTo("4321"));
    }

    @Test
    void anythingGoesWhenNothingIsConnected() {
        json(Map.of("name", "pending")).put("/api/v1/accounts/guard-pending/connector").then().statusCode(201);
        json(Map.of("clientId", "ca_AnotherPlatform2", "clientSecret", "sk_live_AnotherLiveKey2222")).put("/api/v1/connector")
                .then().statusCode(200).body("clientSecret.mode", equalTo("live"));
        json(cleared("clientSecret")).put("/api/v1/connector").then().statusCode(200).body("clientSecret.set", equalTo(false));
    }

    @Test
    void aNewKeyIsCheckedAgainstStripeBeforeItIsSaved() {
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", absent()).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid API Key provided: sk_test_****0000\"}}")));
        json(Map.of("clientSecret", "sk_test_TypoInTheKey0000")).put("/api/v1/connector").then().statusCode(400)
                .body("errors[0].field", equalTo("clientSecret"))
                .body("errors[0].message", containsString("rejected by Stripe"));
        consoleUnchanged();

        stripe.stubFor(get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", absent()).willReturn(aResponse().withStatus(503)));
        json(Map.of("clientSecret", "sk_test_CannotCheckNow0000")).put("/api/v1/connector").then().statusCode(502)
                .contentType("application/problem+json");
        consoleUnchanged();
    }

    @Test
    void anAccountsOwnValuesCannotMoveItsConnectionElsewhere() {
        StripeStubs.keyBelongsTo(stripe, "sk_test_OwnPlatformKey1111", "acct_1OwnPlatform0001");
        json(Map.of("clientId", "ca_OwnPlatform1", "clientSecret", "sk_test_OwnPlatformKey1111"))
                .put("/api/v1/accounts/guard-own/connector").then().statusCode(201);
        Flows.reconnect(stripe, "guard-own");
        api().get("/api/v1/accounts/guard-own/connector").then().body("connection.clientId", equalTo("ca_OwnPlatform1"));

        json(Map.of("clientId", "ca_OtherPlatform2")).put("/api/v1/accounts/guard-own/connector").then().statusCode(409)
                .body("type", endsWith("/settings-in-use"));
        json(cleared("clientId")).put("/api/v1/accounts/guard-own/connector").then().statusCode(409);
        // Falling back to the console's key would move it to the console's platform.
        json(cleared("clientSecret")).put("/api/v1/accounts/guard-own/connector").then().statusCode(409)
                .body("detail", containsString("another platform"));
        StripeStubs.keyBelongsTo(stripe, "sk_test_OwnPlatformRolled2222", "acct_1OwnPlatform0001");
        json(Map.of("clientSecret", "sk_test_OwnPlatformRolled2222")).put("/api/v1/accounts/guard-own/connector").then().statusCode(200)
                .body("clientSecret.last4", equalTo("2222"));
    }

    /** A restricted key that may not read its own account: Stripe will not say which platform it belongs to. */
    static final String UNTIED_KEY = "rk_test_RestrictedKey5555";

    /** Stripe answers {@code key}'s own-account read ({@code GET /v1/account} without Stripe-Account) with a permission error. */
    void keyMayNotReadItsOwnAccount(String key) {
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", absent())
                .withHeader("Authorization", WireMock.equalTo("Bearer " + key))
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody(StripeStubs.fixture("account-permission-missing.json"))));
    }

    static String events(String type) {
        return Api.queryString("select count(*) from connector_event where type = ?", type);
    }

    @Test
    void aKeyThatCannotBeTiedToAPlatformIsRefusedWhileConnectionsDependOnAKnownOne() {
        Flows.connect(stripe, "untied-console");
        StripeStubs.keyBelongsTo(stripe, "sk_test_OwnPlatformKey1111", "acct_1OwnPlatform0001");
        json(Map.of("clientId", "ca_OwnPlatform1", "clientSecret", "sk_test_OwnPlatformKey1111"))
                .put("/api/v1/accounts/untied-own/connector").then().statusCode(201);
        Flows.reconnect(stripe, "untied-own");
        keyMayNotReadItsOwnAccount(UNTIED_KEY);
        String settingsEvents = events("connector.settings_changed");

        json(Map.of("clientSecret", UNTIED_KEY)).put("/api/v1/connector").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", endsWith("/settings-in-use"))
                .body("detail", containsString("cannot tie to a platform"))
                .body("detail", containsString("1 connected installation"));
        consoleUnchanged();
        json(Map.of("clientSecret", UNTIED_KEY)).put("/api/v1/accounts/untied-own/connector").then().statusCode(409)
                .body("type", endsWith("/settings-in-use"))
                .body("detail", containsString("cannot tie to a platform"))
                .body("detail", containsString("acct_1OwnPlatform0001"));
        api().get("/api/v1/accounts/untied-own/connector").then().body("clientSecret.last4", equalTo("1111"));
        // Each refusal asked Stripe once, and changed nothing anyone is told about.
        stripe.verify(2, getRequestedFor(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", absent())
                .withHeader("Authorization", WireMock.equalTo("Bearer " + UNTIED_KEY)));
        org.assertj.core.api.Assertions.assertThat(events("connector.settings_changed")).isEqualTo(settingsEvents);

        // Nothing connected depends on the key: it works, its platform unknown, and it is saved.
        json(Map.of("name", "untied pending", "clientSecret", UNTIED_KEY)).put("/api/v1/accounts/untied-pending/connector").then()
                .statusCode(201).body("clientSecret.last4", equalTo("5555"));
    }

    @Test
    void aRevocationIsNeverConfirmedByAKeyThatCannotBeTiedToTheConnectionsPlatform() {
        Flows.connect(stripe, "untied-verify");
        StripeStubs.accountAnswers(stripe, 403, "account-revoked.json");
        // The console key's permissions were narrowed in the dashboard since: it may no longer read its own account.
        keyMayNotReadItsOwnAccount(Flows.SECRET);

        api().post("/api/v1/accounts/untied-verify/connector/verify").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", endsWith("/permission-missing"))
                .body("detail", containsString("cannot be told from a key of another platform"));
        api().get("/api/v1/accounts/untied-verify/connector").then().statusCode(200)
                .body("status", equalTo("connected"))
                .body("lastError.code", equalTo("permission_missing"));
        org.assertj.core.api.Assertions.assertThat(Api.queryString("select count(*) from account_connector where account_id ="
                + " 'untied-verify' and access_token is not null and refresh_token is not null")).as("tokens kept").isEqualTo("1");
        org.assertj.core.api.Assertions.assertThat(events("installation.revoked")).isEqualTo("0");
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", WireMock.equalTo(Flows.STRIPE_USER_ID)));
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", absent()));
    }

    @Test
    void theLocationOfANewInstallationComesFromTheConfiguredBaseUrlNotFromHost() {
        json(Map.of("name", "located")).header("Host", "evil.example").header("X-Forwarded-Host", "evil.example")
                .put("/api/v1/accounts/located-1/connector").then().statusCode(201)
                .header("Location", equalTo("https://" + TestKeys.SERVICE_DOMAIN + "/api/v1/accounts/located-1/connector"));
    }
}
