package dev.stripeconnector.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static dev.stripeconnector.support.StripeStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every call the connector makes to Stripe × every kind of answer Stripe can give: the status or
 * page the caller gets, what is stored afterwards, and how many requests Stripe received. Only a
 * real revocation or a refused refresh grant changes a connection; nothing Stripe says in error
 * wipes tokens; no answer is a 500.
 */
@QuarkusTest
class StripeFaultMatrixTest {

    static final String ACCOUNT = "fault-matrix";
    static final String NEW_KEY = "sk_test_ReplacementKey7777";

    @InjectWireMock
    WireMockServer stripe;

    @jakarta.inject.Inject
    dev.stripeconnector.crypto.SecretCipher cipher;

    /** The connector's calls to Stripe. */
    enum Call {
        /** The OAuth callback's code exchange ({@code POST /oauth/token}). */
        CALLBACK,
        /** Refresh ({@code POST /oauth/token}, refresh_token). */
        REFRESH,
        /** Verify ({@code GET /v1/account} with Stripe-Account). */
        VERIFY,
        /** Disconnect ({@code POST /oauth/deauthorize}). */
        DISCONNECT,
        /** A new console key checked against Stripe ({@code GET /v1/account} without Stripe-Account). */
        CONSOLE_KEY,
        /** A proxied {@code GET /v1/customers}. */
        PROXY_GET;

        boolean oauth() {
            return this == CALLBACK || this == REFRESH || this == DISCONNECT;
        }
    }

    /** What Stripe answers. */
    enum Answer {
        OK, HTML, TEXT_PLAIN, EMPTY_BODY, EMPTY_OBJECT, OVERLONG_VALUE, KEY_REJECTED, PERMISSION, ACCOUNT_INVALID, GRANT_REFUSED,
        OVERLONG_ERROR, RATE_LIMITED, SERVER_ERROR, SERVER_ERROR_NO_RETRY, TIMEOUT, RESET, EMPTY_RESPONSE
    }

    /** How the connector must understand the answer (the proxy passes answers through instead). */
    enum Meaning {
        SUCCESS, NONSENSE, KEY_REJECTED, PERMISSION_MISSING, ACCESS_REVOKED, GRANT_REFUSED, RATE_LIMITED, UNAVAILABLE
    }

    static Meaning meaning(Call call, Answer answer) {
        return switch (answer) {
            case OK -> Meaning.SUCCESS;
            case HTML, TEXT_PLAIN, EMPTY_BODY, EMPTY_OBJECT, OVERLONG_VALUE, OVERLONG_ERROR -> Meaning.NONSENSE;
            case KEY_REJECTED -> Meaning.KEY_REJECTED;
            // OAuth endpoints answer {"error": "..."}: an API-shaped error there is undocumented.
            case PERMISSION -> call.oauth() ? Meaning.NONSENSE : Meaning.PERMISSION_MISSING;
            case ACCOUNT_INVALID -> call.oauth() ? Meaning.NONSENSE : Meaning.ACCESS_REVOKED;
            case GRANT_REFUSED -> call.oauth() ? Meaning.GRANT_REFUSED : Meaning.NONSENSE;
            case RATE_LIMITED -> Meaning.RATE_LIMITED;
            case SERVER_ERROR, SERVER_ERROR_NO_RETRY, TIMEOUT, RESET, EMPTY_RESPONSE -> Meaning.UNAVAILABLE;
        };
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Call call : Call.values()) {
            for (Answer answer : Answer.values()) {
                cases.add(Arguments.of(call, answer));
            }
        }
        return cases.stream();
    }

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        Api.update("delete from credential_read");
        Api.update("delete from webhook_event");
        stripe.resetAll();
        Flows.consoleSetup();
    }

    @ParameterizedTest(name = "{0} answered {1}")
    @MethodSource("matrix")
    void everyAnswerOfStripeHasOneMeaning(Call call, Answer answer) {
        String state = null;
        if (call == Call.CALLBACK) {
            json(Map.of("name", "Matrix shop")).put("/api/v1/accounts/" + ACCOUNT + "/connector").then().statusCode(201);
            String authorizeUrl = json("{}").post("/api/v1/accounts/" + ACCOUNT + "/connector/authorize").then()
                    .statusCode(200).extract().path("authorizeUrl");
            state = StripeStubs.param(authorizeUrl, "state");
        } else {
            Flows.connect(stripe, ACCOUNT);
        }
        String accessTokenBefore = token();
        stripe.resetAll();
        stub(call, answer);

        Response response = switch (call) {
            case CALLBACK -> given().redirects().follow(false).queryParam("code", "ac_MatrixCode1").queryParam("state", state)
                    .get("/connector/callback");
            case REFRESH -> api().post("/api/v1/accounts/" + ACCOUNT + "/connector/refresh");
            case VERIFY -> api().post("/api/v1/accounts/" + ACCOUNT + "/connector/verify");
            case DISCONNECT -> api().delete("/api/v1/accounts/" + ACCOUNT + "/connector");
            case CONSOLE_KEY -> json(Map.of("clientSecret", NEW_KEY)).put("/api/v1/connector");
            case PROXY_GET -> api().get("/api/v1/accounts/" + ACCOUNT + "/stripe/v1/customers");
        };
        String what = call + " answered " + answer + ": " + response.statusCode() + " " + response.asString();
        assertThat(response.statusCode()).as("never a 500: " + what).isNotEqualTo(500);
        assertThat(response.asString()).as(what).doesNotContain("Exception").doesNotContain("at dev.").doesNotContain(Flows.SECRET);

        if (call == Call.PROXY_GET) {
            expectPassThrough(answer, response, what);
            return;
        }
        if (call != Call.CALLBACK && response.statusCode() >= 400) {
            assertThat(response.contentType()).as(what).startsWith("application/problem+json");
        }
        Meaning meaning = meaning(call, answer);
        switch (call) {
            case CALLBACK -> expectCallback(meaning, response, what);
            case REFRESH -> expectRefresh(meaning, response, accessTokenBefore, what);
            case VERIFY -> expectVerify(meaning, response, accessTokenBefore, what);
            case DISCONNECT -> expectDisconnect(meaning, response, what);
            case CONSOLE_KEY -> expectConsoleKey(meaning, answer, response, what);
            default -> throw new IllegalStateException();
        }
        assertThat(requestsAt(call)).as("requests Stripe received: " + what).isBetween(1, expectedAttempts(call, answer));
        if (exactAttempts(call, answer)) {
            assertThat(requestsAt(call)).as("requests Stripe received: " + what).isEqualTo(expectedAttempts(call, answer));
        }
    }

    /**
     * A refresh answer is about the connection it rolled: one that names another Stripe account or
     * the other mode would make the credentials open a different account. It is nonsense like any
     * other, and nothing of it is kept.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"token-refreshed-other-account.json", "token-refreshed-livemode.json"})
    void aRefreshAnswerForAnotherAccountOrModeIsNonsenseAndNothingIsStored(String answer) {
        Flows.connect(stripe, ACCOUNT);
        String accessTokenBefore = token();
        String refreshTokenBefore = cipher.decrypt(stored("refresh_token"));
        stub(Call.REFRESH, Answer.EMPTY_OBJECT);
        String otherNonsense = api().post("/api/v1/accounts/" + ACCOUNT + "/connector/refresh").then().extract().path("type");
        String eventsBefore = Api.queryString("select count(*) from connector_event where account_id = ?", ACCOUNT);
        stripe.resetAll();
        StripeStubs.tokenAnswers(stripe, 200, answer);

        Response response = api().post("/api/v1/accounts/" + ACCOUNT + "/connector/refresh");

        String what = answer + ": " + response.statusCode() + " " + response.asString();
        expectProblem(Meaning.NONSENSE, response, what);
        assertThat(response.contentType()).as(what).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("type")).as("the same answer as other nonsense: " + what).isEqualTo(otherNonsense);
        assertThat(response.jsonPath().getString("detail")).as(what).containsAnyOf("another Stripe account", "live mode")
                .doesNotContain("sk_live_", "sk_test_");
        assertThat(requestsAt(Call.REFRESH)).as("requests Stripe received: " + what).isEqualTo(1);
        assertThat(status()).as(what).isEqualTo("CONNECTED");
        assertThat(token()).as("the connection's own token is kept: " + what).isEqualTo(accessTokenBefore);
        assertThat(cipher.decrypt(stored("refresh_token"))).as(what).isEqualTo(refreshTokenBefore);
        assertThat(stored("stripe_user_id")).as(what).isEqualTo(Flows.STRIPE_USER_ID);
        assertThat(stored("refresh_lease_owner")).as("the lease is released").isNull();
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/" + ACCOUNT + "/connector/credentials")
                .then().statusCode(200).body("stripeUserId", org.hamcrest.Matchers.equalTo(Flows.STRIPE_USER_ID))
                .body("livemode", org.hamcrest.Matchers.equalTo(false)).body("accessToken", org.hamcrest.Matchers.equalTo(accessTokenBefore));
        assertThat(Api.queryString("select count(*) from connector_event where account_id = ?", ACCOUNT))
                .as("no event: nothing changed").isEqualTo(eventsBefore);
    }

    // ---- what each call must do ----

    void expectCallback(Meaning meaning, Response response, String what) {
        switch (meaning) {
            case SUCCESS -> {
                assertThat(response.statusCode()).as(what).isEqualTo(200);
                assertThat(response.asString()).contains("Your Stripe account is connected");
                assertThat(status()).isEqualTo("CONNECTED");
            }
            case GRANT_REFUSED -> {
                assertThat(response.statusCode()).as(what).isEqualTo(400);
                assertThat(status()).isEqualTo("ERROR");
            }
            case KEY_REJECTED -> {
                assertThat(response.statusCode()).as(what).isEqualTo(409);
                assertThat(response.asString()).contains("tell the team that sent you this link");
                assertThat(status()).isEqualTo("PENDING");
                assertThat(stored("last_error")).isEqualTo("platform_key_rejected");
            }
            default -> {
                assertThat(response.statusCode()).as(what).isEqualTo(502);
                assertThat(response.asString()).contains("Stripe could not be reached");
                assertThat(status()).isEqualTo("PENDING");
                assertThat(stored("last_error")).isNull();
            }
        }
        assertThat(response.contentType()).startsWith("text/html");
        if (meaning != Meaning.SUCCESS) {
            assertThat(stored("access_token")).as(what).isNull();
        }
    }

    void expectRefresh(Meaning meaning, Response response, String tokenBefore, String what) {
        switch (meaning) {
            case SUCCESS -> {
                assertThat(response.statusCode()).as(what).isEqualTo(200);
                assertThat(stored("access_token")).startsWith("v1:");
                assertThat(token()).isNotEqualTo(tokenBefore);
                assertThat(status()).isEqualTo("CONNECTED");
            }
            case GRANT_REFUSED -> {
                assertThat(response.statusCode()).as(what).isEqualTo(409);
                assertThat(response.jsonPath().getString("type")).endsWith("/reconnect-needed");
                assertThat(status()).as("a refused refresh grant is the one refresh answer that changes the status").isEqualTo("ERROR");
                assertThat(token()).as("tokens stay encrypted").isEqualTo(tokenBefore);
            }
            default -> {
                expectProblem(meaning, response, what);
                assertThat(status()).as(what).isEqualTo("CONNECTED");
                assertThat(token()).as(what).isEqualTo(tokenBefore);
                assertThat(stored("refresh_lease_owner")).as("the lease is released").isNull();
            }
        }
    }

    void expectVerify(Meaning meaning, Response response, String tokenBefore, String what) {
        switch (meaning) {
            case SUCCESS -> {
                assertThat(response.statusCode()).as(what).isEqualTo(200);
                assertThat(response.jsonPath().getString("connection.account.businessName")).isEqualTo("Walkthrough Coffee Roasters");
                assertThat(status()).isEqualTo("CONNECTED");
            }
            case ACCESS_REVOKED -> {
                assertThat(response.statusCode()).as(what).isEqualTo(200);
                assertThat(response.jsonPath().getString("status")).isEqualTo("revoked");
                assertThat(status()).isEqualTo("REVOKED");
                // Confirmed by the platform key's own account working, and the tokens stay encrypted.
                stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", absent()));
            }
            default -> {
                expectProblem(meaning, response, what);
                assertThat(status()).as("nothing but a confirmed revocation changes the status: " + what).isEqualTo("CONNECTED");
                String error = stored("last_error");
                switch (meaning) {
                    case KEY_REJECTED -> assertThat(error).as(what).isEqualTo("platform_key_rejected");
                    case PERMISSION_MISSING -> assertThat(error).as(what).isEqualTo("permission_missing");
                    default -> assertThat(error).as(what).isNull();
                }
            }
        }
        assertThat(token()).as("verify never wipes tokens: " + what).isEqualTo(tokenBefore);
    }

    void expectDisconnect(Meaning meaning, Response response, String what) {
        if (meaning == Meaning.SUCCESS) {
            assertThat(response.statusCode()).as(what).isEqualTo(200);
            assertThat(response.jsonPath().getBoolean("stripeNotified")).isTrue();
            assertThat(Api.queryString("select count(*) from account_connector where account_id = ?", ACCOUNT)).isEqualTo("0");
            return;
        }
        if (meaning == Meaning.GRANT_REFUSED) {
            assertThat(response.statusCode()).as(what).isEqualTo(409);
        } else {
            expectProblem(meaning, response, what);
        }
        assertThat(response.jsonPath().getString("detail")).as(what).contains("nothing was removed").contains("force=true");
        assertThat(status()).as("nothing is removed unless Stripe confirms: " + what).isEqualTo("CONNECTED");
        assertThat(stored("access_token")).as(what).startsWith("v1:");
    }

    void expectConsoleKey(Meaning meaning, Answer answer, Response response, String what) {
        String keyAfter = api().get("/api/v1/connector").then().extract().path("clientSecret.last4");
        boolean saved = "7777".equals(keyAfter);
        switch (meaning) {
            case SUCCESS -> {
                assertThat(response.statusCode()).as(what).isEqualTo(200);
                assertThat(saved).as(what).isTrue();
            }
            case PERMISSION_MISSING -> {
                // A restricted key that may not read its own account cannot be tied to a platform, and a
                // connection of a known platform depends on the console's key (PlatformGuardsTest: without one, it is saved).
                assertThat(response.statusCode()).as(what).isEqualTo(409);
                assertThat(response.jsonPath().getString("type")).as(what).endsWith("/settings-in-use");
                assertThat(response.jsonPath().getString("detail")).as(what).contains("cannot tie to a platform");
                assertThat(saved).as(what).isFalse();
            }
            case KEY_REJECTED, ACCESS_REVOKED -> {
                assertThat(response.statusCode()).as(what).isEqualTo(400);
                assertThat(response.jsonPath().getString("errors[0].field")).isEqualTo("clientSecret");
                assertThat(saved).as(what).isFalse();
            }
            default -> {
                expectProblem(meaning, response, what);
                assertThat(saved).as("nothing is saved unless Stripe answered: " + what).isFalse();
            }
        }
        assertThat(answer).isNotNull();
    }

    void expectPassThrough(Answer answer, Response response, String what) {
        switch (answer) {
            case TIMEOUT, RESET, EMPTY_RESPONSE -> {
                assertThat(response.statusCode()).as(what).isEqualTo(502);
                assertThat(response.contentType()).startsWith("application/problem+json");
            }
            case OK, HTML, TEXT_PLAIN, EMPTY_BODY, EMPTY_OBJECT, OVERLONG_VALUE -> assertThat(response.statusCode()).as(what).isEqualTo(200);
            case KEY_REJECTED -> assertThat(response.statusCode()).as(what).isEqualTo(401);
            case PERMISSION, ACCOUNT_INVALID, OVERLONG_ERROR -> assertThat(response.statusCode()).as(what).isEqualTo(403);
            case GRANT_REFUSED -> assertThat(response.statusCode()).as(what).isEqualTo(400);
            case RATE_LIMITED -> assertThat(response.statusCode()).as(what).isEqualTo(429);
            // Stripe's own 500 comes back as 502 (Bad Gateway), with Stripe's body: a 500 is always a bug of this service.
            case SERVER_ERROR -> assertThat(response.statusCode()).as(what).isEqualTo(502);
            case SERVER_ERROR_NO_RETRY -> assertThat(response.statusCode()).as(what).isEqualTo(503);
        }
        int requests = requestsAt(Call.PROXY_GET);
        assertThat(requests).as("requests Stripe received: " + what).isBetween(1, expectedAttempts(Call.PROXY_GET, answer));
        if (exactAttempts(Call.PROXY_GET, answer)) {
            assertThat(requests).as("requests Stripe received: " + what).isEqualTo(expectedAttempts(Call.PROXY_GET, answer));
        }
        assertThat(status()).isEqualTo("CONNECTED");
    }

    static void expectProblem(Meaning meaning, Response response, String what) {
        switch (meaning) {
            case NONSENSE, UNAVAILABLE -> assertThat(response.statusCode()).as(what).isEqualTo(502);
            case RATE_LIMITED -> {
                assertThat(response.statusCode()).as(what).isEqualTo(503);
                assertThat(response.header("Retry-After")).as(what).isNotNull();
            }
            case KEY_REJECTED, PERMISSION_MISSING -> assertThat(response.statusCode()).as(what).isEqualTo(409);
            default -> throw new AssertionError("no problem expected for " + meaning + ": " + what);
        }
    }

    // ---- how many requests Stripe may receive ----

    /** The most attempts the policy allows: reads and deauthorize 3, a code exchange 1, a refresh 3 only when rate-limited. */
    static int expectedAttempts(Call call, Answer answer) {
        boolean retriable = answer == Answer.RATE_LIMITED || answer == Answer.SERVER_ERROR || answer == Answer.TIMEOUT
                || answer == Answer.RESET || answer == Answer.EMPTY_RESPONSE;
        return switch (call) {
            case CALLBACK -> 1;
            case REFRESH -> answer == Answer.RATE_LIMITED ? 3 : 1;
            default -> retriable ? 3 : 1;
        };
    }

    /** Timeouts are cut by the deadline, so their count is only bounded. */
    static boolean exactAttempts(Call call, Answer answer) {
        return answer != Answer.TIMEOUT;
    }

    int requestsAt(Call call) {
        RequestPatternBuilder pattern = switch (call) {
            case CALLBACK, REFRESH -> postRequestedFor(urlPathEqualTo("/oauth/token"));
            case DISCONNECT -> postRequestedFor(urlPathEqualTo("/oauth/deauthorize"));
            case VERIFY -> getRequestedFor(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", matching(".+"));
            case CONSOLE_KEY -> getRequestedFor(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", absent());
            case PROXY_GET -> getRequestedFor(urlPathEqualTo("/v1/customers"));
        };
        return stripe.findAll(pattern).size();
    }

    // ---- Stripe's answers ----

    void stub(Call call, Answer answer) {
        MappingBuilder request = switch (call) {
            case CALLBACK, REFRESH -> post(urlPathEqualTo("/oauth/token"));
            case DISCONNECT -> post(urlPathEqualTo("/oauth/deauthorize"));
            case VERIFY -> get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", matching(".+"));
            case CONSOLE_KEY -> get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", absent());
            case PROXY_GET -> get(urlPathEqualTo("/v1/customers"));
        };
        stripe.stubFor(request.willReturn(answer(call, answer)));
    }

    static ResponseDefinitionBuilder jsonAnswer(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static ResponseDefinitionBuilder answer(Call call, Answer answer) {
        String longText = "x".repeat(300);
        return switch (answer) {
            case OK -> jsonAnswer(200, switch (call) {
                case CALLBACK -> fixture("token-success.json");
                case REFRESH -> fixture("token-refreshed.json");
                case DISCONNECT -> fixture("deauthorize-success.json");
                case VERIFY -> fixture("account.json");
                case CONSOLE_KEY -> "{\"id\":\"" + Flows.PLATFORM_ACCOUNT + "\",\"object\":\"account\"}";
                case PROXY_GET -> fixture("customers.json");
            });
            case HTML -> aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html><body>Maintenance</body></html>");
            // A 200 that is not JSON at all: an answer that makes no sense, not a missing one (never retried).
            case TEXT_PLAIN -> aResponse().withStatus(200).withHeader("Content-Type", "text/plain").withBody("OK");
            case EMPTY_BODY -> aResponse().withStatus(200).withHeader("Content-Type", "application/json");
            case EMPTY_OBJECT -> jsonAnswer(200, "{}");
            case OVERLONG_VALUE -> jsonAnswer(200, switch (call) {
                case CALLBACK, REFRESH -> fixture("token-success.json").replace("acct_1ConnectedAcct0001", "acct_1" + "A".repeat(300));
                case DISCONNECT -> "{\"stripe_user_id\":\"acct_1" + "A".repeat(300) + "\"}";
                case VERIFY -> fixture("account.json").replace("Walkthrough Coffee Roasters", longText);
                case CONSOLE_KEY -> "{\"id\":\"acct_1" + "A".repeat(300) + "\"}";
                case PROXY_GET -> "{\"object\":\"list\",\"data\":[{\"name\":\"" + longText + "\"}]}";
            });
            case KEY_REJECTED -> call.oauth()
                    ? jsonAnswer(401, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid API Key provided: sk_test_****9999\"}")
                    : jsonAnswer(401, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid API Key provided: sk_test_********9999\"}}");
            case PERMISSION -> jsonAnswer(403, "{\"error\":{\"type\":\"permission_error\",\"message\":\"The provided key 'rk_test_****9999' does not"
                    + " have the required permissions for this endpoint on account 'acct_1ConnectedAcct0001'.\"}}");
            case ACCOUNT_INVALID -> jsonAnswer(403, fixture("account-revoked.json"));
            case GRANT_REFUSED -> call.oauth() ? jsonAnswer(400, fixture("token-invalid-grant.json"))
                    : jsonAnswer(400, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"resource_missing\",\"message\":\"No such thing\"}}");
            case OVERLONG_ERROR -> call.oauth()
                    ? jsonAnswer(400, "{\"error\":\"invalid_grant\",\"error_description\":\"" + "y".repeat(2000) + "\"}")
                    : jsonAnswer(403, "{\"error\":{\"type\":\"permission_error\",\"message\":\"" + "y".repeat(2000) + "\"}}");
            case RATE_LIMITED -> jsonAnswer(429, fixture("rate-limited.json")).withHeader("Retry-After", "1");
            case SERVER_ERROR -> jsonAnswer(500, fixture("api-error-500.json"));
            case SERVER_ERROR_NO_RETRY -> jsonAnswer(503, fixture("api-error-500.json")).withHeader("Stripe-Should-Retry", "false");
            case TIMEOUT -> jsonAnswer(200, "{}").withFixedDelay(3000);
            case RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            case EMPTY_RESPONSE -> aResponse().withFault(Fault.EMPTY_RESPONSE);
        };
    }

    // ---- what is stored ----

    static String stored(String column) {
        return Api.queryString("select " + column + " from account_connector where account_id = ?", ACCOUNT);
    }

    /** The connection's access token, decrypted: its ciphertext changes with every write. */
    String token() {
        String ciphertext = stored("access_token");
        return ciphertext == null ? null : cipher.decrypt(ciphertext);
    }

    static String status() {
        return stored("status");
    }
}
