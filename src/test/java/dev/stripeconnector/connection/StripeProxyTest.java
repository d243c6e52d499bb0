package dev.stripeconnector.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Flows.SECRET;
import static dev.stripeconnector.support.Flows.STRIPE_USER_ID;
import static dev.stripeconnector.support.StripeStubs.fixture;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StripeProxyTest {

    static final String BASE = "/api/v1/accounts/p-1/stripe/v1/";

    @InjectWireMock
    WireMockServer stripe;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        stripe.resetAll();
        Flows.consoleSetup();
        Flows.connect(stripe, "p-1");
    }

    static org.hamcrest.Matcher<Object> is(Object value) {
        return org.hamcrest.Matchers.equalTo(value);
    }

    @Test
    void aGetIsForwardedWithTheQueryAndTheRightCredentials() {
        stripe.stubFor(get(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("Request-Id", "req_Abc123")
                .withHeader("Set-Cookie", "tracking=1").withBody(fixture("customers.json"))));

        api().header("Stripe-Version", "2024-06-20").header("X-Forwarded-For", "10.0.0.1")
                .urlEncodingEnabled(false)
                .get(BASE + "customers?limit=3&email=jenny.rosen%40example.com").then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .header("Request-Id", "req_Abc123")
                .header("Set-Cookie", nullValue())
                .body("data[0].id", is("cus_NffrFeUfNV2Hib"));

        stripe.verify(1, getRequestedFor(urlEqualTo("/v1/customers?limit=3&email=jenny.rosen%40example.com"))
                .withHeader("Authorization", equalTo("Bearer " + SECRET))
                .withHeader("Stripe-Account", equalTo(STRIPE_USER_ID))
                .withHeader("Stripe-Version", equalTo("2024-06-20"))
                .withHeader("X-Forwarded-For", absent()));
    }

    @Test
    void aPostIsForwardedWithItsBodyContentTypeAndIdempotencyKey() {
        stripe.stubFor(post(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture("customer-created.json"))));
        api().contentType("application/x-www-form-urlencoded").header("Idempotency-Key", "idem-1")
                .body("email=new%40example.com&metadata[source]=partner")
                .post(BASE + "customers").then()
                .statusCode(200).body("id", is("cus_NewCustomer01"));
        stripe.verify(1, postRequestedFor(urlPathEqualTo("/v1/customers"))
                .withHeader("Content-Type", containsStringPattern("application/x-www-form-urlencoded"))
                .withHeader("Idempotency-Key", equalTo("idem-1"))
                .withHeader("Authorization", equalTo("Bearer " + SECRET))
                .withRequestBody(equalTo("email=new%40example.com&metadata[source]=partner")));
    }

    static com.github.tomakehurst.wiremock.matching.StringValuePattern containsStringPattern(String value) {
        return com.github.tomakehurst.wiremock.client.WireMock.containing(value);
    }

    @Test
    void stripesErrorsComeBackUnchanged() {
        String error = "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"resource_missing\",\"message\":\"No such customer: 'cus_x'\"}}";
        stripe.stubFor(get(urlPathEqualTo("/v1/customers/cus_x")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withHeader("Request-Id", "req_404")
                .withHeader("Stripe-Should-Retry", "false").withBody(error)));
        String body = api().get(BASE + "customers/cus_x").then()
                .statusCode(404).header("Request-Id", "req_404").header("Stripe-Should-Retry", "false")
                .extract().asString();
        org.assertj.core.api.Assertions.assertThat(body).isEqualTo(error);
    }

    @Test
    void aDeleteIsForwarded() {
        stripe.stubFor(delete(urlPathEqualTo("/v1/customers/cus_1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"cus_1\",\"deleted\":true}")));
        api().delete(BASE + "customers/cus_1").then().statusCode(200).body("deleted", is(true));
        stripe.verify(1, deleteRequestedFor(urlPathEqualTo("/v1/customers/cus_1")));
    }

    @Test
    void getsAreRetriedOn429And5xxUntilStripeAnswers() {
        stripe.stubFor(get(urlPathEqualTo("/v1/balance")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json").withBody(fixture("rate-limited.json")))
                .willSetStateTo("second"));
        stripe.stubFor(get(urlPathEqualTo("/v1/balance")).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503).withBody("{}")).willSetStateTo("third"));
        stripe.stubFor(get(urlPathEqualTo("/v1/balance")).inScenario("flaky").whenScenarioStateIs("third")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"object\":\"balance\"}")));
        api().get(BASE + "balance").then().statusCode(200).body("object", is("balance"));
        stripe.verify(3, getRequestedFor(urlPathEqualTo("/v1/balance")));
    }

    @Test
    void retriesAreBoundedAndTheLastAnswerIsPassedOn() {
        stripe.stubFor(get(urlPathEqualTo("/v1/balance")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody(fixture("api-error-500.json"))));
        // Stripe's own 500 comes back as 502, with Stripe's body.
        api().get(BASE + "balance").then().statusCode(502).body("error.type", is("api_error"));
        stripe.verify(3, getRequestedFor(urlPathEqualTo("/v1/balance")));
    }

    @Test
    void stripeShouldRetryFalseIsHonoured() {
        stripe.stubFor(get(urlPathEqualTo("/v1/balance")).willReturn(aResponse().withStatus(503)
                .withHeader("Stripe-Should-Retry", "false").withBody("{}")));
        api().get(BASE + "balance").then().statusCode(503);
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/balance")));
    }

    @Test
    void postsWithoutAnIdempotencyKeyAreNeverRetried() {
        stripe.stubFor(post(urlPathEqualTo("/v1/charges")).willReturn(aResponse().withStatus(500).withBody("{}")));
        api().contentType("application/x-www-form-urlencoded").body("amount=100").post(BASE + "charges").then().statusCode(502);
        stripe.verify(1, postRequestedFor(urlPathEqualTo("/v1/charges")));

        stripe.resetRequests();
        api().contentType("application/x-www-form-urlencoded").header("Idempotency-Key", "k-2").body("amount=100")
                .post(BASE + "charges").then().statusCode(502);
        stripe.verify(3, postRequestedFor(urlPathEqualTo("/v1/charges")).withHeader("Idempotency-Key", equalTo("k-2")));
    }

    @Test
    void anUnreachableStripeIsA502Problem() {
        stripe.stubFor(get(urlPathEqualTo("/v1/balance")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        api().get(BASE + "balance").then().statusCode(502).contentType("application/problem+json");
    }

    @Test
    void pathsThatEscapeV1AreRefused() {
        stripe.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{}")));
        java.util.Map<String, Integer> statuses = new java.util.LinkedHashMap<>();
        for (String bad : new String[] {
                "customers/..%2F..%2Fsecret", "customers%2F..%2F..", "%2e%2e/x",
                "http:%2F%2Fevil.example%2Fx", "customers/cus_1%00", "customers/cus%20x",
                "@evil.example/x"}) {
            io.restassured.response.Response response = api().urlEncodingEnabled(false).get(BASE + bad);
            statuses.put(bad, response.statusCode());
            org.assertj.core.api.Assertions.assertThat(response.contentType()).as(bad).startsWith("application/problem+json");
        }
        org.assertj.core.api.Assertions.assertThat(statuses.values()).as(statuses.toString()).containsOnly(400, 404);
        api().get(BASE).then().statusCode(org.hamcrest.Matchers.anyOf(is(400), is(404)));
        stripe.verify(0, anyRequestedFor(anyUrl()));
        // Dot segments are resolved by the HTTP server before routing: they lead back into this
        // service's own (authenticated) API, never to another host or outside /v1/ at Stripe.
        api().urlEncodingEnabled(false).get(BASE + "%2E%2E/%2E%2E/connector").then().statusCode(200).body("accountId", is("p-1"));
        stripe.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void notConnectedIs409AndUnknownIs404AndTheApiKeyIsNeeded() {
        Api.json("{}").put("/api/v1/accounts/p-2/connector").then().statusCode(201);
        api().get("/api/v1/accounts/p-2/stripe/v1/customers").then().statusCode(409).contentType("application/problem+json");
        api().get("/api/v1/accounts/nobody/stripe/v1/customers").then().statusCode(404);
        io.restassured.RestAssured.given().get(BASE + "customers").then().statusCode(401);
        stripe.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aRevokedConnectionIs409AndAConnectionWithoutAKeyIs422AndStripeIsNotCalled() {
        Api.update("update account_connector set status = 'REVOKED' where account_id = 'p-1'");
        api().get(BASE + "customers").then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("not-connected")).body("detail", containsString("revoked"));
        Api.update("update account_connector set status = 'CONNECTED' where account_id = 'p-1'");
        Api.update("update connector_settings set client_secret = null");
        api().get(BASE + "customers").then().statusCode(422).contentType("application/problem+json")
                .body("type", containsString("missing-credentials"));
        stripe.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theKeySentIsTheInstallationsOwnElseTheConsolesCurrentOne() {
        Api.json(java.util.Map.of("clientId", "ca_AccountOwn77", "clientSecret", "sk_test_AccountOwnKey77"))
                .put("/api/v1/accounts/own-1/connector").then().statusCode(201);
        Flows.reconnect(stripe, "own-1");
        stripe.stubFor(get(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture("customers.json"))));
        api().get("/api/v1/accounts/own-1/stripe/v1/customers").then().statusCode(200);
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/customers")).withHeader("Authorization", equalTo("Bearer sk_test_AccountOwnKey77")));

        // A new console key reaches the proxy with the next request: nothing is cached.
        Api.json(java.util.Map.of("clientSecret", "sk_test_PlatformSecretRolled1")).put("/api/v1/connector").then().statusCode(200);
        api().get(BASE + "customers").then().statusCode(200);
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/customers"))
                .withHeader("Authorization", equalTo("Bearer sk_test_PlatformSecretRolled1")).withHeader("Stripe-Account", equalTo(STRIPE_USER_ID)));
    }

    @Test
    void anErrorAnswerBeyondTheLimitIsA502ProblemWhetherItsLengthIsDeclaredOrNotAndTheNextRequestWorks() {
        // Error answers are read whole to be classified, so they keep a limit; successful ones are streamed.
        String big = "x".repeat(8 * 1024 * 1024 + 1);
        stripe.stubFor(get(urlPathEqualTo("/v1/files/chunked")).willReturn(aResponse().withStatus(400).withBody(big)));
        stripe.stubFor(get(urlPathEqualTo("/v1/files/declared")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Length", String.valueOf(big.length())).withBody(big)));
        stripe.stubFor(get(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("Content-Length", String.valueOf(fixture("customers.json").length()))
                .withBody(fixture("customers.json"))));
        for (String path : new String[] {"files/chunked", "files/declared"}) {
            api().get(BASE + path).then().statusCode(502).contentType("application/problem+json")
                    .body("type", containsString("stripe-unexpected-answer")).body("detail", containsString("larger than 8 MiB"));
            api().get(BASE + "customers").then().statusCode(200).body("data[0].id", is("cus_NffrFeUfNV2Hib"));
        }
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/files/chunked")));
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/files/declared")));
    }

    @Test
    void aLargeAnswerIsStreamedThroughOnBothRoutes() {
        // 20 MiB, more than the error limit, sent chunked; fixed seed, so a failure can be replayed.
        byte[] contents = new byte[20 * 1024 * 1024];
        new java.util.Random(2120).nextBytes(contents);
        stripe.stubFor(get(urlPathEqualTo(dev.stripeconnector.support.WireMockResource.FILES_HOST + "/v1/files/file_Large01/contents"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/octet-stream").withHeader("Request-Id", "req_Large1")
                        .withBody(contents)));
        for (String path : new String[] {SDK + "files/file_Large01/contents", BASE + "files/file_Large01/contents"}) {
            io.restassured.response.Response answer = sdk("p-1").get(path);
            org.assertj.core.api.Assertions.assertThat(answer.statusCode()).isEqualTo(200);
            org.assertj.core.api.Assertions.assertThat(answer.header("Request-Id")).isEqualTo("req_Large1");
            org.assertj.core.api.Assertions.assertThat(answer.contentType()).isEqualTo("application/octet-stream");
            org.assertj.core.api.Assertions.assertThat(answer.asByteArray()).isEqualTo(contents);
        }
    }

    @Test
    void aBodyThatBreaksBeforeItsFirstChunkIsA502() {
        stripe.stubFor(get(urlPathEqualTo("/v1/customers/cus_Broken")).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        api().get(BASE + "customers/cus_Broken").then().statusCode(502).contentType("application/problem+json")
                .body("type", containsString("stripe-unexpected-answer"));
        sdk("p-1").get(SDK + "customers/cus_Broken").then().statusCode(502).body("error.type", is("api_error"));
    }

    @Test
    void thePlatformKeyIsMaskedEvenWhenItIsSplitOverTwoChunks() {
        // Two chunks, sent apart, with the key cut in its middle where the first ends.
        String before = "{\"note\":\"" + "a".repeat(4000);
        String body = before + SECRET + "\", \"again\":\"" + SECRET + "\"" + "b".repeat(4000 - SECRET.length() - 12) + "}";
        int half = body.length() / 2;
        org.assertj.core.api.Assertions.assertThat(half).isBetween(before.length() + 1, before.length() + SECRET.length() - 1);
        stripe.stubFor(get(urlPathEqualTo("/v1/customers/cus_Quoting")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body).withChunkedDribbleDelay(2, 300)));
        for (String path : new String[] {SDK + "customers/cus_Quoting", BASE + "customers/cus_Quoting"}) {
            String received = sdk("p-1").get(path).then().statusCode(200).extract().asString();
            org.assertj.core.api.Assertions.assertThat(received).doesNotContain(SECRET)
                    .startsWith(before).endsWith("b}");
            // The key's prefix and last four characters, as Stripe's dashboard shows a key, once for each quote.
            org.assertj.core.api.Assertions.assertThat(received.split(java.util.regex.Pattern.quote("sk_test_****9999"), -1)).hasSize(3);
        }
    }

    // ---- issue 21: the SDK route, Stripe-shaped refusals, uploads ----

    static final String SDK = "/v1/";

    /** A request on the SDK route, as an SDK sends it: the service's key, the installation in Stripe-Account. */
    static io.restassured.specification.RequestSpecification sdk(String stripeAccount) {
        return api().header("Stripe-Account", stripeAccount);
    }

    @Test
    void theSdkRouteForwardsLikeTheAccountRouteNamingTheInstallationByItsAccountIdOrItsConnectedAccount() {
        stripe.stubFor(get(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("Request-Id", "req_Sdk1").withBody(fixture("customers.json"))));
        stripe.stubFor(post(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture("customer-created.json"))));
        sdk("p-1").header("Stripe-Version", "2024-06-20").get(SDK + "customers?limit=3").then()
                .statusCode(200).header("Request-Id", "req_Sdk1").body("data[0].id", is("cus_NffrFeUfNV2Hib"));
        // The real acct_ id names the installation too, where it names exactly one of the caller's.
        sdk(STRIPE_USER_ID).get(SDK + "customers").then().statusCode(200);
        sdk("p-1").contentType("application/x-www-form-urlencoded").header("Idempotency-Key", "idem-sdk-1")
                .body("email=new%40example.com&metadata[source]=sdk").post(SDK + "customers").then().statusCode(200).body("id", is("cus_NewCustomer01"));
        stripe.verify(2, getRequestedFor(urlPathEqualTo("/v1/customers"))
                .withHeader("Authorization", equalTo("Bearer " + SECRET)).withHeader("Stripe-Account", equalTo(STRIPE_USER_ID)));
        stripe.verify(1, getRequestedFor(urlEqualTo("/v1/customers?limit=3")).withHeader("Stripe-Version", equalTo("2024-06-20")));
        stripe.verify(1, postRequestedFor(urlPathEqualTo("/v1/customers")).withHeader("Idempotency-Key", equalTo("idem-sdk-1"))
                .withHeader("Stripe-Account", equalTo(STRIPE_USER_ID)).withRequestBody(equalTo("email=new%40example.com&metadata[source]=sdk")));

        // A second installation connected to the same Stripe account: the acct_ id no longer names one.
        Api.json("{}").put("/api/v1/accounts/p-twin/connector").then().statusCode(201);
        Flows.reconnect(stripe, "p-twin");
        stripe.resetRequests();
        stripe.stubFor(get(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture("customers.json"))));
        sdk(STRIPE_USER_ID).get(SDK + "customers").then().statusCode(400).contentType(containsString("application/json"))
                .body("error.type", is("invalid_request_error")).body("error.param", is("Stripe-Account"));
        sdk("p-twin").get(SDK + "customers").then().statusCode(200);
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/customers")));
    }

    @Test
    void everyRefusalOnTheSdkRouteIsStripeShapedWithTheStatusSdksMapToTheirExceptions() {
        stripe.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{}")));
        Api.json("{}").put("/api/v1/accounts/p-2/connector").then().statusCode(201);
        record Refusal(String what, io.restassured.response.Response answer, int status, String type, String code) {
        }
        java.util.List<Refusal> refusals = java.util.List.of(
                new Refusal("no key", io.restassured.RestAssured.given().header("Stripe-Account", "p-1").get(SDK + "customers"),
                        401, "invalid_request_error", "unauthorized"),
                new Refusal("wrong key", io.restassured.RestAssured.given().header("Authorization", "Bearer sk_test_NotTheServicesKey")
                        .header("Stripe-Account", "p-1").get(SDK + "customers"), 401, "invalid_request_error", "unauthorized"),
                new Refusal("operator key", io.restassured.RestAssured.given().header("Authorization", "Bearer " + dev.stripeconnector.support.TestKeys.OPERATOR_KEY)
                        .header("Stripe-Account", "p-1").get(SDK + "customers"), 403, "invalid_request_error", "forbidden"),
                new Refusal("no Stripe-Account", api().get(SDK + "customers"), 400, "invalid_request_error", "parameter_invalid"),
                new Refusal("unknown installation", sdk("nobody").get(SDK + "customers"), 404, "invalid_request_error", "resource_missing"),
                new Refusal("not connected", sdk("p-2").get(SDK + "customers"), 403, "invalid_request_error", "account_invalid"),
                new Refusal("not a plain path", sdk("p-1").urlEncodingEnabled(false).get(SDK + "customers/cus%20x"), 400,
                        "invalid_request_error", "bad_request"),
                new Refusal("unsupported method", sdk("p-1").contentType("application/x-www-form-urlencoded").body("a=b").put(SDK + "customers"),
                        405, "invalid_request_error", "method_not_allowed"),
                new Refusal("body over 64 KiB", sdk("p-1").contentType("application/x-www-form-urlencoded")
                        .body("description=" + "x".repeat(64 * 1024)).post(SDK + "customers"), 413, "invalid_request_error", "payload_too_large"));
        for (Refusal refusal : refusals) {
            org.assertj.core.api.Assertions.assertThat(refusal.answer().statusCode()).as(refusal.what() + ": " + refusal.answer().asString())
                    .isEqualTo(refusal.status());
            org.assertj.core.api.Assertions.assertThat(refusal.answer().contentType()).as(refusal.what()).startsWith("application/json");
            io.restassured.path.json.JsonPath error = refusal.answer().jsonPath();
            org.assertj.core.api.Assertions.assertThat(error.getString("error.type")).as(refusal.what()).isEqualTo(refusal.type());
            org.assertj.core.api.Assertions.assertThat(error.getString("error.code")).as(refusal.what()).isEqualTo(refusal.code());
            org.assertj.core.api.Assertions.assertThat(error.getString("error.message")).as(refusal.what()).isNotBlank();
        }
        stripe.verify(0, anyRequestedFor(anyUrl()));
        // The account route keeps answering problems.
        api().get("/api/v1/accounts/p-2/stripe/v1/customers").then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void anUploadIsPassedUntouchedToStripesFilesHostOnBothRoutes() {
        stripe.stubFor(post(urlPathEqualTo(dev.stripeconnector.support.WireMockResource.FILES_HOST + "/v1/files")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(fixture("file-created.json"))));
        // Beyond the 64 KiB of other requests, and bytes that are not text; and a small one, which Quarkus REST has whole
        // before the resource reads it (the large one the resource reads as it arrives, into one array of its length).
        byte[] file = new byte[200 * 1024];
        new java.util.Random(21).nextBytes(file);
        byte[] body = multipart("BoUnDaRy21", file);
        byte[] small = multipart("BoUnDaRy21", java.util.Arrays.copyOf(file, 100));
        for (byte[] sent : new byte[][] {body, small}) {
            for (String path : new String[] {SDK + "files", BASE + "files"}) {
                sdk("p-1").contentType("multipart/form-data; boundary=BoUnDaRy21").body(sent).post(path).then()
                        .statusCode(200).body("id", is("file_SdkUpload01"));
            }
        }
        java.util.List<com.github.tomakehurst.wiremock.verification.LoggedRequest> uploads =
                stripe.findAll(postRequestedFor(urlPathEqualTo(dev.stripeconnector.support.WireMockResource.FILES_HOST + "/v1/files")));
        org.assertj.core.api.Assertions.assertThat(uploads).hasSize(4);
        org.assertj.core.api.Assertions.assertThat(uploads).extracting(upload -> java.util.Base64.getEncoder().encodeToString(upload.getBody()))
                .containsExactlyInAnyOrder(java.util.Base64.getEncoder().encodeToString(body), java.util.Base64.getEncoder().encodeToString(body),
                        java.util.Base64.getEncoder().encodeToString(small), java.util.Base64.getEncoder().encodeToString(small));
        for (var upload : uploads) {
            org.assertj.core.api.Assertions.assertThat(upload.getHeader("Content-Type")).isEqualTo("multipart/form-data; boundary=BoUnDaRy21");
            org.assertj.core.api.Assertions.assertThat(upload.getHeader("Authorization")).isEqualTo("Bearer " + SECRET);
            org.assertj.core.api.Assertions.assertThat(upload.getHeader("Stripe-Account")).isEqualTo(STRIPE_USER_ID);
        }
        // Other routes keep their limit, multipart or not; an upload is refused beyond Stripe's own, before a byte of it is read.
        sdk("p-1").contentType("multipart/form-data; boundary=BoUnDaRy21").body(body).post(SDK + "customers").then()
                .statusCode(413).body("error.code", is("payload_too_large"));
        for (String path : new String[] {SDK + "files", BASE + "files"}) {
            dev.stripeconnector.support.hostile.Answer answer = dev.stripeconnector.support.hostile.RawHttp.exchange("127.0.0.1",
                    io.restassured.RestAssured.port, ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                            + dev.stripeconnector.support.TestKeys.API_KEY + "\r\nStripe-Account: p-1\r\nContent-Type: multipart/form-data;"
                            + " boundary=x\r\nContent-Length: 40000000\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    "--x\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 10_000);
            org.assertj.core.api.Assertions.assertThat(answer.status()).as(path + ": " + answer.failure()).isEqualTo(413);
            org.assertj.core.api.Assertions.assertThat(answer.text()).as(path).contains("32 MB");
        }
        org.assertj.core.api.Assertions.assertThat(stripe.findAll(anyRequestedFor(anyUrl()))).hasSize(4);
    }

    @Test
    void aFilesContentsAreFetchedFromStripesFilesHostOnBothRoutes() {
        byte[] contents = new byte[4096];
        new java.util.Random(2121).nextBytes(contents);
        stripe.stubFor(get(urlPathEqualTo(dev.stripeconnector.support.WireMockResource.FILES_HOST + "/v1/files/file_Download01/contents"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/pdf").withBody(contents)));
        for (String path : new String[] {SDK + "files/file_Download01/contents", BASE + "files/file_Download01/contents"}) {
            byte[] received = sdk("p-1").get(path).then().statusCode(200).contentType("application/pdf").extract().asByteArray();
            org.assertj.core.api.Assertions.assertThat(received).isEqualTo(contents);
        }
        stripe.verify(2, getRequestedFor(urlPathEqualTo(dev.stripeconnector.support.WireMockResource.FILES_HOST + "/v1/files/file_Download01/contents"))
                .withHeader("Authorization", equalTo("Bearer " + SECRET)).withHeader("Stripe-Account", equalTo(STRIPE_USER_ID)));
        // The file object itself is the API's, not the files host's.
        stripe.verify(0, getRequestedFor(urlPathEqualTo("/v1/files/file_Download01/contents")));
    }

    @Test
    void aChunkedUploadIsRefusedUnreadWithLengthRequiredOnBothRoutes() {
        byte[] body = multipart("BoUnDaRy411", new byte[1024]);
        for (String path : new String[] {SDK + "files", BASE + "files"}) {
            dev.stripeconnector.support.hostile.Answer answer = dev.stripeconnector.support.hostile.RawHttp.exchange("127.0.0.1",
                    io.restassured.RestAssured.port, uploadHead(path, "Transfer-Encoding: chunked"),
                    dev.stripeconnector.support.hostile.RawHttp.chunked(body, 512), 10_000);
            org.assertj.core.api.Assertions.assertThat(answer.status()).as(path + ": " + answer.failure()).isEqualTo(411);
            org.assertj.core.api.Assertions.assertThat(answer.text()).as(path)
                    .contains(path.startsWith(SDK) ? "\"length_required\"" : "length-required").contains("Content-Length");
        }
        // Nothing of either was forwarded.
        org.assertj.core.api.Assertions.assertThat(stripe.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    /**
     * Two uploads held in flight (their bodies half sent) fill the pod's places ({@code connector.stripe.uploads-in-flight},
     * 2 by default): a third is refused with 429 and {@code Retry-After}, unread. Their callers going away gives the places
     * back, and so does every upload answered: with one held again, uploads one after another all pass (a place leaked
     * would refuse them).
     */
    @Test
    void uploadsInFlightAreBoundedAndTheirPlacesComeBack() throws Exception {
        stripe.stubFor(post(urlPathEqualTo(dev.stripeconnector.support.WireMockResource.FILES_HOST + "/v1/files")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(fixture("file-created.json"))));
        byte[] body = multipart("BoUnDaRy429", new byte[64 * 1024]);
        java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(holdUpload(SDK + "files", body));
        }
        // The held uploads' heads may still be on their way: until they are, a probe passes (and is a real upload).
        io.restassured.response.Response refused = null;
        for (int attempt = 0; attempt < 50 && refused == null; attempt++) {
            io.restassured.response.Response probe = sdk("p-1").contentType("multipart/form-data; boundary=BoUnDaRy429").body(body).post(SDK + "files");
            if (probe.statusCode() == 429) {
                refused = probe;
            } else {
                org.assertj.core.api.Assertions.assertThat(probe.statusCode()).isEqualTo(200);
                Thread.sleep(50);
            }
        }
        org.assertj.core.api.Assertions.assertThat(refused).as("a third upload in flight is refused").isNotNull();
        refused.then().header("Retry-After", "1").body("error.type", is("rate_limit_error")).body("error.code", is("too_many_uploads"));
        sdk("p-1").contentType("multipart/form-data; boundary=BoUnDaRy429").body(body).post(BASE + "files").then()
                .statusCode(429).header("Retry-After", "1").contentType("application/problem+json").body("type", containsString("too-many-uploads"));
        int forwarded = stripe.findAll(anyRequestedFor(anyUrl())).size();
        for (java.net.Socket socket : held) {
            socket.close();
        }
        // The closed connections give their places back as the server notices them going away.
        int status = 0;
        for (int attempt = 0; attempt < 100 && status != 200; attempt++) {
            status = sdk("p-1").contentType("multipart/form-data; boundary=BoUnDaRy429").body(body).post(SDK + "files").statusCode();
            if (status == 429) {
                Thread.sleep(50);
            }
        }
        org.assertj.core.api.Assertions.assertThat(status).isEqualTo(200);
        try (java.net.Socket another = holdUpload(BASE + "files", body)) {
            for (int i = 0; i < 5; i++) {
                String path = i % 2 == 0 ? SDK + "files" : BASE + "files";
                sdk("p-1").contentType("multipart/form-data; boundary=BoUnDaRy429").body(body).post(path).then().statusCode(200);
            }
        }
        // The refused and the held uploads never reached Stripe; the probes that passed and the last six did.
        org.assertj.core.api.Assertions.assertThat(stripe.findAll(anyRequestedFor(anyUrl()))).hasSize(forwarded + 6);
    }

    private static byte[] uploadHead(String path, String framing) {
        return ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + dev.stripeconnector.support.TestKeys.API_KEY
                + "\r\nStripe-Account: p-1\r\nContent-Type: multipart/form-data; boundary=x\r\n" + framing + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** An upload whose head and first half are sent, the rest never: it stays in flight until the socket is closed. */
    private static java.net.Socket holdUpload(String path, byte[] body) throws java.io.IOException {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port);
        socket.getOutputStream().write(uploadHead(path, "Content-Length: " + body.length));
        socket.getOutputStream().write(body, 0, body.length / 2);
        socket.getOutputStream().flush();
        return socket;
    }

    static byte[] multipart(String boundary, byte[] file) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\ndispute_evidence\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"evidence.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
