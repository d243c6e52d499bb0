package dev.stripeconnector.support.hostile;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.stripeconnector.support.StripeStubs;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Stripe, played hostilely by WireMock: before each request of the generator that can reach
 * Stripe, every Stripe endpoint the service calls is given one "mood" drawn from the seed (a
 * valid answer, HTML, an empty body, {@code {}}, over-long or NUL-laden values, wrong types,
 * 401 echoing the key, 403 permission and {@code account_invalid}, refused grants, 429 with
 * Retry-After, 5xx, resets, short delays...). Every answer is short enough for the test's
 * 2 s read timeout, except the rare {@link Mood#TIMEOUT}.
 */
public final class HostileStripe {

    /** A Request-Id that marks an answer as Stripe's own (the proxy passes Stripe's answers through unchanged). */
    public static final String REQUEST_ID = "req_hostileStripeAnswer";
    public static final String PLATFORM_ACCOUNT = "acct_1PlatformAccount00";

    /** What Stripe does for one request; the weight is its share of the draws. */
    public enum Mood {
        OK(30), SLOW_OK(4), HTML(4), EMPTY(3), EMPTY_OBJECT(4), OVERLONG(9), NUL_VALUES(4), WRONG_TYPES(4), MALFORMED_JSON(3),
        HUGE(1), KEY_REJECTED(6), PERMISSION(5), ACCOUNT_INVALID(6), REFUSED(6), NOT_CONNECTED(3), RATE_LIMITED(3),
        ERROR_5XX(3), RESET(2), EMPTY_RESPONSE(1), GARBAGE(1), TIMEOUT(0.25);

        final double weight;

        Mood(double weight) {
            this.weight = weight;
        }
    }

    /** What one application of a mood set up: the tokens and account a successful token answer grants. */
    public record Applied(Mood mood, Mood platformMood, String stripeUserId, String accessToken, String refreshToken) {
        @Override
        public String toString() {
            return "stripe=" + mood + (platformMood != mood ? "/platform=" + platformMood : "");
        }
    }

    private final WireMockServer stripe;
    private final List<StubMapping> current = new ArrayList<>();
    private final List<String> accessTokens = new ArrayList<>();
    private final List<String> refreshTokens = new ArrayList<>();
    private int n;

    public HostileStripe(WireMockServer stripe) {
        this.stripe = stripe;
    }

    /** Every access token a token answer of this Stripe ever granted (only the credentials endpoint may show one). */
    public List<String> grantedAccessTokens() {
        return accessTokens;
    }

    /** Every refresh token a token answer of this Stripe ever granted: none may ever be shown. */
    public List<String> grantedRefreshTokens() {
        return refreshTokens;
    }

    /** Answers anything no mood covers like Stripe answers an unknown path, never echoing the request. */
    public void installCatchAll() {
        stripe.stubFor(any(anyUrl()).atPriority(200).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withHeader("Request-Id", REQUEST_ID)
                .withBody("{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL.\"}}")));
    }

    public Mood pick(Random rng) {
        double total = 0;
        for (Mood mood : Mood.values()) {
            total += mood.weight;
        }
        double at = rng.nextDouble() * total;
        for (Mood mood : Mood.values()) {
            at -= mood.weight;
            if (at < 0) {
                return mood;
            }
        }
        return Mood.OK;
    }

    /** Replaces the previous mood's stubs with {@code mood}'s (the platform-key check is usually well-behaved). */
    public Applied apply(Mood mood, Random rng) {
        for (StubMapping stub : current) {
            stripe.removeStub(stub);
        }
        current.clear();
        n++;
        Mood platformMood = rng.nextInt(10) < 7 ? Mood.OK : mood;
        String stripeUserId = "acct_H" + n + "x" + Integer.toString(rng.nextInt(1 << 20), 36);
        String access = "sk_test_HostileAccess" + n + "z" + Long.toString(rng.nextLong() & Long.MAX_VALUE, 36);
        String refresh = "rt_HostileRefresh" + n + "z" + Long.toString(rng.nextLong() & Long.MAX_VALUE, 36);
        accessTokens.add(access);
        refreshTokens.add(refresh);

        stub(get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", matching(".+")).atPriority(1),
                answer(mood, Call.CONNECTED_ACCOUNT, rng, stripeUserId, access, refresh));
        stub(get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", absent()).atPriority(1),
                answer(platformMood, Call.PLATFORM_ACCOUNT, rng, stripeUserId, access, refresh));
        stub(post(urlPathEqualTo("/oauth/token")).atPriority(1), answer(mood, Call.TOKEN, rng, stripeUserId, access, refresh));
        stub(post(urlPathEqualTo("/oauth/deauthorize")).atPriority(1), answer(mood, Call.DEAUTHORIZE, rng, stripeUserId, access, refresh));
        stub(any(urlPathMatching("/v1/.*")).atPriority(5), answer(mood, Call.PROXY, rng, stripeUserId, access, refresh));
        return new Applied(mood, platformMood, stripeUserId, access, refresh);
    }

    /** Removes the moods' stubs: the default answers (and the catch-all) apply again. */
    public void calm() {
        for (StubMapping stub : current) {
            stripe.removeStub(stub);
        }
        current.clear();
    }

    private void stub(MappingBuilder request, ResponseDefinitionBuilder response) {
        current.add(stripe.stubFor(request.willReturn(response)));
    }

    private enum Call {
        CONNECTED_ACCOUNT, PLATFORM_ACCOUNT, TOKEN, DEAUTHORIZE, PROXY;

        boolean oauth() {
            return this == TOKEN || this == DEAUTHORIZE;
        }
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withHeader("Request-Id", REQUEST_ID)
                .withBody(body);
    }

    private static String repeat(char c, int count) {
        return String.valueOf(c).repeat(count);
    }

    private static String okBody(Call call, int n, String stripeUserId, String access, String refresh) {
        return switch (call) {
            case TOKEN -> "{\"access_token\":\"" + access + "\",\"livemode\":false,\"refresh_token\":\"" + refresh
                    + "\",\"token_type\":\"bearer\",\"stripe_publishable_key\":\"pk_test_HostilePub" + n + "\",\"stripe_user_id\":\""
                    + stripeUserId + "\",\"scope\":\"read_write\"}";
            case CONNECTED_ACCOUNT -> "{\"id\":\"{{request.headers.[Stripe-Account]}}\",\"object\":\"account\",\"business_profile\":"
                    + "{\"name\":\"Hostile Shop " + n + "\"},\"charges_enabled\":true,\"payouts_enabled\":false,\"country\":\"DE\","
                    + "\"email\":\"h" + n + "@shop.example\"}";
            case PLATFORM_ACCOUNT -> "{\"id\":\"" + PLATFORM_ACCOUNT + "\",\"object\":\"account\"}";
            case DEAUTHORIZE -> "{\"stripe_user_id\":\"{{formData request.body 'form'}}{{form.stripe_user_id}}\"}";
            case PROXY -> "{\"object\":\"list\",\"data\":[],\"has_more\":false,\"url\":\"{{request.path}}\"}";
        };
    }

    private ResponseDefinitionBuilder answer(Mood mood, Call call, Random rng, String stripeUserId, String access, String refresh) {
        String masked = "sk_test_********" + (1000 + rng.nextInt(9000));
        // Stripe masks keys in its messages; a hostile Stripe (or a future message format) may not. The service masks
        // what it keeps or shows; the proxy passes Stripe's body on, so there the echo is masked two times out of three.
        String echoedKey = call == Call.PROXY && rng.nextInt(3) > 0 ? masked : "{{request.headers.Authorization}}";
        return switch (mood) {
            case OK -> json(200, okBody(call, n, stripeUserId, access, refresh));
            case SLOW_OK -> json(200, okBody(call, n, stripeUserId, access, refresh)).withFixedDelay(80 + rng.nextInt(320));
            case TIMEOUT -> json(200, okBody(call, n, stripeUserId, access, refresh)).withFixedDelay(2300);
            case HTML -> aResponse().withStatus(200).withHeader("Content-Type", "text/html").withHeader("Request-Id", REQUEST_ID)
                    .withBody("<html><body><h1>Stripe</h1><p>We'll be right back.</p></body></html>");
            case EMPTY -> aResponse().withStatus(200).withHeader("Content-Type", "application/json").withHeader("Request-Id", REQUEST_ID);
            case EMPTY_OBJECT -> json(200, "{}");
            case OVERLONG -> overlong(call, rng, stripeUserId, access, refresh);
            case NUL_VALUES -> switch (call) {
                case TOKEN -> json(200, okBody(call, n, stripeUserId, access, refresh)
                        .replace("\"scope\":\"read_write\"", "\"scope\":\"read\\u0000write\"")
                        .replace(stripeUserId, rng.nextBoolean() ? "acct_1\\u0000Nul" : stripeUserId + "\\u0000"));
                case CONNECTED_ACCOUNT -> json(200, okBody(call, n, stripeUserId, access, refresh)
                        .replace("Hostile Shop", "Hostile\\u0000Shop").replace("\"DE\"", "\"D\\u0000\""));
                case PLATFORM_ACCOUNT -> json(200, "{\"id\":\"acct_1Platform\\u0000\",\"object\":\"account\"}");
                case DEAUTHORIZE -> json(400, "{\"error\":\"invalid_request\",\"error_description\":\"bad\\u0000value\\u0001\"}");
                case PROXY -> json(200, "{\"id\":\"cus_\\u0000\",\"object\":\"customer\"}");
            };
            case WRONG_TYPES -> switch (call) {
                case TOKEN -> json(200, "{\"access_token\":12345,\"livemode\":\"sometimes\",\"refresh_token\":[\"x\"],"
                        + "\"stripe_user_id\":{\"id\":1},\"scope\":7}");
                case CONNECTED_ACCOUNT, PLATFORM_ACCOUNT -> json(200, "{\"id\":42,\"charges_enabled\":\"yes\",\"business_profile\":\"flat\","
                        + "\"country\":[1,2]}");
                case DEAUTHORIZE -> json(200, "{\"stripe_user_id\":false}");
                case PROXY -> json(200, "[1,\"two\",{\"three\":null}]");
            };
            case MALFORMED_JSON -> json(200, "{\"access_token\": \"sk_test_Trunc\", \"id\": \"acct_");
            case HUGE -> json(200, okBody(call, n, stripeUserId, access, refresh).replaceFirst("\\{",
                    "{\"padding\":\"" + repeat('p', 200_000) + "\","));
            case KEY_REJECTED -> call.oauth()
                    ? json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid API Key provided: " + echoedKey + "\"}")
                    : json(401, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid API Key provided: " + echoedKey + "\"}}");
            case PERMISSION -> call.oauth()
                    ? json(400, "{\"error\":\"invalid_request\",\"error_description\":\"The key " + echoedKey
                            + " may not use this endpoint\"}")
                    : json(403, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"The provided key '" + echoedKey
                            + "' does not have the required permissions for this endpoint on account 'acct_1Other'. Having the"
                            + " 'rak_account_read' permission would allow this request to continue.\"}}");
            case ACCOUNT_INVALID -> call.oauth()
                    ? json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"The grant was revoked\"}")
                    : json(403, "{\"error\":{\"code\":\"account_invalid\",\"type\":\"invalid_request_error\",\"message\":"
                            + "\"The provided key '" + echoedKey + "' does not have access to account '" + stripeUserId
                            + "' (or that account does not exist). Application access may have been revoked.\"}}");
            case REFUSED -> call.oauth()
                    ? json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"No such token or code: "
                            + (call == Call.TOKEN ? "{{formData request.body 'form'}}{{form.refresh_token}}{{form.code}}" : "x") + "\"}")
                    : json(400, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"parameter_unknown\","
                            + "\"message\":\"Received unknown parameter: expand\"}}");
            case NOT_CONNECTED -> call.oauth()
                    ? json(401, "{\"error\":\"invalid_client\",\"error_description\":\"This application is not connected to stripe"
                            + " account " + stripeUserId + ", or that account does not exist.\"}")
                    : json(404, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"resource_missing\","
                            + "\"message\":\"No such customer: 'cus_1'\"}}");
            case RATE_LIMITED -> {
                ResponseDefinitionBuilder limited = json(429, StripeStubs.fixture("rate-limited.json"));
                String retryAfter = switch (rng.nextInt(6)) {
                    case 0, 1 -> "0";
                    case 2 -> "1";
                    case 3 -> "3";
                    case 4 -> "soon";
                    default -> null;
                };
                if (retryAfter != null) {
                    limited.withHeader("Retry-After", retryAfter);
                }
                if (rng.nextInt(4) == 0) {
                    limited.withHeader("Stripe-Should-Retry", rng.nextBoolean() ? "false" : "maybe");
                }
                yield limited;
            }
            case ERROR_5XX -> {
                int status = new int[] {500, 502, 503}[rng.nextInt(3)];
                ResponseDefinitionBuilder failed = rng.nextBoolean()
                        ? json(status, StripeStubs.fixture("api-error-500.json"))
                        : aResponse().withStatus(status).withHeader("Content-Type", "text/html").withHeader("Request-Id", REQUEST_ID)
                                .withBody("<html><body>Bad gateway</body></html>");
                if (rng.nextInt(3) == 0) {
                    failed.withHeader("Stripe-Should-Retry", "false");
                }
                yield failed;
            }
            case RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            case EMPTY_RESPONSE -> aResponse().withFault(Fault.EMPTY_RESPONSE);
            case GARBAGE -> aResponse().withFault(rng.nextBoolean() ? Fault.RANDOM_DATA_THEN_CLOSE : Fault.MALFORMED_RESPONSE_CHUNK);
        };
    }

    private ResponseDefinitionBuilder overlong(Call call, Random rng, String stripeUserId, String access, String refresh) {
        String ok = okBody(call, n, stripeUserId, access, refresh);
        return switch (call) {
            case TOKEN -> switch (rng.nextInt(4)) {
                case 0 -> json(200, ok.replace(stripeUserId, "acct_" + repeat('A', 300)));
                case 1 -> json(200, ok.replace("\"read_write\"", "\"" + repeat('s', 100) + "\""));
                case 2 -> json(200, ok.replace("pk_test_HostilePub", "pk_test_" + repeat('P', 300)));
                default -> json(400, "{\"error\":\"" + repeat('e', 200) + "\",\"error_description\":\"" + repeat('d', 5000) + "\"}");
            };
            case CONNECTED_ACCOUNT -> switch (rng.nextInt(4)) {
                case 0 -> json(200, ok.replace("Hostile Shop " + n, repeat('B', 300)));
                case 1 -> json(200, ok.replace("h" + n + "@shop.example", repeat('m', 300) + "@shop.example"));
                case 2 -> json(200, ok.replace("\"DE\"", "\"" + repeat('C', 20) + "\""));
                default -> json(403, "{\"error\":{\"code\":\"" + repeat('c', 100) + "\",\"type\":\"invalid_request_error\","
                        + "\"message\":\"" + repeat('m', 5000) + "\"}}");
            };
            case PLATFORM_ACCOUNT -> json(200, "{\"id\":\"acct_" + repeat('P', 300) + "\",\"object\":\"account\"}");
            case DEAUTHORIZE -> rng.nextBoolean()
                    ? json(200, "{\"stripe_user_id\":\"acct_" + repeat('D', 300) + "\"}")
                    : json(400, "{\"error\":\"invalid_client\",\"error_description\":\"" + repeat('n', 3000) + " not connected\"}");
            case PROXY -> json(200, "{\"id\":\"cus_" + repeat('Q', 300) + "\",\"description\":\"" + repeat('q', 20_000) + "\"}");
        };
    }
}
