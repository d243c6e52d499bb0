package dev.stripeconnector.common;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.PostgresResource;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.Webhooks;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import dev.stripeconnector.support.hostile.Leaks;
import dev.stripeconnector.support.hostile.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets and tokens are never logged, never answered (except an access token by the credentials
 * endpoint, to a key allowed to read it) and never stored in plain text. The whole product runs
 * with recognisable secrets of this test's own, with Stripe (WireMock) granting tokens, rolling
 * them, and answering errors that echo the full key or refresh token. Meanwhile every log record of
 * the application and every HTTP answer is collected; afterwards every table of the database is
 * dumped and searched.
 */
@QuarkusTest
class SecretHygieneTest {

    private static final String CONSOLE_CLIENT = "ca_HygienePlatform01";
    private static final String CONSOLE_KEY = "sk_test_HygieneConsoleKey5150QxZ";
    private static final String REJECTED_KEY = "sk_test_HygieneRejectedKey3333Rr";
    private static final String MALFORMED_KEY = "sk_test_HygieneMalformed!Key77";
    private static final String OWN_CLIENT = "ca_HygieneOwnPlatform02";
    private static final String OVERRIDE_KEY = "sk_test_HygieneOverrideKey8080Zz";
    private static final String OWN_WEBHOOK_SECRET = "whsec_HygieneOwnWebhook4242Ww";
    private static final String ACCESS_CONSOLE = "sk_test_HygieneAccessConsole1111Aa";
    private static final String REFRESH_CONSOLE = "rt_HygieneRefreshConsole1111Bb";
    private static final String ACCESS_OWN = "sk_test_HygieneAccessOwn2222Cc";
    private static final String REFRESH_OWN = "rt_HygieneRefreshOwn2222Dd";
    private static final String ACCESS_SPARE = "sk_test_HygieneAccessSpare3333Ee";
    private static final String REFRESH_SPARE = "rt_HygieneRefreshSpare3333Ff";
    private static final String ROLLED_ACCESS = "sk_test_HygieneRolledAccess4444Gg";
    private static final String ROLLED_REFRESH = "rt_HygieneRolledRefresh4444Hh";
    private static final String CODE_CONSOLE = "ac_HygieneCodeConsole5555Ii";
    private static final String CODE_OWN = "ac_HygieneCodeOwn6666Jj";
    private static final String CODE_SPARE = "ac_HygieneCodeSpare7777Kk";
    private static final String CODE_REFUSED = "ac_HygieneCodeRefused8888Ll";
    private static final String CODE_KEY_REJECTED = "ac_HygieneCodeKeyRejected9999Mm";
    private static final String CODE_FAULT = "ac_HygieneCodeFault0000Nn";
    private static final String ACCT_CONSOLE = "acct_1HygieneConsole01";
    private static final String ACCT_OWN = "acct_1HygieneOwn02";
    private static final String ACCT_SPARE = "acct_1HygieneSpare03";

    /** Access tokens: only the credentials endpoint may answer one. */
    private static final List<String> ACCESS_TOKENS = List.of(ACCESS_CONSOLE, ACCESS_OWN, ACCESS_SPARE, ROLLED_ACCESS);
    /** Everything else: never answered, never logged, never stored in plain text. */
    private static final List<String> SECRETS = List.of(CONSOLE_KEY, REJECTED_KEY, MALFORMED_KEY, OVERRIDE_KEY, OWN_WEBHOOK_SECRET,
            REFRESH_CONSOLE, REFRESH_OWN, REFRESH_SPARE, ROLLED_REFRESH, CODE_CONSOLE, CODE_OWN, CODE_SPARE, CODE_REFUSED,
            CODE_KEY_REJECTED, CODE_FAULT, TestKeys.API_KEY, TestKeys.READER_API_KEY, TestKeys.WEBHOOK_SECRET, TestKeys.OLD_WEBHOOK_SECRET,
            TestKeys.ENCRYPTION_KEY_1.substring(TestKeys.ENCRYPTION_KEY_1.indexOf(':') + 1));

    /** One answer of the service, as a caller saw it. */
    record Exchange(String method, String uri, int status, String headers, String body) {
        boolean isCredentialsRead() {
            return method.equals("GET") && uri.contains("/connector/credentials") && status == 200;
        }

        boolean carriesIssuedLinks() {
            return uri.contains("/connector/authorize") && status == 200 || uri.contains("/connector/setup/") && status == 302;
        }

        @Override
        public String toString() {
            return method + " " + uri + " -> " + status;
        }
    }

    @InjectWireMock
    WireMockServer stripe;

    private final List<Exchange> exchanges = new ArrayList<>();
    private Filter recorder;
    /** States and setup tokens the service issued during the test: logged or stored, they would be secrets too. */
    private final Set<String> issuedTokens = new LinkedHashSet<>();
    private LogCapture logs;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        Api.update("delete from credential_read");
        Api.update("delete from webhook_event");
        Api.update("delete from platform_webhook");
        stripe.resetAll();
        // Below the default mappings (priority 100): anything nothing else covers answers like Stripe answers an unknown URL, echoing nothing.
        stripe.stubFor(any(anyUrl()).atPriority(200).willReturn(json(404,
                "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL.\"}}")));
        recorder = (request, response, context) -> {
            Response answer = context.next(request, response);
            synchronized (exchanges) {
                exchanges.add(new Exchange(request.getMethod(), request.getURI(), answer.statusCode(), answer.headers().toString(),
                        answer.asString()));
            }
            return answer;
        };
        RestAssured.filters(recorder);
        logs = LogCapture.start(true);
    }

    @AfterEach
    void restore() {
        if (logs != null) {
            logs.close();
        }
        // Only this test's recorder: other filters (the OpenAPI contract check) stay.
        List<Filter> others = new ArrayList<>(RestAssured.filters());
        others.remove(recorder);
        RestAssured.replaceFiltersWith(others);
        stripe.resetAll();
    }

    @Test
    void secretsAreNeverLoggedNeverAnsweredAndNeverStoredInPlainText() throws Exception {
        consoleSetup();
        installations();
        connectAll();
        String storedWhileConnected = dumpEveryTable();
        assertSecretColumnsHoldCiphertext(true);

        verifyIncludingStripeEchoingTheKey();
        refreshIncludingStripeEchoingTheTokens();
        proxy();
        faults();
        credentials();
        webhooks();
        errorPaths();
        disconnect();

        String storedAtTheEnd = dumpEveryTable();
        assertSecretColumnsHoldCiphertext(false);
        logs.close();

        System.out.printf("[hygiene] %d answers, %d log records, %d + %d characters of table dumps, %d issued states/setup tokens%n",
                exchanges.size(), logs.entries().size(), storedWhileConnected.length(), storedAtTheEnd.length(), issuedTokens.size());
        // The searches below can see what they look for: the service's own records, every answer body, every row.
        assertThat(logs.text()).contains("Rolled the tokens of account hyg-console");
        assertThat(exchanges.stream().filter(Exchange::isCredentialsRead).map(Exchange::body).toList())
                .anyMatch(body -> body.contains(ROLLED_ACCESS));
        assertThat(storedWhileConnected).contains("hyg-own", "v1:", "platform_webhook");

        // (a) Nothing logged carries a secret, a token, a code, a state or a setup token.
        String logged = logs.entries().stream()
                .filter(e -> !isTestInfrastructure(e.logger()))
                .map(LogCapture.Entry::text)
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(logs.entries()).as("log records were captured at all").isNotEmpty();
        List<String> allSecrets = new ArrayList<>(SECRETS);
        allSecrets.addAll(ACCESS_TOKENS);
        List<String> loggedSecrets = found(logged, allSecrets, true);
        assertThat(loggedSecrets).as("secrets found in the application's log records:%n%s", excerpts(logged, loggedSecrets)).isEmpty();
        List<String> loggedLinks = found(logged, issuedTokens, false);
        assertThat(loggedLinks).as("states or setup tokens found in the application's log records").isEmpty();

        // (b) No answer carries a secret; an access token only the credentials endpoint's.
        assertThat(exchanges).as("answers were recorded").hasSizeGreaterThan(40);
        List<String> leakingAnswers = new ArrayList<>();
        for (Exchange exchange : exchanges) {
            String text = exchange.headers() + "\n" + exchange.body();
            List<String> leaked = new ArrayList<>(found(text, SECRETS, false));
            if (!exchange.isCredentialsRead()) {
                leaked.addAll(found(text, ACCESS_TOKENS, false));
            }
            if (!exchange.carriesIssuedLinks()) {
                leaked.addAll(found(text, issuedTokens, false));
            }
            if (!leaked.isEmpty()) {
                leakingAnswers.add(exchange + " carries " + Leaks.names(leaked) + ":\n" + excerpts(text, leaked));
            }
        }
        assertThat(leakingAnswers).as("answers carrying a secret (of %d answers)", exchanges.size()).isEmpty();
        assertThat(exchanges.stream().filter(Exchange::isCredentialsRead).toList())
                .as("the credentials endpoint answered an access token (so the exemption above was used)").isNotEmpty();

        // (c) No table holds a secret in plain text (nor base64 or hex of one), at either moment.
        for (String dump : List.of(storedWhileConnected, storedAtTheEnd)) {
            List<String> stored = found(dump, allSecrets, true);
            assertThat(stored).as("secrets stored in plain text (or encoded):%n%s", excerpts(dump, stored)).isEmpty();
            assertThat(found(dump, issuedTokens, true)).as("states or setup tokens stored in plain text").isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The product, step by step
    // ---------------------------------------------------------------------------------------------

    private void consoleSetup() {
        // A key Stripe rejects, echoing it in full: a 400 naming the field, nothing stored, nothing shown.
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).atPriority(1).withHeader("Stripe-Account", absent())
                .withHeader("Authorization", equalTo("Bearer " + REJECTED_KEY))
                .willReturn(json(401, apiError(null, "Invalid API Key provided: " + REJECTED_KEY))));
        Api.json(Map.of("clientId", CONSOLE_CLIENT, "clientSecret", REJECTED_KEY)).put("/api/v1/connector").then()
                .statusCode(400).body("errors[0].field", is("clientSecret"));
        Api.json(Map.of("clientId", CONSOLE_CLIENT, "clientSecret", MALFORMED_KEY)).put("/api/v1/connector").then().statusCode(400);
        Api.json(Map.of("clientId", CONSOLE_CLIENT, "clientSecret", CONSOLE_KEY)).put("/api/v1/connector").then()
                .statusCode(200).body("clientSecret.last4", is("0QxZ"));
        Api.api().get("/api/v1/connector").then().statusCode(200).body("clientSecret.set", is(true));
    }

    private void installations() {
        Api.json(Map.of("name", "Hygiene console")).put("/api/v1/accounts/hyg-console/connector").then().statusCode(201);
        Api.json(Map.of("name", "Hygiene spare")).put("/api/v1/accounts/hyg-spare/connector").then().statusCode(201);
        Api.json(Map.of("name", "Hygiene own", "clientId", OWN_CLIENT, "clientSecret", OVERRIDE_KEY, "webhookSecret", OWN_WEBHOOK_SECRET))
                .put("/api/v1/accounts/hyg-own/connector").then()
                .statusCode(201).body("clientSecret.source", is("account")).body("ownPlatform.webhookSecretSet", is(true));
        // An override Stripe rejects (echoing it), and a malformed one: refused, nothing kept.
        Api.json(Map.of("clientId", "ca_HygieneRejected03", "clientSecret", REJECTED_KEY)).put("/api/v1/accounts/hyg-rejected/connector")
                .then().statusCode(400);
        Api.json(Map.of("clientSecret", MALFORMED_KEY)).put("/api/v1/accounts/hyg-malformed/connector").then().statusCode(400);
        Api.api().get("/api/v1/accounts/hyg-own/connector").then().statusCode(200);
        Api.api().get("/api/v1/accounts?limit=10").then().statusCode(200);
    }

    private void connectAll() {
        // Stripe refuses codes first (echoing the code, and the full key), then grants.
        stripe.stubFor(token(CONSOLE_KEY).withRequestBody(containing("code=" + CODE_REFUSED))
                .willReturn(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Authorization code does not exist: "
                        + CODE_REFUSED + "\"}")));
        stripe.stubFor(token(CONSOLE_KEY).withRequestBody(containing("code=" + CODE_KEY_REJECTED))
                .willReturn(json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid API Key provided: "
                        + CONSOLE_KEY + "\"}")));
        callback("hyg-spare", CODE_REFUSED, false).then().statusCode(400).body(containsString("Stripe refused the connection"));
        callback("hyg-spare", CODE_KEY_REJECTED, false).then().statusCode(409);
        Api.api().get("/api/v1/accounts/hyg-spare/connector").then().statusCode(200).body("lastError.code", is("platform_key_rejected"));

        grantTokens(CONSOLE_KEY, CODE_CONSOLE, ACCESS_CONSOLE, REFRESH_CONSOLE, ACCT_CONSOLE);
        grantTokens(OVERRIDE_KEY, CODE_OWN, ACCESS_OWN, REFRESH_OWN, ACCT_OWN);
        grantTokens(CONSOLE_KEY, CODE_SPARE, ACCESS_SPARE, REFRESH_SPARE, ACCT_SPARE);
        callback("hyg-console", CODE_CONSOLE, true).then().statusCode(200).body(containsString("is connected"));
        callback("hyg-own", CODE_OWN, false).then().statusCode(200).body(containsString("is connected"));
        callback("hyg-spare", CODE_SPARE, false).then().statusCode(200).body(containsString("is connected"));
        // A person who declines, and a state used twice.
        String authorizeUrl = authorize("hyg-console");
        given().redirects().follow(false).queryParam("error", "access_denied")
                .queryParam("error_description", "The user denied your request").queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                .get("/connector/callback").then().statusCode(200);
        given().redirects().follow(false).queryParam("code", CODE_CONSOLE).queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                .get("/connector/callback").then().statusCode(400);
        for (String account : List.of("hyg-console", "hyg-own", "hyg-spare")) {
            Api.api().get("/api/v1/accounts/" + account + "/connector").then().statusCode(200).body("status", is("connected"));
        }
    }

    private void verifyIncludingStripeEchoingTheKey() {
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).atPriority(2).withHeader("Stripe-Account", equalTo(ACCT_CONSOLE))
                .willReturn(json(200, account(ACCT_CONSOLE))));
        Api.api().post("/api/v1/accounts/hyg-console/connector/verify").then().statusCode(200)
                .body("connection.account.businessName", is("Hygiene Coffee"));
        // Stripe rejects the key, quoting it in full.
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).atPriority(1).withHeader("Stripe-Account", equalTo(ACCT_CONSOLE))
                .willReturn(json(401, apiError(null, "Invalid API Key provided: " + CONSOLE_KEY))));
        Api.api().post("/api/v1/accounts/hyg-console/connector/verify").then().statusCode(409)
                .contentType("application/problem+json");
        // Stripe's words are kept (so the partner learns what to fix), with the key masked.
        Api.api().get("/api/v1/accounts/hyg-console/connector").then().statusCode(200)
                .body("lastError.code", is("platform_key_rejected")).body("status", is("connected"))
                .body("lastError.description", containsString("Invalid API Key provided: sk_test_****0QxZ"));
        // A permission error quoting the key.
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).atPriority(1).withHeader("Stripe-Account", equalTo(ACCT_CONSOLE))
                .willReturn(json(403, apiError(null, "The provided key '" + CONSOLE_KEY + "' does not have the required permissions for"
                        + " this endpoint on account '" + ACCT_CONSOLE + "'. Having the 'rak_account_read' permission would allow this"
                        + " request to continue."))));
        Api.api().post("/api/v1/accounts/hyg-console/connector/verify").then().statusCode(409);
        Api.api().get("/api/v1/accounts/hyg-console/connector").then().body("lastError.code", is("permission_missing"));
        // Stripe quoting webhook signing secrets: masked like keys, in the answer and in what is kept.
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).atPriority(1).withHeader("Stripe-Account", equalTo(ACCT_CONSOLE))
                .willReturn(json(403, apiError(null, "The provided key does not have the required permissions for the endpoints"
                        + " signed with " + TestKeys.WEBHOOK_SECRET + " and " + OWN_WEBHOOK_SECRET + "."))));
        Api.api().post("/api/v1/accounts/hyg-console/connector/verify").then().statusCode(409).body("detail", containsString("whsec_****"));
        Api.api().get("/api/v1/accounts/hyg-console/connector").then().body("lastError.code", is("permission_missing"))
                .body("lastError.description", containsString("signed with whsec_****"));
        // The account's own key, rejected and quoted.
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).atPriority(1).withHeader("Stripe-Account", equalTo(ACCT_OWN))
                .willReturn(json(401, apiError(null, "Invalid API Key provided: " + OVERRIDE_KEY))));
        Api.api().post("/api/v1/accounts/hyg-own/connector/verify").then().statusCode(409);
        stripe.verify(getRequestedFor(urlPathEqualTo("/v1/account")).withHeader("Authorization", equalTo("Bearer " + OVERRIDE_KEY)));
    }

    private void refreshIncludingStripeEchoingTheTokens() {
        stripe.stubFor(token(CONSOLE_KEY).withRequestBody(containing("refresh_token=" + REFRESH_CONSOLE))
                .willReturn(json(200, tokens(ROLLED_ACCESS, ROLLED_REFRESH, ACCT_CONSOLE))));
        Api.api().post("/api/v1/accounts/hyg-console/connector/refresh").then().statusCode(200).body("status", is("connected"));
        // Stripe rejects the platform key while refreshing, quoting it; then refuses the refresh token, quoting it.
        stripe.stubFor(token(CONSOLE_KEY).atPriority(1).withRequestBody(containing("refresh_token=" + REFRESH_SPARE))
                .willReturn(json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid API Key provided: " + CONSOLE_KEY
                        + "\"}")));
        Api.api().post("/api/v1/accounts/hyg-spare/connector/refresh").then().statusCode(409);
        stripe.stubFor(token(CONSOLE_KEY).atPriority(1).withRequestBody(containing("refresh_token=" + REFRESH_SPARE))
                .willReturn(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"The refresh token " + REFRESH_SPARE
                        + " does not exist or was revoked; access token " + ACCESS_SPARE + " too\"}")));
        Api.api().post("/api/v1/accounts/hyg-spare/connector/refresh").then().statusCode(409)
                .body("type", containsString("reconnect-needed"));
        Api.api().get("/api/v1/accounts/hyg-spare/connector").then().statusCode(200).body("status", is("error"))
                .body("lastError.description", containsString("rt_****"));
        // Stripe says the platform lost access to the spare account, quoting the key (the platform key itself works).
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).atPriority(1).withHeader("Stripe-Account", equalTo(ACCT_SPARE))
                .willReturn(json(403, apiError("account_invalid", "The provided key '" + CONSOLE_KEY + "' does not have access to account '"
                        + ACCT_SPARE + "' (or that account does not exist). Application access may have been revoked."))));
        Api.api().post("/api/v1/accounts/hyg-spare/connector/verify").then().statusCode(200).body("status", is("revoked"));
    }

    private void proxy() {
        stripe.stubFor(get(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("Request-Id", "req_Hygiene1")
                .withBody(StripeStubs.fixture("customers.json"))));
        stripe.stubFor(post(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(StripeStubs.fixture("customer-created.json"))));
        Api.api().get("/api/v1/accounts/hyg-console/stripe/v1/customers?limit=3").then().statusCode(200)
                .body(containsString("jenny.rosen@example.com"));
        Api.api().header("Idempotency-Key", "hygiene-1").contentType("application/x-www-form-urlencoded")
                .body("email=jenny.rosen%40example.com").post("/api/v1/accounts/hyg-console/stripe/v1/customers").then().statusCode(200);
        Api.api().get("/api/v1/accounts/hyg-own/stripe/v1/customers").then().statusCode(200);
        stripe.verify(getRequestedFor(urlPathEqualTo("/v1/customers")).withHeader("Authorization", equalTo("Bearer " + CONSOLE_KEY))
                .withHeader("Stripe-Account", equalTo(ACCT_CONSOLE)));
        stripe.verify(getRequestedFor(urlPathEqualTo("/v1/customers")).withHeader("Authorization", equalTo("Bearer " + OVERRIDE_KEY))
                .withHeader("Stripe-Account", equalTo(ACCT_OWN)));
        // Stripe's own error passes through as it is: Stripe masks keys in its messages itself.
        stripe.stubFor(get(urlPathEqualTo("/v1/balance")).willReturn(json(401,
                apiError(null, "Invalid API Key provided: sk_test_********" + CONSOLE_KEY.substring(CONSOLE_KEY.length() - 4)))));
        Api.api().get("/api/v1/accounts/hyg-console/stripe/v1/balance").then().statusCode(401);
        // A Stripe that quotes the key unmasked: the proxy's caller must still never see the platform's key
        // ("your service never holds a Stripe secret", docs/api.md).
        stripe.stubFor(get(urlPathEqualTo("/v1/payouts")).willReturn(json(401, apiError(null, "Invalid API Key provided: " + CONSOLE_KEY))));
        Api.api().get("/api/v1/accounts/hyg-console/stripe/v1/payouts").then().statusCode(401);
        // Not connected, and a caller sending a key of its own: neither is echoed.
        Api.api().get("/api/v1/accounts/hyg-spare/stripe/v1/customers").then().statusCode(409);
    }

    /** Stripe failing underneath every call: the paths that log warnings and errors carry no secret either. */
    private void faults() {
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).atPriority(1).withHeader("Stripe-Account", equalTo(ACCT_CONSOLE))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Api.api().post("/api/v1/accounts/hyg-console/connector/verify").then().statusCode(502);
        stripe.stubFor(get(urlPathEqualTo("/v1/charges")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Api.api().get("/api/v1/accounts/hyg-console/stripe/v1/charges").then().statusCode(502);
        stripe.stubFor(post(urlPathEqualTo("/v1/refunds")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody(StripeStubs.fixture("api-error-500.json"))));
        // Stripe's own 500 comes back as 502 with Stripe's body (docs/api.md), the POST sent once.
        Api.api().contentType("application/x-www-form-urlencoded").body("charge=ch_1").post("/api/v1/accounts/hyg-console/stripe/v1/refunds")
                .then().statusCode(502).body(containsString("api_error"));
        Api.update("update account_connector set tokens_refreshed_at = now() - interval '1 minute' where account_id = 'hyg-console'");
        stripe.stubFor(token(CONSOLE_KEY).atPriority(1).withRequestBody(containing("refresh_token=" + ROLLED_REFRESH))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Api.api().post("/api/v1/accounts/hyg-console/connector/refresh").then().statusCode(502);
        stripe.stubFor(token(CONSOLE_KEY).atPriority(1).withRequestBody(containing("refresh_token=" + ROLLED_REFRESH))
                .willReturn(json(200, "{\"access_token\":\"" + ROLLED_ACCESS + "\",\"stripe_user_id\":\"" + "acct_" + "X".repeat(300) + "\"}")));
        Api.api().post("/api/v1/accounts/hyg-console/connector/refresh").then().statusCode(502);
        Api.json(Map.of("name", "Hygiene fault")).put("/api/v1/accounts/hyg-fault/connector").then().statusCode(201);
        stripe.stubFor(token(CONSOLE_KEY).withRequestBody(containing("code=" + CODE_FAULT)).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        callback("hyg-fault", CODE_FAULT, false).then().statusCode(502);
        Api.api().delete("/api/v1/accounts/hyg-fault/connector").then().statusCode(200);
    }

    private void credentials() {
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/hyg-console/connector/credentials")
                .then().statusCode(200).body("accessToken", is(ROLLED_ACCESS)).header("Cache-Control", "no-store");
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/hyg-own/connector/credentials")
                .then().statusCode(200).body("accessToken", is(ACCESS_OWN));
        Api.api().get("/api/v1/accounts/hyg-console/connector/credentials").then().statusCode(403);
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/hyg-spare/connector/credentials")
                .then().statusCode(409);
    }

    private void webhooks() {
        long t = Instant.now().getEpochSecond();
        String own = Webhooks.deauthorized("evt_1HygieneOwn", ACCT_OWN, OWN_CLIENT);
        given().contentType("application/json").header("Stripe-Signature", "t=" + t + ",v1=" + "0".repeat(64)).body(own)
                .post("/webhooks/stripe/" + OWN_CLIENT).then().statusCode(400);
        given().contentType("application/json").header("Stripe-Signature", "t=" + t + ",v1=" + Webhooks.sign(OWN_WEBHOOK_SECRET, t, own))
                .body(own).post("/webhooks/stripe/" + OWN_CLIENT).then().statusCode(200).body("result", is("handled"));
        Api.api().get("/api/v1/accounts/hyg-own/connector").then().body("status", is("revoked"));
        String spare = Webhooks.deauthorized("evt_1HygieneSpare", ACCT_SPARE, CONSOLE_CLIENT);
        Webhooks.signed(spare).post("/webhooks/stripe").then().statusCode(200);
        Webhooks.signed(spare).post("/webhooks/stripe").then().statusCode(200).body("result", is("duplicate"));
        given().contentType("application/json").header("Stripe-Signature", "t=" + (t - 3600) + ",v1="
                + Webhooks.sign(TestKeys.WEBHOOK_SECRET, t - 3600, spare)).body(spare).post("/webhooks/stripe").then().statusCode(400);
    }

    private void errorPaths() {
        given().header("Authorization", "Bearer " + TestKeys.API_KEY + "x").get("/api/v1/connector").then().statusCode(401);
        given().header("Authorization", TestKeys.API_KEY).get("/api/v1/connector").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY.substring(0, 12)).get("/api/v1/connector").then().statusCode(401);
        Api.json("{\"clientSecret\":\"" + CONSOLE_KEY + "\",\"clientSecret\":42}").put("/api/v1/connector").then().statusCode(400);
        Api.json("{\"clientSecret\":\"" + CONSOLE_KEY + "\u0000\"}").put("/api/v1/connector").then().statusCode(400);
        Api.json("{\"clientSecret\":[\"" + OVERRIDE_KEY + "\"]}").put("/api/v1/accounts/hyg-own/connector").then().statusCode(400);
        Api.json("{\"webhookSecret\":\"" + OWN_WEBHOOK_SECRET + "x!\"}").put("/api/v1/accounts/hyg-own/connector").then().statusCode(400);
        Api.json("{\"unknown\":\"" + CONSOLE_KEY + "\"}").put("/api/v1/accounts/hyg-own/connector").then().statusCode(400);
        Api.json("{\"clientSecret\":\"" + OVERRIDE_KEY + "\"").put("/api/v1/accounts/hyg-own/connector").then().statusCode(400);
        Api.api().post("/api/v1/accounts/hyg-spare/connector/refresh").then().statusCode(409);
        Api.api().post("/api/v1/accounts/nobody/connector/verify").then().statusCode(404);
        given().queryParam("code", CODE_CONSOLE).queryParam("state", "x".repeat(43)).get("/connector/callback").then().statusCode(400);
        given().redirects().follow(false).get("/connector/setup/" + "y".repeat(43)).then().statusCode(404);
    }

    private void disconnect() {
        // Stripe refuses the deauthorization, quoting the key: nothing removed, nothing shown.
        stripe.stubFor(post(urlPathEqualTo("/oauth/deauthorize")).atPriority(1)
                .willReturn(json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid API Key provided: " + CONSOLE_KEY + "\"}")));
        Api.api().delete("/api/v1/accounts/hyg-console/connector").then().statusCode(409);
        stripe.stubFor(post(urlPathEqualTo("/oauth/deauthorize")).atPriority(1).withRequestBody(containing("stripe_user_id=" + ACCT_CONSOLE))
                .willReturn(json(200, "{\"stripe_user_id\":\"" + ACCT_CONSOLE + "\"}")));
        Api.api().delete("/api/v1/accounts/hyg-console/connector").then().statusCode(200).body("stripeNotified", is(true));
        stripe.verify(postRequestedFor(urlPathEqualTo("/oauth/deauthorize")).withHeader("Authorization", equalTo("Bearer " + CONSOLE_KEY)));
        Api.api().delete("/api/v1/accounts/hyg-own/connector").then().statusCode(200);
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/hyg-console/connector/credentials")
                .then().statusCode(404);
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------

    /** Authorizes {@code accountId}, opens its setup link, and comes back from Stripe with {@code code}. */
    private Response callback(String accountId, String code, boolean openSetupLink) {
        String authorizeUrl = authorize(accountId);
        String state = StripeStubs.param(authorizeUrl, "state");
        if (openSetupLink) {
            String setupUrl = lastSetupUrl;
            given().redirects().follow(false).get(setupUrl.substring(setupUrl.indexOf("/connector/setup/"))).then().statusCode(302)
                    .header("Location", startsWith("http"));
        }
        return given().redirects().follow(false).queryParam("code", code).queryParam("scope", "read_write").queryParam("state", state)
                .get("/connector/callback");
    }

    private String lastSetupUrl;

    private String authorize(String accountId) {
        Response links = Api.json(Map.of("returnUrl", TestKeys.RETURN_URL_PREFIX + "/x")).post("/api/v1/accounts/" + accountId
                + "/connector/authorize");
        links.then().statusCode(200);
        String authorizeUrl = links.path("authorizeUrl");
        lastSetupUrl = links.path("setupUrl");
        issuedTokens.add(StripeStubs.param(authorizeUrl, "state"));
        issuedTokens.add(lastSetupUrl.substring(lastSetupUrl.lastIndexOf('/') + 1));
        // Without a returnUrl the callback answers a page: the later callbacks of this test read it.
        Response plain = Api.json("{}").post("/api/v1/accounts/" + accountId + "/connector/authorize");
        plain.then().statusCode(200);
        String plainUrl = plain.path("authorizeUrl");
        lastSetupUrl = plain.path("setupUrl");
        issuedTokens.add(StripeStubs.param(plainUrl, "state"));
        issuedTokens.add(lastSetupUrl.substring(lastSetupUrl.lastIndexOf('/') + 1));
        return plainUrl;
    }

    private void grantTokens(String key, String code, String access, String refresh, String stripeUserId) {
        stripe.stubFor(token(key).withRequestBody(containing("code=" + code)).willReturn(json(200, tokens(access, refresh, stripeUserId))));
    }

    private static MappingBuilder token(String key) {
        return post(urlPathEqualTo("/oauth/token")).withHeader("Authorization", equalTo("Bearer " + key));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String tokens(String access, String refresh, String stripeUserId) {
        return "{\"access_token\":\"" + access + "\",\"livemode\":false,\"refresh_token\":\"" + refresh + "\",\"token_type\":\"bearer\","
                + "\"stripe_publishable_key\":\"pk_test_HygienePublishable1\",\"stripe_user_id\":\"" + stripeUserId + "\",\"scope\":\"read_write\"}";
    }

    private static String account(String id) {
        return "{\"id\":\"" + id + "\",\"object\":\"account\",\"business_profile\":{\"name\":\"Hygiene Coffee\"},\"charges_enabled\":true,"
                + "\"payouts_enabled\":true,\"country\":\"DE\",\"email\":\"owner@hygiene.example\"}";
    }

    private static String apiError(String code, String message) {
        return "{\"error\":{" + (code == null ? "" : "\"code\":\"" + code + "\",") + "\"type\":\"invalid_request_error\",\"message\":\""
                + message + "\"}}";
    }

    private static org.hamcrest.Matcher<Object> is(Object value) {
        return org.hamcrest.Matchers.equalTo(value);
    }

    private static boolean isTestInfrastructure(String logger) {
        // WireMock plays Stripe in this JVM; its own records are not the service's.
        return logger != null && (logger.startsWith("com.github.tomakehurst") || logger.startsWith("wiremock")
                || logger.startsWith("org.eclipse.jetty"));
    }

    /** Which of {@code secrets} occur in {@code text} (with {@code encoded}: also as base64 or hex). */
    private static List<String> found(String text, Iterable<String> secrets, boolean encoded) {
        List<String> out = new ArrayList<>();
        for (String secret : secrets) {
            for (String form : encoded ? Leaks.encodings(secret) : Set.of(secret)) {
                if (text.contains(form)) {
                    out.add(secret);
                    break;
                }
            }
        }
        return out;
    }

    /** Where each secret occurs, with the secret itself blanked out, so the failure message leaks nothing. */
    private static String excerpts(String text, List<String> secrets) {
        StringBuilder out = new StringBuilder();
        for (String secret : secrets) {
            for (String form : Leaks.encodings(secret)) {
                int at = text.indexOf(form);
                if (at >= 0) {
                    String around = text.substring(Math.max(0, at - 160), Math.min(text.length(), at + form.length() + 80));
                    out.append("  ").append(Leaks.name(secret)).append(": …")
                            .append(around.replace(form, "<" + Leaks.name(secret) + ">").replace('\n', ' ')).append("…\n");
                    break;
                }
            }
        }
        return out.toString();
    }

    /** Every table of the database, every column as text. */
    private static String dumpEveryTable() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = PostgresResource.connection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select table_name from information_schema.tables"
                    + " where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("connector_settings", "account_connector", "authorization_request", "platform_webhook");
            for (String table : tables) {
                out.append("== ").append(table).append('\n');
                try (ResultSet rs = s.executeQuery("select * from \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            out.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append('|');
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    /** The columns that hold secrets hold {@code v1:} ciphertext (and, while connected, are filled). */
    private static void assertSecretColumnsHoldCiphertext(boolean whileConnected) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("console key", Api.queryString("select client_secret from connector_settings"));
        if (whileConnected) {
            values.put("account override key", Api.queryString("select client_secret from account_connector where account_id = 'hyg-own'"));
            for (String account : List.of("hyg-console", "hyg-own", "hyg-spare")) {
                values.put("access token of " + account, Api.queryString("select access_token from account_connector where account_id = ?", account));
                values.put("refresh token of " + account, Api.queryString("select refresh_token from account_connector where account_id = ?", account));
            }
            values.put("platform webhook secret", Api.queryString("select signing_secret from platform_webhook where client_id = ?", OWN_CLIENT));
        }
        values.forEach((what, value) -> assertThat(value).as(what).isNotNull().startsWith("v1:"));
        for (String column : List.of("client_secret", "access_token", "refresh_token")) {
            assertThat(Api.queryString("select count(*) from account_connector where " + column + " is not null and " + column
                    + " not like 'v1:%'")).as("account_connector.%s values that are not v1: ciphertext", column).isEqualTo("0");
        }
        assertThat(Api.queryString("select count(*) from platform_webhook where signing_secret not like 'v1:%'"
                + " or (previous_signing_secret is not null and previous_signing_secret not like 'v1:%')")).isEqualTo("0");
    }
}
