package dev.stripeconnector.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import dev.stripeconnector.crypto.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The one classification of Stripe's answers, answer by answer. */
class StripeAnswersTest {

    static final String ACCOUNT = "acct_1ConnectedAcct0001";

    // ---- OAuth (connect.stripe.com) ----

    @Test
    void oauthAnswersAreClassifiedByStatusAndError() {
        assertThat(StripeAnswers.oauthError(400, "{\"error\":\"invalid_grant\",\"error_description\":\"expired\"}", null, null).kind())
                .isEqualTo(StripeFailure.Kind.GRANT_REFUSED);
        assertThat(StripeAnswers.oauthError(400, "{\"error\":\"invalid_request\"}", null, null).kind())
                .isEqualTo(StripeFailure.Kind.GRANT_REFUSED);
        assertThat(StripeAnswers.oauthError(401, "{\"error\":\"invalid_client\",\"error_description\":\"No such api key\"}", null, null).kind())
                .isEqualTo(StripeFailure.Kind.PLATFORM_KEY_REJECTED);
        assertThat(StripeAnswers.oauthError(400, "{\"error\":\"invalid_client\"}", null, null).kind())
                .isEqualTo(StripeFailure.Kind.PLATFORM_KEY_REJECTED);
        assertThat(StripeAnswers.oauthError(429, "", "1", null).kind()).isEqualTo(StripeFailure.Kind.RATE_LIMITED);
        assertThat(StripeAnswers.oauthError(503, "<html>down</html>", null, null).kind()).isEqualTo(StripeFailure.Kind.UNAVAILABLE);
    }

    @Test
    void undocumentedOauthErrorsAreNonsenseNotRefusals() {
        for (String body : new String[] {"", "<html>Bad request</html>", "{}", "{\"error\":\"Not A Code!\"}",
                "{\"error\":\"invalid_grant\",\"error_description\":\"" + "x".repeat(1001) + "\"}",
                "{\"error\":\"invalid_grant\",\"error_description\":\"nul\\u0000inside\"}",
                "{\"error\":\"" + "a".repeat(65) + "\"}"}) {
            assertThat(StripeAnswers.oauthError(400, body, null, null).kind()).as(body).isEqualTo(StripeFailure.Kind.NONSENSE);
        }
        assertThat(StripeAnswers.oauthError(302, "{\"error\":\"invalid_grant\"}", null, null).kind()).isEqualTo(StripeFailure.Kind.NONSENSE);
    }

    @Test
    void deauthorizeTreatsNotConnectedAsDone() {
        StripeFailure notConnected = StripeAnswers.oauthError(400, "{\"error\":\"invalid_client\",\"error_description\":"
                + "\"This application is not connected to stripe account acct_1, or that account does not exist.\"}", null, null);
        assertThat(StripeAnswers.notConnected(notConnected)).isTrue();
        assertThat(StripeAnswers.notConnected(StripeAnswers.oauthError(401, "{\"error\":\"invalid_client\"}", null, null))).isFalse();
    }

    // ---- API (api.stripe.com) ----

    @Test
    void apiAnswersAreClassifiedByStatusTypeAndCode() {
        assertThat(StripeAnswers.apiError(401, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid API Key provided\"}}",
                null, null).kind()).isEqualTo(StripeFailure.Kind.PLATFORM_KEY_REJECTED);
        assertThat(StripeAnswers.apiError(401, "", null, null).kind()).isEqualTo(StripeFailure.Kind.PLATFORM_KEY_REJECTED);
        assertThat(StripeAnswers.apiError(403, "{\"error\":{\"type\":\"permission_error\",\"message\":\"The provided key does not have"
                + " the required permissions\"}}", null, null).kind()).isEqualTo(StripeFailure.Kind.PERMISSION_MISSING);
        assertThat(StripeAnswers.apiError(403, "{\"error\":{\"code\":\"account_invalid\",\"type\":\"invalid_request_error\"}}", null, null).kind())
                .as("needs the gateway's confirmation before it counts").isEqualTo(StripeFailure.Kind.ACCESS_REVOKED);
        assertThat(StripeAnswers.apiError(429, "{}", "2", "true").retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(StripeAnswers.apiError(500, "{}", null, "false").shouldRetry()).isFalse();
        assertThat(StripeAnswers.apiError(404, "{\"error\":{\"code\":\"resource_missing\"}}", null, null).kind()).isEqualTo(StripeFailure.Kind.NONSENSE);
        assertThat(StripeAnswers.apiError(400, "<html/>", null, null).kind()).isEqualTo(StripeFailure.Kind.NONSENSE);
    }

    // ---- no answer ----

    @Test
    void transportFailuresSayWhetherTheRequestCanHaveLeft() {
        StripeFailure refused = StripeAnswers.transport(new RuntimeException(new ConnectException("Connection refused")));
        assertThat(refused.kind()).isEqualTo(StripeFailure.Kind.UNAVAILABLE);
        assertThat(refused.sent()).isFalse();
        StripeFailure timeout = StripeAnswers.transport(new RuntimeException(new TimeoutException("read")));
        assertThat(timeout.kind()).isEqualTo(StripeFailure.Kind.UNAVAILABLE);
        assertThat(timeout.sent()).isTrue();
        assertThat(StripeAnswers.transport(new IOException("Connection reset")).sent()).isTrue();
        assertThat(StripeAnswers.transport(new RuntimeException(new JsonParseException(null, "Unexpected character '<'"))).kind())
                .isEqualTo(StripeFailure.Kind.NONSENSE);
    }

    static jakarta.ws.rs.core.MultivaluedMap<String, Object> contentType(String value) {
        jakarta.ws.rs.core.MultivaluedMap<String, Object> headers = new jakarta.ws.rs.core.MultivaluedHashMap<>();
        if (value != null) {
            headers.add("Content-Type", value);
        }
        return headers;
    }

    @Test
    void aSuccessThatIsNotJsonIsNonsenseBeforeAnyReaderTriesIt() {
        NotJsonAnswer notJson = new NotJsonAnswer();
        for (String type : new String[] {"text/plain", "text/html; charset=utf-8", "application/xml", "nonsense", null}) {
            assertThat(notJson.handles(200, contentType(type))).as(type).isTrue();
        }
        assertThat(notJson.handles(200, contentType("application/json"))).isFalse();
        assertThat(notJson.handles(200, contentType("application/json; charset=utf-8"))).isFalse();
        assertThat(notJson.handles(400, contentType("text/html"))).as("errors are the clients' own mappers'").isFalse();
    }

    // ---- successes are checked before anything is kept ----

    static TokenResponse tokens(String access, String refresh, String user, Boolean live, String scope, String publishable) {
        return new TokenResponse(Secret.of(access), Secret.of(refresh), "bearer", publishable, user, scope, live);
    }

    @Test
    void aTokenAnswerIsKeptOnlyWhenEveryValueFits() {
        StripeAnswers.tokens(tokens("sk_test_abc123", "rt_abc", ACCOUNT, false, "read_write", "pk_test_abc"));
        StripeAnswers.tokens(tokens("sk_test_abc123", null, ACCOUNT, true, null, null));
        TokenResponse[] nonsense = {
                null,
                tokens(null, "rt_abc", ACCOUNT, false, "read_write", null),
                tokens(" ", "rt_abc", ACCOUNT, false, "read_write", null),
                tokens("sk_test_" + "a".repeat(5000), "rt_abc", ACCOUNT, false, "read_write", null),
                tokens("sk_test_a\u0000b", "rt_abc", ACCOUNT, false, "read_write", null),
                tokens("sk_test_abc", "rt_a\u0000", ACCOUNT, false, "read_write", null),
                tokens("sk_test_abc", "rt_abc", null, false, "read_write", null),
                tokens("sk_test_abc", "rt_abc", "acct_" + "1".repeat(300), false, "read_write", null),
                tokens("sk_test_abc", "rt_abc", "cus_123", false, "read_write", null),
                tokens("sk_test_abc", "rt_abc", ACCOUNT, null, "read_write", null),
                tokens("sk_test_abc", "rt_abc", ACCOUNT, false, "x".repeat(40), null),
                tokens("sk_test_abc", "rt_abc", ACCOUNT, false, "read_write", "pk_" + "x".repeat(300)),
        };
        for (TokenResponse answer : nonsense) {
            assertThatThrownBy(() -> StripeAnswers.tokens(answer)).as(String.valueOf(answer))
                    .isInstanceOfSatisfying(StripeFailure.class, f -> assertThat(f.kind()).isEqualTo(StripeFailure.Kind.NONSENSE));
        }
    }

    @Test
    void aRefreshAnswerMustNameTheConnectionsOwnAccountAndMode() {
        TokenResponse own = tokens("sk_test_abc123", null, ACCOUNT, false, "read_write", "pk_test_abc");
        assertThat(StripeAnswers.refreshed(own, ACCOUNT, false)).isSameAs(own);
        for (TokenResponse answer : new TokenResponse[] {
                tokens("sk_test_abc123", null, "acct_1AnotherAccount0003", false, "read_write", "pk_test_abc"),
                tokens("sk_live_abc123", null, ACCOUNT, true, "read_write", "pk_live_abc"),
                tokens("sk_test_abc123", null, null, false, "read_write", null)}) {
            assertThatThrownBy(() -> StripeAnswers.refreshed(answer, ACCOUNT, false)).as(String.valueOf(answer))
                    .isInstanceOfSatisfying(StripeFailure.class, f -> assertThat(f.kind()).isEqualTo(StripeFailure.Kind.NONSENSE));
        }
        assertThatThrownBy(() -> StripeAnswers.refreshed(own, ACCOUNT, true)).isInstanceOf(StripeFailure.class);
    }

    @Test
    void anAccountAnswerMustBeTheAccountAskedForAndFitItsColumns() {
        StripeAnswers.account(new StripeAccount(ACCOUNT, "a@b.example", "DE", true, false, null, null), ACCOUNT);
        StripeAccount[] nonsense = {
                null,
                new StripeAccount(null, null, null, null, null, null, null),
                new StripeAccount("acct_1Other", null, null, null, null, null, null),
                new StripeAccount(ACCOUNT, "x".repeat(256), null, null, null, null, null),
                new StripeAccount(ACCOUNT, null, "GERMANY!!", null, null, null, null),
                new StripeAccount(ACCOUNT, null, null, null, null, new StripeAccount.BusinessProfile("n".repeat(256)), null),
                new StripeAccount(ACCOUNT, null, null, null, null, new StripeAccount.BusinessProfile("a\u0000b"), null),
        };
        for (StripeAccount answer : nonsense) {
            assertThatThrownBy(() -> StripeAnswers.account(answer, ACCOUNT)).as(String.valueOf(answer))
                    .isInstanceOfSatisfying(StripeFailure.class, f -> assertThat(f.kind()).isEqualTo(StripeFailure.Kind.NONSENSE));
        }
    }

    @Test
    void aDeauthorizationMustNameTheAccount() {
        StripeAnswers.deauthorized(new DeauthorizeResponse(ACCOUNT), ACCOUNT);
        assertThatThrownBy(() -> StripeAnswers.deauthorized(null, ACCOUNT)).isInstanceOf(StripeFailure.class);
        assertThatThrownBy(() -> StripeAnswers.deauthorized(new DeauthorizeResponse(null), ACCOUNT)).isInstanceOf(StripeFailure.class);
        assertThatThrownBy(() -> StripeAnswers.deauthorized(new DeauthorizeResponse("acct_1Other"), ACCOUNT)).isInstanceOf(StripeFailure.class);
    }

    @Test
    void stripesWordsAreKeptOnlyWithKeysMasked() {
        assertThat(StripeAnswers.description("Invalid API Key provided: sk_test_51HxYzAbCdEfGh9999"))
                .isEqualTo("Invalid API Key provided: sk_test_****9999").doesNotContain("51HxYz");
        assertThat(StripeAnswers.description("Refresh token rt_SecretRefreshToken1234 does not exist")).doesNotContain("SecretRefresh");
        assertThat(StripeAnswers.description("already masked sk_test_********9999")).isEqualTo("already masked sk_test_****9999");
        assertThat(StripeAnswers.description("No webhook endpoint is signed with whsec_SigningSecretOfTheEndpoint77"))
                .isEqualTo("No webhook endpoint is signed with whsec_****nt77");
        assertThat(StripeAnswers.description("line\nbreak")).isNull();
        assertThat(StripeAnswers.description("x".repeat(1001))).isNull();
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(StripeAnswers.retryAfter("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(StripeAnswers.retryAfter("-1")).isNull();
        assertThat(StripeAnswers.retryAfter("soon")).isNull();
        assertThat(StripeAnswers.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(StripeAnswers.retryAfter(null)).isNull();
    }
}
