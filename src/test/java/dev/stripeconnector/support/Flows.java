package dev.stripeconnector.support;

import static dev.stripeconnector.support.Api.json;
import static io.restassured.RestAssured.given;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.HashMap;
import java.util.Map;

/** Whole steps of the product, done the way a partner's service and a person would do them. */
public final class Flows {

    public static final String CLIENT_ID = "ca_PlatformClient42";
    public static final String SECRET = "sk_test_PlatformSecret9999";
    public static final String STRIPE_USER_ID = "acct_1ConnectedAcct0001";
    public static final String ACCESS_TOKEN = "sk_test_AccessTokenFromStripe1234567890";
    public static final String REFRESH_TOKEN = "rt_RefreshTokenFromStripe4567890";
    /** The platform account any secret key belongs to, unless a test says otherwise (wiremock/mappings). */
    public static final String PLATFORM_ACCOUNT = "acct_1PlatformAccount00";

    private Flows() {
    }

    public static void consoleSetup() {
        Map<String, Object> console = new HashMap<>();
        console.put("clientId", CLIENT_ID);
        console.put("clientSecret", SECRET);
        json(console).put("/api/v1/connector").then().statusCode(200);
    }

    /** Installs and connects {@code accountId} through the real OAuth flow, with Stripe stubbed. */
    public static void connect(WireMockServer stripe, String accountId) {
        json(Map.of("name", "Shop " + accountId)).put("/api/v1/accounts/" + accountId + "/connector").then().statusCode(201);
        reconnect(stripe, accountId);
    }

    /** Connects an existing installation (again) through the real OAuth flow. */
    public static void reconnect(WireMockServer stripe, String accountId) {
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        String authorizeUrl = json("{}").post("/api/v1/accounts/" + accountId + "/connector/authorize").then()
                .statusCode(200).extract().path("authorizeUrl");
        given().redirects().follow(false)
                .queryParam("code", "ac_Connect" + accountId.replaceAll("[^A-Za-z0-9]", ""))
                .queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                .get("/connector/callback").then().statusCode(200);
        stripe.resetAll();
    }
}
