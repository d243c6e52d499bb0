package dev.stripeconnector.account;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.Flows.ACCESS_TOKEN;
import static dev.stripeconnector.support.Flows.CLIENT_ID;
import static dev.stripeconnector.support.Flows.SECRET;
import static dev.stripeconnector.support.Flows.STRIPE_USER_ID;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.TestPartners;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partner's installations, console settings, authorization requests, credentials and proxy target
 * are its own: partner default and partner {@code acme} hold the same account ids, the same client ID
 * and secret key in their consoles, and the same Stripe account connected, and each partner's key
 * sees and changes only its own; the other's ids answer 404 and nothing of the other changes.
 */
@QuarkusTest
class PartnerInstallationsTest {

    static final String ACME = "acme";
    static final String ACME_DOMAIN = "stripe.acme.example";
    static final String ACME_ACCESS_TOKEN = "sk_test_AcmeAccessTokenFromStripe0987654321";
    static final String READ_WRITE = "read_write";

    @InjectWireMock
    WireMockServer stripe;

    @Inject
    PublicOrigins origins;

    /** Acme's key, allowed the API and the credentials read. */
    String acmeKey;

    @BeforeEach
    void twoPartners() {
        Api.resetDatabase();
        Api.update("delete from credential_read");
        Api.update("delete from api_key");
        Api.deletePartnersButDefault();
        stripe.resetAll();
        TestPartners.create(ACME, ACME_DOMAIN);
        origins.refresh();
        acmeKey = TestPartners.issueKey(ACME, "acme-backend", "api", "credentials-reader");
    }

    @AfterEach
    void onlyPartnerDefault() {
        Api.update("delete from api_key");
        Api.deletePartnersButDefault();
        origins.refresh();
    }

    static RequestSpecification operator(Object body) {
        return given().header("Authorization", "Bearer " + TestKeys.OPERATOR_KEY).contentType(ContentType.JSON).body(body);
    }

    RequestSpecification acme() {
        return given().header("Authorization", "Bearer " + acmeKey);
    }

    RequestSpecification acme(Object body) {
        return acme().contentType(ContentType.JSON).body(body);
    }

    static RequestSpecification defaultReader() {
        return given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY);
    }

    /** Connects {@code accountId} of acme through its authorize URL and Stripe's redirect to acme's domain. */
    void connectAcme(String accountId) {
        StripeStubs.tokenAnswersRaw(stripe, 200, StripeStubs.fixture("token-success.json").replace(ACCESS_TOKEN, ACME_ACCESS_TOKEN));
        String authorizeUrl = acme("{}").post("/api/v1/accounts/" + accountId + "/connector/authorize").then().statusCode(200)
                .extract().path("authorizeUrl");
        given().header("Host", ACME_DOMAIN).redirects().follow(false)
                .queryParam("code", "ac_Acme" + accountId.replace("-", "")).queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                .get("/connector/callback").then().statusCode(200);
        stripe.resetAll();
    }

    @Test
    void eachPartnerSeesAndChangesOnlyItsOwnSettingsInstallationsConnectionsAndCredentials() {
        // The same console values in both; each partner's URLs are on its own domain, and a change stays in its row.
        Flows.consoleSetup();
        acme(Map.of("clientId", CLIENT_ID, "clientSecret", SECRET)).put("/api/v1/connector").then().statusCode(200)
                .body("clientId", org.hamcrest.Matchers.equalTo(CLIENT_ID))
                .body("redirectUri", org.hamcrest.Matchers.equalTo("https://" + ACME_DOMAIN + "/connector/callback"))
                .body("webhookEndpoint", org.hamcrest.Matchers.equalTo("https://" + ACME_DOMAIN + "/webhooks/stripe"));
        acme(Map.of("defaultScope", "read_only")).put("/api/v1/connector").then().statusCode(200)
                .body("defaultScope", org.hamcrest.Matchers.equalTo("read_only"));
        Api.api().get("/api/v1/connector").then().statusCode(200)
                .body("defaultScope", org.hamcrest.Matchers.equalTo(READ_WRITE))
                .body("redirectUri", org.hamcrest.Matchers.equalTo("https://" + TestKeys.SERVICE_DOMAIN + "/connector/callback"));
        assertThat(Api.queryString("select count(*) from connector_settings where client_id = ?", CLIENT_ID)).isEqualTo("2");

        // The same account id in both, each with its own name; acme alone has shop-2.
        Api.json(Map.of("name", "Default's shop")).put("/api/v1/accounts/shop-1/connector").then().statusCode(201);
        acme(Map.of("name", "Acme's shop")).put("/api/v1/accounts/shop-1/connector").then().statusCode(201);
        acme(Map.of("name", "Acme's second")).put("/api/v1/accounts/shop-2/connector").then().statusCode(201);
        Api.api().get("/api/v1/accounts/shop-1/connector").then().statusCode(200).body("name", org.hamcrest.Matchers.equalTo("Default's shop"));
        acme().get("/api/v1/accounts/shop-1/connector").then().statusCode(200).body("name", org.hamcrest.Matchers.equalTo("Acme's shop"));
        Api.api().get("/api/v1/accounts").then().statusCode(200).body("items.name", org.hamcrest.Matchers.equalTo(List.of("Default's shop")));
        acme().get("/api/v1/accounts?limit=1").then().statusCode(200)
                .body("items.name", org.hamcrest.Matchers.equalTo(List.of("Acme's shop")))
                .body("nextCursor", org.hamcrest.Matchers.notNullValue());
        acme().get("/api/v1/accounts?status=pending").then().statusCode(200)
                .body("items.accountId", org.hamcrest.Matchers.equalTo(List.of("shop-1", "shop-2")));
        Api.api().get("/api/v1/accounts/shop-2/connector").then().statusCode(404);

        // Authorize builds acme's links on acme's domain with acme's console choices.
        Map<String, String> acmeLink = acme("{}").post("/api/v1/accounts/shop-1/connector/authorize").then().statusCode(200)
                .body("setupUrl", startsWith("https://" + ACME_DOMAIN + "/connector/setup/")).extract().jsonPath().getMap("");
        assertThat(StripeStubs.param(acmeLink.get("authorizeUrl"), "redirect_uri")).isEqualTo("https://" + ACME_DOMAIN + "/connector/callback");
        assertThat(StripeStubs.param(acmeLink.get("authorizeUrl"), "scope")).isEqualTo("read_only");
        Map<String, String> defaultLink = Api.json("{}").post("/api/v1/accounts/shop-1/connector/authorize").then().statusCode(200)
                .body("setupUrl", startsWith("https://" + TestKeys.SERVICE_DOMAIN + "/connector/setup/")).extract().jsonPath().getMap("");
        assertThat(StripeStubs.param(defaultLink.get("authorizeUrl"), "redirect_uri"))
                .isEqualTo("https://" + TestKeys.SERVICE_DOMAIN + "/connector/callback");
        assertThat(StripeStubs.param(defaultLink.get("authorizeUrl"), "scope")).isEqualTo(READ_WRITE);
        assertThat(Api.queryString("select count(*) from authorization_request where partner_id = 'acme'")).isEqualTo("1");

        // Acme's state is unknown on default's domain (and stays unspent there); acme's setup link too.
        String acmeState = StripeStubs.param(acmeLink.get("authorizeUrl"), "state");
        given().redirects().follow(false).queryParam("code", "ac_Wrong").queryParam("state", acmeState)
                .get("/connector/callback").then().statusCode(400);
        given().redirects().follow(false).get("/connector/setup/" + acmeLink.get("setupUrl").substring(acmeLink.get("setupUrl").lastIndexOf('/') + 1))
                .then().statusCode(404);
        assertThat(Api.queryString("select count(*) from authorization_request where state_used_at is not null or setup_used_at is not null"))
                .isEqualTo("0");
        stripe.verify(0, StripeStubs.tokenRequests());

        // The same Stripe account connected to both, each with the tokens Stripe granted to it.
        Flows.reconnect(stripe, "shop-1");
        connectAcme("shop-1");
        assertThat(Api.queryString("select count(*) from account_connector where account_id = 'shop-1' and stripe_user_id = ?", STRIPE_USER_ID))
                .isEqualTo("2");
        defaultReader().get("/api/v1/accounts/shop-1/connector/credentials").then().statusCode(200)
                .body("accessToken", org.hamcrest.Matchers.equalTo(ACCESS_TOKEN));
        acme().get("/api/v1/accounts/shop-1/connector/credentials").then().statusCode(200)
                .body("accessToken", org.hamcrest.Matchers.equalTo(ACME_ACCESS_TOKEN))
                .body("stripeUserId", org.hamcrest.Matchers.equalTo(STRIPE_USER_ID));
        assertThat(Api.queryString("select string_agg(partner_id || ':' || api_key_name, ',' order by partner_id) from credential_read"))
                .isEqualTo("acme:acme-backend,default:reader");

        // The proxy calls Stripe with acme's installation; a verify records facts on acme's only.
        stripe.stubFor(get(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(StripeStubs.fixture("customers.json"))));
        acme().get("/api/v1/accounts/shop-1/stripe/v1/customers").then().statusCode(200);
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/customers"))
                .withHeader("Authorization", equalTo("Bearer " + SECRET)).withHeader("Stripe-Account", equalTo(STRIPE_USER_ID)));
        acme().get("/api/v1/accounts/shop-2/stripe/v1/customers").then().statusCode(409);
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", matching(".+")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(StripeStubs.fixture("account.json"))));
        acme().post("/api/v1/accounts/shop-1/connector/verify").then().statusCode(200)
                .body("connection.account.businessName", org.hamcrest.Matchers.equalTo("Walkthrough Coffee Roasters"));
        Api.api().get("/api/v1/accounts/shop-1/connector").then().statusCode(200)
                .body("connection.account.businessName", org.hamcrest.Matchers.nullValue());

        // Default disconnects its shop-1: acme's stays connected, and only default may now clear its console's key.
        StripeStubs.deauthorizeAnswers(stripe, 200, "deauthorize-success.json");
        Api.api().delete("/api/v1/accounts/shop-1/connector").then().statusCode(200);
        stripe.verify(1, postRequestedFor(urlPathEqualTo("/oauth/deauthorize")));
        acme().get("/api/v1/accounts/shop-1/connector").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("connected"));
        acme(java.util.Collections.singletonMap("clientSecret", null)).put("/api/v1/connector").then().statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("/settings-in-use"));
        Api.json(java.util.Collections.singletonMap("clientSecret", null)).put("/api/v1/connector").then().statusCode(200);
        assertThat(Api.queryString("select client_secret is not null from connector_settings where partner_id = 'acme'")).isEqualTo("t");
        acme().get("/api/v1/accounts/shop-1/connector/credentials").then().statusCode(200);
    }

    @Test
    void anotherPartnersAccountIsNotFoundAndNothingOfItChanges() {
        Flows.consoleSetup();
        Flows.connect(stripe, "only-default");
        String before = Api.queryString("select row(a.*)::text from account_connector a where account_id = 'only-default'");
        stripe.resetAll();

        acme().get("/api/v1/accounts/only-default/connector").then().statusCode(404);
        acme(Map.of("name", "Taken over")).put("/api/v1/accounts/only-default/connector").then().statusCode(201);
        acme().delete("/api/v1/accounts/only-default/connector").then().statusCode(200);
        acme("{}").post("/api/v1/accounts/only-default/connector/authorize").then().statusCode(404);
        acme().post("/api/v1/accounts/only-default/connector/verify").then().statusCode(404);
        acme().post("/api/v1/accounts/only-default/connector/refresh").then().statusCode(404);
        acme().get("/api/v1/accounts/only-default/connector/credentials").then().statusCode(404);
        acme().get("/api/v1/accounts/only-default/stripe/v1/customers").then().statusCode(404);
        acme().delete("/api/v1/accounts/only-default/connector").then().statusCode(404);

        stripe.verify(0, com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
        assertThat(Api.queryString("select row(a.*)::text from account_connector a where account_id = 'only-default'")).isEqualTo(before);
        assertThat(Api.queryString("select count(*) from account_connector")).isEqualTo("1");
        assertThat(Api.queryString("select count(*) from credential_read where partner_id = 'acme'")).isEqualTo("0");
        assertThat(Api.queryString("select count(*) from authorization_request where partner_id = 'acme'")).isEqualTo("0");
        defaultReader().get("/api/v1/accounts/only-default/connector/credentials").then().statusCode(200)
                .body("accessToken", org.hamcrest.Matchers.equalTo(ACCESS_TOKEN));
    }

    @Test
    void aDisabledPartnersKeyReachesNoneOfItsInstallationsByAnyRoute() {
        acme(Map.of("clientId", CLIENT_ID, "clientSecret", SECRET)).put("/api/v1/connector").then().statusCode(200);
        acme(Map.of("name", "Acme's shop")).put("/api/v1/accounts/shop-1/connector").then().statusCode(201);
        connectAcme("shop-1");
        operator(Map.of("status", "disabled")).patch("/api/v1/partners/" + ACME).then().statusCode(200);

        for (RequestSpecificationCall call : List.<RequestSpecificationCall>of(
                () -> acme().get("/api/v1/accounts/shop-1/connector/credentials").then(),
                () -> acme().get("/api/v1/accounts/shop-1/stripe/v1/customers").then(),
                () -> acme().get("/api/v1/accounts").then(),
                () -> acme().get("/api/v1/connector").then(),
                () -> acme("{}").post("/api/v1/accounts/shop-1/connector/authorize").then(),
                () -> acme().delete("/api/v1/accounts/shop-1/connector").then())) {
            call.run().statusCode(403).body("type", org.hamcrest.Matchers.endsWith("/partner-disabled"));
        }
        stripe.verify(0, com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
        assertThat(Api.queryString("select count(*) from credential_read where partner_id = 'acme'")).isEqualTo("0");
        assertThat(Api.queryString("select status from account_connector where partner_id = 'acme'")).isEqualTo("CONNECTED");
        assertThat(Api.queryString("select count(*) from authorization_request where partner_id = 'acme'")).isEqualTo("1");
    }

    private interface RequestSpecificationCall {
        io.restassured.response.ValidatableResponse run();
    }
}
