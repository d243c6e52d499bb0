package dev.stripeconnector.common;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.hostile.Junk.enc;
import static dev.stripeconnector.support.hostile.Junk.str;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.Management;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.Webhooks;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import dev.stripeconnector.support.hostile.Answer;
import dev.stripeconnector.support.hostile.HostileStripe;
import dev.stripeconnector.support.hostile.Junk;
import dev.stripeconnector.support.hostile.Leaks;
import dev.stripeconnector.support.hostile.LogCapture;
import dev.stripeconnector.support.hostile.RawHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A seeded generator of hostile requests over every endpoint of the service, with Stripe (WireMock)
 * answering hostilely at the same time. For every answer: no 5xx but the documented ones (Stripe
 * gave no usable answer; a Stripe answer the proxy passes through unchanged), every error on
 * {@code /api/**} and {@code /webhooks/**} is {@code application/problem+json} with type, title,
 * status (= the HTTP status) and detail, no answer carries a class name, a stack-trace marker or a
 * secret, no call without a valid API key succeeds on the API; and nothing logs an ERROR with a
 * stack trace. Afterwards the service still works.
 *
 * <p>The requests come from one seed, printed at the start and with every failure: by default the
 * fixed {@link #DEFAULT_SEED}, so every run of {@code ./mvnw verify} sends the same requests. A
 * nightly-style run draws a new one with {@code -Dhostile.seed=random}; replay any run with
 * {@code -Dhostile.seed=<the printed seed>}. {@code -Dhostile.count} changes how many requests are
 * sent (default 5200). The test asserts counts only: every request is sent, however long it takes.
 */
@QuarkusTest
class HostileRequestsTest {

    private static final int DEFAULT_COUNT = 5200;
    /** The seed of {@code ./mvnw verify}: the same requests on every run, so a failure there replays as it is. */
    static final long DEFAULT_SEED = 20_261_207L;
    /** Longer than any documented wait (Stripe deadlines 5 s in tests, a pooled connection 3 s). */
    private static final int READ_TIMEOUT_MILLIS = 8_000;

    private static final String KEEPER = "keeper-1";
    private static final String KEEPER_ACCT = "acct_1KeeperAccount0001";
    private static final String OWN = "h-own";
    private static final String OWN_CLIENT = "ca_HostileOwnPlatform1";
    private static final String OWN_SECRET = "sk_test_HostileOwnSecretKey77";
    private static final String OWN_WEBHOOK = "whsec_HostileOwnWebhook01";
    private static final String OWN_ACCT = "acct_1HostileOwn0001";
    private static final String CONN_ACCT = "acct_1HostileConn001";
    private static final String RETURN_URL = TestKeys.RETURN_URL_PREFIX + "/done";
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectWireMock
    WireMockServer stripe;

    @TestHTTPResource("/")
    URL root;

    /** The endpoints, and how often each is drawn. */
    enum Endpoint {
        CONSOLE_GET(3, false), CONSOLE_PUT(6, true), ACCOUNTS_LIST(6, false), ACCOUNT_PUT(11, true), ACCOUNT_GET(6, false),
        ACCOUNT_DELETE(4, true), AUTHORIZE(8, false), VERIFY(5, true), REFRESH(4, true), CREDENTIALS(4, false), PROXY(8, true),
        WEBHOOK(7, false), WEBHOOK_PLATFORM(4, false), SETUP(5, false), CALLBACK(8, true), OPENAPI(1.5, false), OTHER(6, false);

        final double weight;
        /** Whether a request may reach Stripe, so Stripe's mood is set before it is sent. */
        final boolean stripe;

        Endpoint(double weight, boolean stripe) {
            this.weight = weight;
            this.stripe = stripe;
        }
    }

    enum Auth {
        ADMIN, READER, HOSTILE, NONE
    }

    /** One request as it goes on the wire. */
    static final class Req {
        final Endpoint endpoint;
        String method;
        /** The request target exactly as sent (path and query, escapes as given). */
        String target;
        final List<String[]> headers = new ArrayList<>();
        byte[] body;
        boolean chunked;
        int chunkSize = 4096;
        /** Only a raw socket can send it. */
        boolean raw;
        /** Malformed at the HTTP framing level: refused before routing, so only the no-5xx/no-leak rules apply. */
        boolean protocolJunk;
        /** A body beyond the limits: the server may refuse and close before the client finishes sending. */
        boolean mayBeCutOff;
        Auth auth = Auth.NONE;
        /** How long to wait for the answer. */
        int timeoutMillis = READ_TIMEOUT_MILLIS;
        /** The whole request, verbatim, for HTTP-level junk. */
        String rawRequest;
        /** A callback with a state this run was issued and did not use yet. */
        String freshStateAccount;
        /** A callback with a state the service issued (fresh, or possibly not spent yet). */
        boolean issuedState;
        String note = "";

        Req(Endpoint endpoint, String method, String target) {
            this.endpoint = endpoint;
            this.method = method;
            this.target = target;
        }

        Req header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        Req json(String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            header("Content-Type", "application/json");
            return this;
        }

        boolean hasHeader(String name) {
            return headers.stream().anyMatch(h -> h[0].equalsIgnoreCase(name));
        }

        void removeHeader(String name) {
            headers.removeIf(h -> h[0].equalsIgnoreCase(name));
        }
    }

    private long seed;
    private Junk junk;
    private Random rng;
    private HttpClient http;
    private HostileStripe hostile;
    private String host;
    private int port;

    private final List<String> installed = new ArrayList<>();
    /** Installations connected as far as this run knows (never the keeper). */
    private final List<String> connected = new ArrayList<>();
    private final Deque<String[]> freshStates = new ArrayDeque<>();
    private final Deque<String> usedStates = new ArrayDeque<>();
    private final Deque<String> freshSetups = new ArrayDeque<>();
    private final Deque<String> usedSetups = new ArrayDeque<>();
    private final List<String> hostileAccounts = new ArrayList<>();
    private final List<String> eventIds = new ArrayList<>();
    /** Secrets no answer may ever carry. */
    private final Set<String> secrets = new LinkedHashSet<>();
    /** Access tokens: only the credentials endpoint, for a reader key, may answer one. */
    private final Set<String> accessTokens = new LinkedHashSet<>();

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        Api.update("delete from credential_read");
        Api.update("delete from webhook_event");
        Api.update("delete from platform_webhook");
        stripe.resetAll();
        seed = seed(System.getProperty("hostile.seed"));
        System.out.println("[hostile] seed=" + seed + "  (replay with -Dhostile.seed=" + seed + ")");
        rng = new Random(seed);
        junk = new Junk(rng);
        host = root.getHost();
        port = root.getPort();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        hostile = new HostileStripe(stripe);
    }

    @AfterEach
    void calm() {
        hostile.calm();
        stripe.resetAll();
        http.close();
    }

    // ---------------------------------------------------------------------------------------------
    // The run
    // ---------------------------------------------------------------------------------------------

    @Test
    void hostileRequestsNeverGetA5xxALeakOrANonProblemError() throws Exception {
        long started = System.nanoTime();
        setUpRealisticState();
        int count = Integer.getInteger("hostile.count", DEFAULT_COUNT);

        hostile.installCatchAll();
        Map<Endpoint, Map<Integer, Integer>> statuses = new EnumMap<>(Endpoint.class);
        Map<String, Integer> classes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Map<String, List<String>> groups = new TreeMap<>();
        Map<Endpoint, Long> millisByEndpoint = new EnumMap<>(Endpoint.class);
        List<Object[]> slowest = new ArrayList<>();
        int stripeRequests = 0;
        int sent = 0;
        int seenLogs = 0;
        int loggedTraces = 0;
        long generatorStart = System.nanoTime();
        try (LogCapture logs = LogCapture.start(false)) {
            for (int i = 0; i < count; i++) {
                Endpoint endpoint = pickEndpoint();
                Req req = build(endpoint);
                mutateTransport(req);
                if (endpoint.stripe) {
                    lastApplied = hostile.apply(hostile.pick(rng), rng);
                    stripeRequests++;
                    req.note += (req.note.isEmpty() ? "" : " ") + lastApplied;
                }
                refreshSecrets();
                long t0 = System.nanoTime();
                Answer answer = send(req);
                long took = System.nanoTime() - t0;
                millisByEndpoint.merge(endpoint, took / 1_000_000L, Long::sum);
                slowest.add(new Object[] {took, describe(i, req, answer, "took " + took / 1_000_000 + " ms")});
                slowest.sort((a, b) -> Long.compare((Long) b[0], (Long) a[0]));
                if (slowest.size() > 8) {
                    slowest.remove(slowest.size() - 1);
                }
                sent++;
                statuses.computeIfAbsent(endpoint, e -> new TreeMap<>()).merge(answer.status(), 1, Integer::sum);
                classes.merge(classOf(answer.status()), 1, Integer::sum);
                List<String> problems = check(req, answer);
                for (LogCapture.Entry entry : logs.since(seenLogs)) {
                    if (entry.isError() && entry.hasThrown() && !expectedNoise(entry)) {
                        problems.add("the service logged an ERROR with a stack trace (during this request or just before it): "
                                + entry.logger() + ": " + thrownLine(entry));
                        loggedTraces++;
                    }
                }
                seenLogs = logs.size();
                for (String problem : problems) {
                    String description = describe(i, req, answer, problem);
                    failures.add(description);
                    groups.computeIfAbsent(groupOf(req, answer, problem), k -> new ArrayList<>()).add(description);
                }
                learn(req, answer);
            }
            long generatorNanos = System.nanoTime() - generatorStart;
            hostile.calm();

            // The service still works: a normal read of a connected installation, and readiness.
            Api.api().get("/api/v1/accounts/" + KEEPER + "/connector").then()
                    .statusCode(200).body("status", equalTo("connected"));
            Api.api().get("/api/v1/connector").then().statusCode(200);
            given().get(Management.url("/health/ready")).then().statusCode(200).body("status", equalTo("UP"));

            // Records that came after the last request (a request that hung, say) belong to no request.
            List<String> stackTraces = logs.since(seenLogs).stream()
                    .filter(e -> e.isError() && e.hasThrown() && !expectedNoise(e))
                    .map(e -> truncate(e.text(), 1500))
                    .toList();
            System.out.printf("[hostile] ERROR records with a stack trace: %d during requests (reported with them), %d after the last%n",
                    loggedTraces, stackTraces.size());
            printSummary(statuses, classes, sent, stripeRequests, generatorNanos, groups, stackTraces);
            System.out.println("[hostile] time by endpoint (ms): " + millisByEndpoint + "; connected now: " + connected
                    + "; connections made by the run: " + (hostileAccounts.size() - 2));
            slowest.forEach(o -> System.out.println("[hostile] slow: " + o[1]));
            System.out.printf("[hostile] seed=%d whole test (setup, run, checks): %.1f s%n", seed, (System.nanoTime() - started) / 1e9);

            assertThat(sent).as("[seed=%d] requests sent", seed).isEqualTo(count);
            StringBuilder examples = new StringBuilder();
            groups.forEach((group, list) -> {
                examples.append(String.format("%n%d × %s%n", list.size(), group));
                list.stream().limit(3).forEach(f -> examples.append("    ").append(f).append('\n'));
            });
            assertThat(failures)
                    .as("[seed=%d] %d of %d hostile requests were answered wrongly, in %d kinds (3 examples each):%s", seed,
                            failures.size(), sent, groups.size(), examples)
                    .isEmpty();
            assertThat(stackTraces)
                    .as("[seed=%d] the service logged %d ERROR records with a stack trace after the last request; first ones:%n%s", seed,
                            stackTraces.size(), String.join("\n---\n", stackTraces.subList(0, Math.min(5, stackTraces.size()))))
                    .isEmpty();
        } finally {
            hostile.calm();
        }
    }

    private HostileStripe.Applied lastApplied;

    /** {@code -Dhostile.seed}: a number, {@code random} for a new one, or nothing for {@link #DEFAULT_SEED}. */
    static long seed(String property) {
        if (property == null || property.isBlank()) {
            return DEFAULT_SEED;
        }
        return property.strip().equalsIgnoreCase("random") ? new Random().nextLong() : Long.parseLong(property.strip());
    }

    /** The first line of the stack trace of a record: the exception and its message. */
    private static String thrownLine(LogCapture.Entry entry) {
        String text = entry.text();
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(newline + 1);
        int end = line.indexOf('\n');
        return printable(end < 0 ? line : line.substring(0, end), 200);
    }

    /** The records the service itself declares noise (common/ExpectedNoise, applied to its log handlers). */
    private static boolean expectedNoise(LogCapture.Entry entry) {
        return entry.expectedNoise();
    }

    private void refreshSecrets() {
        accessTokens.addAll(hostile.grantedAccessTokens());
        secrets.addAll(hostile.grantedRefreshTokens());
    }

    // ---------------------------------------------------------------------------------------------
    // A realistic state before the run, made through the API
    // ---------------------------------------------------------------------------------------------

    private void setUpRealisticState() {
        secrets.addAll(List.of(TestKeys.API_KEY, TestKeys.READER_API_KEY, TestKeys.WEBHOOK_SECRET, TestKeys.OLD_WEBHOOK_SECRET,
                TestKeys.ENCRYPTION_KEY_1.substring(3), Flows.SECRET, OWN_SECRET, OWN_WEBHOOK));
        Flows.consoleSetup();
        connect(KEEPER, Map.of("name", "Keeper"), KEEPER_ACCT);
        connect("h-conn-1", Map.of("name", "Connected one"), CONN_ACCT);
        connect(OWN, Map.of("name", "Own platform", "clientId", OWN_CLIENT, "clientSecret", OWN_SECRET, "webhookSecret", OWN_WEBHOOK),
                OWN_ACCT);
        Api.json(Map.of("name", "Pending one")).put("/api/v1/accounts/h-pend-1/connector").then().statusCode(201);
        Api.json(Map.of()).put("/api/v1/accounts/h-pend-2/connector").then().statusCode(201);
        installed.addAll(List.of("h-conn-1", OWN, "h-pend-1", "h-pend-2"));
        connected.addAll(List.of("h-conn-1", OWN));
        hostileAccounts.addAll(List.of(CONN_ACCT, OWN_ACCT));
        stripe.resetAll();
    }

    /** Installs and connects an account through the real OAuth flow, with tokens of its own. */
    private void connect(String accountId, Map<String, Object> install, String stripeUserId) {
        String access = "sk_test_SetupAccess" + accountId.replaceAll("[^A-Za-z0-9]", "") + junk.alnum(12);
        String refresh = "rt_SetupRefresh" + accountId.replaceAll("[^A-Za-z0-9]", "") + junk.alnum(12);
        accessTokens.add(access);
        secrets.add(refresh);
        Api.json(install).put("/api/v1/accounts/" + accountId + "/connector").then().statusCode(201);
        stripe.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"" + access + "\",\"livemode\":false,\"refresh_token\":\"" + refresh
                        + "\",\"token_type\":\"bearer\",\"stripe_publishable_key\":\"pk_test_Setup1\",\"stripe_user_id\":\""
                        + stripeUserId + "\",\"scope\":\"read_write\"}")));
        String authorizeUrl = Api.json("{}").post("/api/v1/accounts/" + accountId + "/connector/authorize").then()
                .statusCode(200).extract().path("authorizeUrl");
        given().redirects().follow(false)
                .queryParam("code", "ac_Setup" + junk.alnum(10))
                .queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                .get("/connector/callback").then().statusCode(200);
    }

    // ---------------------------------------------------------------------------------------------
    // Building requests
    // ---------------------------------------------------------------------------------------------

    private Endpoint pickEndpoint() {
        double total = 0;
        for (Endpoint e : Endpoint.values()) {
            total += e.weight;
        }
        double at = rng.nextDouble() * total;
        for (Endpoint e : Endpoint.values()) {
            at -= e.weight;
            if (at < 0) {
                return e;
            }
        }
        return Endpoint.OTHER;
    }

    private Endpoint current;
    /**
     * A well-formed request to a connected (or installed) account, so that what is hostile is Stripe's
     * answer: about a third of the requests of the endpoints that reach Stripe, and of authorize.
     */
    private boolean clean;
    private static final Set<Endpoint> CLEANABLE = Set.of(Endpoint.AUTHORIZE, Endpoint.CALLBACK, Endpoint.VERIFY,
            Endpoint.REFRESH, Endpoint.PROXY, Endpoint.ACCOUNT_DELETE, Endpoint.CREDENTIALS);

    private Req build(Endpoint endpoint) {
        current = endpoint;
        clean = CLEANABLE.contains(endpoint) && junk.chance(0.45);
        return switch (endpoint) {
            case CONSOLE_GET -> authed(new Req(endpoint, "GET", "/api/v1/connector" + (junk.chance(0.2) ? "?x=" + enc(junk.text()) : "")));
            case CONSOLE_PUT -> jsonBody(authed(new Req(endpoint, "PUT", "/api/v1/connector")), this::consoleBody);
            case ACCOUNTS_LIST -> authed(new Req(endpoint, "GET", "/api/v1/accounts" + listQuery()));
            case ACCOUNT_PUT -> jsonBody(authed(new Req(endpoint, "PUT", accountPath("/connector"))), this::accountBody);
            case ACCOUNT_GET -> authed(new Req(endpoint, "GET", accountPath("/connector")));
            case ACCOUNT_DELETE -> authed(new Req(endpoint, "DELETE", accountPath("/connector") + (junk.chance(0.3)
                    ? "?force=" + junk.pick("true", "false", "yes", "1", "", "%00", "TRUE") : "")));
            case AUTHORIZE -> jsonBody(authed(new Req(endpoint, "POST", accountPath("/connector/authorize"))), this::authorizeBody);
            case VERIFY -> maybeJunkBody(authed(new Req(endpoint, "POST", accountPath("/connector/verify"))));
            case REFRESH -> maybeJunkBody(authed(new Req(endpoint, "POST", accountPath("/connector/refresh"))));
            case CREDENTIALS -> credentials();
            case PROXY -> proxy();
            case WEBHOOK -> webhook(false);
            case WEBHOOK_PLATFORM -> webhook(true);
            case SETUP -> setup();
            case CALLBACK -> callback();
            case OPENAPI -> openapi();
            case OTHER -> other();
        };
    }

    /** A request to the API with a valid key most of the time, a hostile Authorization otherwise. */
    private Req authed(Req req) {
        double roll = clean ? 0 : rng.nextDouble();
        if (roll < 0.80) {
            req.auth = Auth.ADMIN;
            req.header("Authorization", junk.chance(0.05) ? "bearer " + TestKeys.API_KEY : "Bearer " + TestKeys.API_KEY);
        } else if (roll < 0.84) {
            req.auth = Auth.READER;
            req.header("Authorization", "Bearer " + TestKeys.READER_API_KEY);
        } else {
            req.auth = Auth.HOSTILE;
            switch (rng.nextInt(12)) {
                case 0 -> { }
                case 1 -> req.header("Authorization", "");
                case 2 -> req.header("Authorization", "Bearer");
                case 3 -> req.header("Authorization", "Bearer ");
                case 4 -> req.header("Authorization", "Bearer wrong-key-0000000000000");
                case 5 -> req.header("Authorization", "Basic dXNlcjpwYXNzd29yZA==");
                case 6 -> req.header("Authorization", "Bearer " + TestKeys.API_KEY + "x");
                case 7 -> req.header("Authorization", TestKeys.API_KEY);
                case 8 -> req.header("Authorization", "Bearer " + "k".repeat(8000));
                case 9 -> req.header("Authorization", "Bearer " + TestKeys.API_KEY.substring(0, 10));
                case 10 -> req.header("Authorization", "Bearer  \t");
                default -> {
                    // A control character inside the key: only a raw socket sends it.
                    req.header("Authorization", "Bearer test-admin\u0001key");
                    req.raw = true;
                    req.protocolJunk = true;
                    req.note += "control-char-in-header ";
                }
            }
        }
        return req;
    }

    /** {@code /api/v1/accounts/{id}{suffix}}: a known installation, a new valid id, or a hostile one. */
    private String accountPath(String suffix) {
        return "/api/v1/accounts/" + accountSegment() + suffix;
    }

    private boolean rawSegment;

    private String accountSegment() {
        double roll = rng.nextDouble();
        boolean wantsConnection = current == Endpoint.VERIFY || current == Endpoint.REFRESH || current == Endpoint.PROXY
                || current == Endpoint.CREDENTIALS || current == Endpoint.ACCOUNT_DELETE;
        if (wantsConnection && !connected.isEmpty() && (clean || junk.chance(0.5))) {
            String pick = junk.pick(connected);
            if (!(current == Endpoint.ACCOUNT_DELETE && pick.equals(OWN))) {
                return pick;
            }
        }
        // The account with its own platform keeps existing (and its clientId), so its webhook endpoint stays signed.
        List<String> pool = current == Endpoint.ACCOUNT_DELETE || current == Endpoint.ACCOUNT_PUT
                ? installed.stream().filter(a -> !a.equals(OWN)).toList() : installed;
        if (clean) {
            return pool.isEmpty() ? junk.validId() : junk.pick(pool);
        }
        if (roll < 0.5 && !pool.isEmpty()) {
            return junk.pick(pool);
        }
        if (roll < 0.68) {
            return junk.validId();
        }
        if (roll < 0.95) {
            return junk.pick(Junk.HOSTILE_ID_SEGMENTS);
        }
        rawSegment = true;
        return junk.pick(Junk.RAW_ID_SEGMENTS);
    }

    private String listQuery() {
        List<String> params = new ArrayList<>();
        if (junk.chance(0.5)) {
            params.add("status=" + junk.pick("connected", "pending", "revoked", "error", "", "CONNECTED", "needs_credentials",
                    enc(junk.text()), "%00", "connected%00"));
        }
        if (junk.chance(0.5)) {
            params.add("limit=" + junk.pick("1", "50", "200", "0", "-1", "201", "abc", "99999999999999999999", "1e3", "%205", "2.5",
                    "0x10", "%00"));
        }
        if (junk.chance(0.4)) {
            String cursor = switch (rng.nextInt(8)) {
                case 0 -> installed.isEmpty() ? "aA" : java.util.Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(junk.pick(installed).getBytes(StandardCharsets.UTF_8));
                case 1 -> "!!!!";
                case 2 -> "x".repeat(300);
                case 3 -> "====";
                case 4 -> java.util.Base64.getUrlEncoder().encodeToString("../../etc".getBytes(StandardCharsets.UTF_8));
                case 5 -> java.util.Base64.getUrlEncoder().encodeToString("a".repeat(140).getBytes(StandardCharsets.UTF_8));
                case 6 -> java.util.Base64.getUrlEncoder().encodeToString(new byte[] {0, (byte) 0xff, 0x27});
                default -> enc(junk.text());
            };
            params.add("cursor=" + cursor);
        }
        if (junk.chance(0.1)) {
            params.add("limit=1&limit=2&status=pending&status=connected");
        }
        return params.isEmpty() ? "" : "?" + String.join("&", params);
    }

    private interface BodyMaker {
        String valid();
    }

    /** A JSON body for an endpoint that reads one: valid, one field hostile, or not an object at all. */
    private Req jsonBody(Req req, BodyMaker maker) {
        double roll = clean ? 0 : rng.nextDouble();
        String type = "application/json";
        byte[] body;
        if (roll < 0.38) {
            body = bytes(maker.valid());
        } else if (roll < 0.66) {
            body = bytes(mutateFields(maker.valid()));
        } else if (roll < 0.70) {
            String valid = maker.valid();
            body = bytes(valid.equals("{}") ? "{\"evil\":" + junk.anyJson() + "}"
                    : valid.substring(0, valid.length() - 1) + ",\"" + junk.pick("evil", "id", "status", "accessToken", "__proto__")
                    + "\":" + junk.anyJson() + "}");
        } else if (roll < 0.73) {
            body = bytes("{\"name\":\"a\",\"name\":\"b\",\"clientId\":\"ca_A1\",\"clientId\":null,\"scope\":\"read_only\",\"scope\":42}");
        } else if (roll < 0.76) {
            body = bytes("[" + maker.valid() + "]");
        } else if (roll < 0.79) {
            body = bytes("null");
        } else if (roll < 0.83) {
            body = new byte[0];
        } else if (roll < 0.89) {
            body = junk.notJson();
        } else if (roll < 0.92) {
            body = bytes(junk.pick("42", "\"just a string\"", "true", "-0", "1e999"));
        } else if (roll < 0.94) {
            body = bytes(junk.chance(0.5) ? Junk.deep(3000) : "{\"a\":" + "{\"a\":".repeat(2000) + "1" + "}".repeat(2001));
        } else if (roll < 0.96) {
            body = bytes("{\"name\":" + str("h".repeat(70_000)) + "}");
            req.mayBeCutOff = true;
        } else {
            body = bytes(maker.valid());
            type = junk.pick("text/plain", "application/xml", "application/json; charset=ebcdic", "application/json-seq",
                    "*/*", "", "garbage", "application/vnd.api+json", "text/json");
        }
        req.body = body;
        req.header("Content-Type", type);
        return req;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Replaces the value of one or more fields of a flat JSON object with hostile ones, or adds nulls and numbers. */
    private String mutateFields(String valid) {
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode node;
        try {
            node = JSON.readTree(valid);
        } catch (IOException e) {
            return valid;
        }
        node.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().toString()));
        List<String> names = new ArrayList<>(List.of("name", "clientId", "clientSecret", "webhookSecret", "returnUrl", "scope",
                "defaultScope", "accountType", "stripeLanding", "alwaysPrompt", "stripeUser", "suggestedCapabilities"));
        int changes = 1 + rng.nextInt(2);
        for (int c = 0; c < changes; c++) {
            String name = fields.isEmpty() || junk.chance(0.3) ? junk.pick(names) : junk.pick(new ArrayList<>(fields.keySet()));
            fields.put(name, hostileValue(name));
        }
        StringBuilder out = new StringBuilder("{");
        fields.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(str(k)).append(':').append(v));
        return out.append('}').toString();
    }

    private String hostileValue(String field) {
        if (junk.chance(0.45)) {
            return junk.anyJson();
        }
        return switch (field) {
            case "name" -> str(junk.pick("n".repeat(201), "n".repeat(200), "a\u0000b", "\u0007bell", junk.text()));
            case "clientId" -> str(junk.pick("ca_" + "C".repeat(253), "ca_" + "C".repeat(300), "ca_", "ca_a-b", "ca_\u0000x",
                    "CA_ABC", "ca_abc ", "sk_test_abc", junk.text()));
            case "clientSecret" -> str(junk.pick("sk_test_" + "S".repeat(250), "sk_test_" + "S".repeat(300), "sk_test_",
                    "pk_test_Abc123", "sk_test_a\u0000b", "sk_prod_Abc", "whsec_abc", junk.text()));
            case "webhookSecret" -> str(junk.pick("whsec_" + "W".repeat(300), "whsec_short", "whsec_a\u0000bcdefgh", junk.text()));
            case "returnUrl" -> str(junk.pick("javascript:alert(1)", "https://app.partner.example/stripe.evil.example",
                    "https://app.partner.example/stripe@evil.example", "//evil.example/x", TestKeys.RETURN_URL_PREFIX + "/" + "r".repeat(2100),
                    TestKeys.RETURN_URL_PREFIX + "/a\u0000b", TestKeys.RETURN_URL_PREFIX + "/\r\nSet-Cookie: x=1",
                    "HTTPS://APP.PARTNER.EXAMPLE/stripe", TestKeys.RETURN_URL_PREFIX + "/../../admin", "data:text/html,hi", "",
                    TestKeys.RETURN_URL_PREFIX + "%2F..%2F..", "http://app.partner.example/stripe", TestKeys.RETURN_URL_PREFIX + "#frag"));
            case "stripeUser" -> junk.pick("{\"unknown_field\":\"x\"}", "{\"email\":" + str("e".repeat(600)) + "}",
                    "{\"email\":null}", "{\"email\":{\"nested\":1}}", "{\"email\":42}", "{\"email\":\"a\\u0000b\"}",
                    "{\"business_name\":" + str("b".repeat(501)) + "}", "{\"url\":\"\"}", manyPrefills(), "[\"email\"]",
                    "{\"email\":\"x@y.example\",\"email\":\"z@y.example\"}", "{\"" + "k".repeat(300) + "\":\"v\"}");
            case "suggestedCapabilities" -> junk.pick("[\"x y\"]", "[null]", "\"card_payments\"", "[42]", manyCapabilities(),
                    "[\"" + "c".repeat(100) + "\"]", "[\"card_payments\\u0000\"]", "[[\"nested\"]]");
            case "scope", "defaultScope" -> str(junk.pick("admin", "read_write ", "READ_WRITE", "read_write\u0000", ""));
            case "accountType" -> str(junk.pick("custom", "Express", "standard\u0000", "", "s".repeat(300)));
            case "stripeLanding" -> str(junk.pick("signup", "LOGIN", "", "login\u0000"));
            case "alwaysPrompt" -> junk.pick("\"yes\"", "1", "\"true\"", "[]");
            default -> str(junk.text());
        };
    }

    private String manyPrefills() {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < 60; i++) {
            out.append(i > 0 ? "," : "").append("\"f").append(i).append("\":\"v\"");
        }
        return out.append('}').toString();
    }

    private String manyCapabilities() {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < 30; i++) {
            out.append(i > 0 ? "," : "").append("\"cap_").append(i).append('"');
        }
        return out.append(']').toString();
    }

    private String consoleBody() {
        Map<String, String> fields = new LinkedHashMap<>();
        if (junk.chance(0.3)) {
            fields.put("clientId", junk.chance(0.7) ? str(Flows.CLIENT_ID) : junk.chance(0.5) ? "null" : str("ca_HostileOther" + junk.alnum(6)));
        }
        if (junk.chance(0.4)) {
            if (junk.chance(0.5)) {
                fields.put("clientSecret", str(Flows.SECRET));
            } else if (junk.chance(0.2)) {
                fields.put("clientSecret", "null");
            } else {
                String key = junk.pick("sk_test_", "rk_test_", "sk_live_") + "HostileConsole" + junk.alnum(10);
                secrets.add(key);
                fields.put("clientSecret", str(key));
            }
        }
        if (junk.chance(0.3)) {
            fields.put("defaultScope", junk.chance(0.8) ? str(junk.pick("read_write", "read_only")) : "null");
        }
        if (junk.chance(0.3)) {
            fields.put("accountType", junk.chance(0.8) ? str(junk.pick("standard", "express")) : "null");
        }
        return object(fields);
    }

    private String accountBody() {
        Map<String, String> fields = new LinkedHashMap<>();
        if (junk.chance(0.6)) {
            fields.put("name", junk.chance(0.9) ? str("Shop " + junk.alnum(5)) : "null");
        }
        if (junk.chance(0.15)) {
            fields.put("clientId", junk.chance(0.8) ? str("ca_HostileOther" + junk.alnum(6)) : "null");
        }
        if (junk.chance(0.15)) {
            if (junk.chance(0.8)) {
                String key = "sk_test_HostileAccount" + junk.alnum(10);
                secrets.add(key);
                fields.put("clientSecret", str(key));
            } else {
                fields.put("clientSecret", "null");
            }
        }
        if (junk.chance(0.08)) {
            String hook = "whsec_HostileHook" + junk.alnum(10);
            secrets.add(hook);
            fields.put("webhookSecret", str(hook));
        }
        return object(fields);
    }

    private String authorizeBody() {
        Map<String, String> fields = new LinkedHashMap<>();
        if (junk.chance(0.3)) {
            fields.put("returnUrl", str(junk.pick(RETURN_URL, "https://other.partner.example/back", TestKeys.RETURN_URL_PREFIX)));
        }
        if (junk.chance(0.2)) {
            fields.put("scope", str(junk.pick("read_write", "read_only")));
        }
        if (junk.chance(0.2)) {
            fields.put("stripeLanding", str(junk.pick("login", "register")));
        }
        if (junk.chance(0.15)) {
            fields.put("alwaysPrompt", junk.pick("true", "false"));
        }
        if (junk.chance(0.25)) {
            fields.put("stripeUser", "{\"email\":\"owner@shop.example\",\"business_name\":\"Shop & Co\",\"country\":\"DE\"}");
        }
        if (junk.chance(0.15)) {
            fields.put("accountType", str("express"));
            if (junk.chance(0.5)) {
                fields.put("suggestedCapabilities", "[\"card_payments\",\"transfers\"]");
            }
        }
        return object(fields);
    }

    private static String object(Map<String, String> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(str(k)).append(':').append(v));
        return out.append('}').toString();
    }

    private Req maybeJunkBody(Req req) {
        if (!clean && junk.chance(0.15)) {
            req.body = junk.chance(0.5) ? junk.notJson() : bytes("{\"unexpected\":true}");
            req.header("Content-Type", junk.pick("application/json", "text/plain"));
        }
        return req;
    }

    private Req credentials() {
        Req req = new Req(Endpoint.CREDENTIALS, "GET", accountPath("/connector/credentials"));
        if (clean || junk.chance(0.55)) {
            req.auth = Auth.READER;
            req.header("Authorization", "Bearer " + TestKeys.READER_API_KEY);
            return req;
        }
        return authed(req);
    }

    private static final List<String> PROXY_PATHS = List.of("customers", "customers/cus_123", "charges", "account", "balance",
            "customers/cus_1/sources/src_2", "../../oauth/token", "%2e%2e/oauth/token", "customers/..", "", "customers//x",
            "v1/customers", "customers%2Fx", "%C3%BC", "customers/%00", "p".repeat(600), "customers/", "customers/cus_1;x=1",
            "..%2F..%2F..%2Fapi%2Fv1%2Fconnector", "customers?x=1", "https://evil.example/x", "@evil.example", "customers%23frag");

    private Req proxy() {
        String method = junk.pick("GET", "GET", "GET", "POST", "POST", "DELETE");
        String path = clean ? junk.pick("customers", "customers/cus_123", "charges", "balance") : junk.pick(PROXY_PATHS);
        String query = clean ? junk.pick("", "?limit=3") : junk.pick("", "", "?limit=3", "?expand[]=data.customer", "?a=%00",
                "?email=" + enc(junk.text()), "?x=" + "q".repeat(3000));
        Req req = authed(new Req(Endpoint.PROXY, method, accountPath("/stripe/v1/" + path + query)));
        if (method.equals("POST")) {
            switch (clean ? 0 : rng.nextInt(6)) {
                case 0, 1 -> {
                    req.body = bytes("email=jenny%40example.com&description=" + enc(junk.text()));
                    req.header("Content-Type", "application/x-www-form-urlencoded");
                }
                case 2 -> {
                    req.body = bytes("description=" + "d".repeat(70_000));
                    req.header("Content-Type", "application/x-www-form-urlencoded");
                    req.mayBeCutOff = true;
                }
                case 3 -> req.json("{\"email\":\"x@y.example\"}");
                case 4 -> {
                    req.body = junk.notJson();
                    req.header("Content-Type", "application/octet-stream");
                }
                default -> { }
            }
        }
        if (junk.chance(0.4)) {
            req.header("Idempotency-Key", junk.chance(0.8) ? "idem-" + junk.alnum(16) : "i".repeat(300));
        }
        if (junk.chance(0.2)) {
            req.header("Stripe-Version", junk.pick("2024-06-20", "garbage", "v".repeat(200)));
        }
        if (junk.chance(0.1)) {
            req.header("Stripe-Account", "acct_1SomeoneElse000");
        }
        return req;
    }

    private Req webhook(boolean platform) {
        String platformSegment = null;
        String secret = TestKeys.WEBHOOK_SECRET;
        String application = Flows.CLIENT_ID;
        if (platform) {
            double roll = rng.nextDouble();
            if (roll < 0.65) {
                platformSegment = OWN_CLIENT;
                secret = junk.chance(0.85) ? OWN_WEBHOOK : TestKeys.WEBHOOK_SECRET;
                application = junk.chance(0.8) ? OWN_CLIENT : Flows.CLIENT_ID;
            } else if (roll < 0.8) {
                platformSegment = "ca_Unknown" + junk.alnum(6);
            } else {
                platformSegment = junk.pick("..", "ca_" + "x".repeat(300), "%00", "%C3%BC", "ca_a%2Fb", "", "ca_", "%2e%2e",
                        "ca_abc%00", "CA_abc");
            }
        }
        String account = junk.chance(0.7) && !hostileAccounts.isEmpty() ? junk.pick(hostileAccounts) : "acct_1Random" + junk.alnum(8);
        String id = "evt_H" + junk.alnum(12);
        if (junk.chance(0.1) && !eventIds.isEmpty()) {
            id = junk.pick(eventIds);
        }
        eventIds.add(id);
        long now = Instant.now().getEpochSecond();
        Map<String, String> event = new LinkedHashMap<>();
        event.put("id", str(id));
        event.put("object", str("event"));
        event.put("account", str(account));
        event.put("api_version", str("2024-06-20"));
        event.put("created", Long.toString(now));
        event.put("data", "{\"object\":{\"id\":" + str(application) + ",\"object\":\"application\",\"name\":\"Platform\"}}");
        event.put("livemode", "false");
        event.put("type", str(junk.chance(0.8) ? "account.application.deauthorized" : "customer.created"));
        byte[] raw;
        double roll = rng.nextDouble();
        if (roll < 0.45) {
            raw = bytes(object(event));
        } else if (roll < 0.85) {
            int changes = 1 + rng.nextInt(2);
            for (int c = 0; c < changes; c++) {
                String field = junk.pick("id", "account", "type", "created", "data", "data");
                String value = switch (field) {
                    case "id" -> junk.pick(str("evt_" + "i".repeat(300)), str("evt_\u0000x"), "42", "null", str(""), str(junk.text()));
                    case "account" -> junk.pick(str("acct_" + "a".repeat(300)), str("acct_1\u0000x"), "42", "null", str(""),
                            str("acct_1Bad-Chars!"), str(junk.text()));
                    case "type" -> junk.pick(str("t".repeat(200)), str("account.application.deauthorized\u0000"), "[\"x\"]", "null",
                            str(""), str("account.application.authorized"));
                    case "created" -> junk.pick("-5", "99999999999999", "1e30", "\"yesterday\"", "3.5", "null",
                            "99999999999999999999999", Long.toString(now + 86_400 * 365), "0", "[]");
                    default -> junk.pick("\"string\"", "null", "{\"object\":{\"id\":" + str("ca_" + "x".repeat(300)) + "}}",
                            "{\"object\":{\"id\":\"ca_\\u0000\"}}", "{\"object\":{\"id\":42}}", "{\"object\":[]}", "[]",
                            "{\"object\":{\"id\":\"sk_test_notAClientId\"}}");
                };
                if (junk.chance(0.15)) {
                    event.remove(field);
                } else {
                    event.put(field, value);
                }
            }
            raw = bytes(object(event));
        } else if (roll < 0.97) {
            raw = junk.chance(0.7) ? junk.notJson() : bytes(junk.pick("[]", "null", "", "42", Junk.deep(3000)));
        } else {
            raw = bytes(object(event).replaceFirst("\\{", "{\"padding\":" + str("p".repeat(junk.chance(0.7) ? 100_000 : 1_200_000)) + ","));
        }
        Req req = new Req(platform ? Endpoint.WEBHOOK_PLATFORM : Endpoint.WEBHOOK, "POST",
                "/webhooks/stripe" + (platform ? "/" + platformSegment : ""));
        req.body = raw;
        req.mayBeCutOff = raw.length > 1024 * 1024;
        req.header("Content-Type", junk.chance(0.9) ? "application/json; charset=utf-8" : junk.pick("text/plain", "application/xml"));
        String signed = new String(raw, StandardCharsets.UTF_8);
        long t = now;
        int draw = rng.nextInt(24);
        String signature = draw < 12
                ? "t=" + t + ",v1=" + Webhooks.sign(draw == 0 && !platform ? TestKeys.OLD_WEBHOOK_SECRET : secret, t, signed)
                : switch (draw) {
                    case 12 -> null;
                    case 13 -> "t=abc,v1=zz";
                    case 14 -> "v1=" + Webhooks.sign(secret, t, signed);
                    case 15 -> "t=" + (t - 400 - rng.nextInt(100_000)) + ",v1=" + Webhooks.sign(secret, t - 400, signed);
                    case 16 -> "t=" + (t + 100_000) + ",v1=" + Webhooks.sign(secret, t + 100_000, signed);
                    case 17 -> "t=" + t + ",v1=" + Webhooks.sign("whsec_WrongSecret0000", t, signed);
                    case 18 -> "t=" + t + ",v1=" + "0".repeat(64);
                    case 19 -> "t=" + t + ",v1=" + "f".repeat(10_000);
                    case 20 -> "t=" + t + ",v0=" + Webhooks.sign(secret, t, signed);
                    case 21 -> "t=" + t + ",t=" + (t - 1) + ",v1=" + Webhooks.sign(secret, t, signed);
                    case 22 -> "t=99999999999999999999,v1=" + Webhooks.sign(secret, t, signed);
                    default -> "";
                };
        if (signature != null) {
            req.header("Stripe-Signature", signature);
        }
        return req;
    }

    private Req setup() {
        String token;
        double roll = rng.nextDouble();
        if (roll < 0.25 && !freshSetups.isEmpty()) {
            token = freshSetups.pop();
            usedSetups.push(token);
        } else if (roll < 0.4 && !usedSetups.isEmpty()) {
            token = junk.pick(new ArrayList<>(usedSetups));
        } else if (roll < 0.6) {
            token = junk.forgedToken();
        } else {
            token = junk.pick(Junk.HOSTILE_ID_SEGMENTS);
        }
        return new Req(Endpoint.SETUP, junk.chance(0.9) ? "GET" : junk.pick("POST", "HEAD", "DELETE"), "/connector/setup/" + token);
    }

    private Req callback() {
        List<String> params = new ArrayList<>();
        String freshAccount = null;
        boolean issuedState = false;
        double roll = clean ? 0 : rng.nextDouble();
        if (roll < 0.32 && !freshStates.isEmpty()) {
            String[] fresh = freshStates.pop();
            usedStates.push(fresh[0]);
            freshAccount = fresh[1];
            params.add("state=" + fresh[0]);
        } else if (roll < 0.42 && !usedStates.isEmpty()) {
            // Issued by the service; usually spent already, but not when the callback that had it was refused first.
            params.add("state=" + junk.pick(new ArrayList<>(usedStates)));
            issuedState = true;
        } else if (roll < 0.57) {
            params.add("state=" + junk.forgedToken());
        } else if (roll < 0.77) {
            params.add("state=" + junk.pick(Junk.HOSTILE_ID_SEGMENTS));
        } else if (roll < 0.85) {
            params.add("state=");
        } else if (roll < 0.9) {
            params.add("state=" + junk.forgedToken() + "&state=" + junk.forgedToken());
        }
        boolean declined = !clean && junk.chance(freshAccount != null ? 0.08 : 0.15);
        if (declined) {
            params.add("error=" + junk.pick("access_denied", "access_denied", "invalid_scope", enc(junk.text()), "e".repeat(500)));
            if (junk.chance(0.8)) {
                params.add("error_description=" + enc(junk.pick("The user denied your request", "<script>alert(1)</script>",
                        "d".repeat(5000), "a\u0000b", "line\r\nbreak", "üñí 🙂", "&amp;&lt;")));
            }
        }
        double code = clean || freshAccount != null && junk.chance(0.7) ? 0 : rng.nextDouble();
        if (code < 0.6) {
            params.add("code=ac_H" + junk.alnum(20));
        } else if (code < 0.7) {
            params.add("code=");
        } else if (code < 0.9) {
            params.add("code=" + junk.pick("ac_" + "c".repeat(5000), "ac_%00x", "%C3%BC", "ac_a%0d%0ab", "ac_x&code=ac_y", enc(junk.text())));
        }
        if (!clean && junk.chance(0.2)) {
            params.add("scope=" + junk.pick("read_write", "admin", "%00"));
        }
        java.util.Collections.shuffle(params, rng);
        Req req = new Req(Endpoint.CALLBACK, clean || junk.chance(0.93) ? "GET" : junk.pick("POST", "HEAD"),
                "/connector/callback" + (params.isEmpty() ? "" : "?" + String.join("&", params)));
        req.freshStateAccount = freshAccount;
        req.issuedState = issuedState || freshAccount != null;
        return req;
    }

    private Req openapi() {
        Req req = new Req(Endpoint.OPENAPI, junk.pick("GET", "GET", "GET", "HEAD", "POST", "OPTIONS"),
                junk.pick("/q/openapi", "/q/openapi?format=json", "/q/openapi?format=" + enc(junk.text()), "/q/openapi.json",
                        "/q/openapi.yaml", "/q/swagger-ui", "/q/openapi/../health/ready"));
        if (req.method.equals("POST")) {
            req.json("{}");
        }
        return req;
    }

    private static final List<String> OTHER_PATHS = List.of("/", "/api", "/api/", "/api/v2/x", "/api/v1", "/api/v1/",
            "/api/v1/accounts/x/y/z", "/api/v1/accounts/x/connector/unknown", "/api/v1/events", "/api/v1/event-subscriptions",
            "/webhooks", "/webhooks/", "/webhooks/stripe/a/b", "/webhooks/other", "/q/health", "/q/health/ready", "/q/metrics",
            "/q/dev", "/q/dev-ui", "/console/x", "/console/", "/connector", "/connector/setup", "/connector/setup/", "/connector/x",
            "/favicon.ico", "/.env", "/%2e%2e/%2e%2e/etc/passwd", "/api/v1/../../etc/passwd", "//api/v1/connector",
            "/api//v1/connector", "/API/V1/CONNECTOR", "/api/v1/connector/", "/api/v1/connector;jsessionid=1",
            "/api/v1/connector%00", "/api/v1/accounts/", "/api/v1/accounts//connector", "/api/v1/accounts/a/connector/",
            "/api/v1/accounts/a/stripe/v1", "/api/v1/accounts/a/stripe", "/webhooks/stripe/", "/connector/callback/x",
            "/%00", "/%C3%BC", "/index.html", "/robots.txt", "/q", "/q/", "/q/arc", "/q/info");

    private Req other() {
        String method = junk.pick("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "FOO");
        Req req = new Req(Endpoint.OTHER, method, junk.chance(0.85) ? junk.pick(OTHER_PATHS) : "/" + junk.alnum(1 + rng.nextInt(30)));
        if (junk.chance(0.5)) {
            authed(req);
        }
        if (!method.equals("GET") && !method.equals("HEAD") && junk.chance(0.5)) {
            req.json(junk.chance(0.5) ? "{}" : new String(junk.notJson(), StandardCharsets.ISO_8859_1));
        }
        return req;
    }

    /** Mutations of the HTTP request itself, on any endpoint. */
    private void mutateTransport(Req req) {
        if (clean) {
            req.note += "clean ";
            return;
        }
        if (rawSegment) {
            req.raw = true;
            rawSegment = false;
            req.note += "raw-path-chars ";
        }
        double roll = rng.nextDouble();
        if (roll < 0.015) {
            req.target += (req.target.contains("?") ? "&" : "?") + "pad=" + "a".repeat(10 * 1024);
            req.note += "long-uri ";
        } else if (roll < 0.03) {
            req.header("X-Pad", "h".repeat(20 * 1024));
            req.note += "large-header ";
        } else if (roll < 0.04) {
            for (int i = 0; i < 250; i++) {
                req.header("X-Many-" + i, "v".repeat(80));
            }
            req.note += "many-headers ";
        } else if (roll < 0.095) {
            String method = junk.pick("PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "FOO", "get", "CONNECT");
            req.method = method;
            if (method.equals("CONNECT") || method.equals("get")) {
                req.raw = true;
            }
            req.note += "method ";
        } else if (roll < 0.12) {
            req.target += (req.target.contains("?") ? "&" : "?") + junk.pick("%zz", "%", "a=%GG", "a=%", "limit=%E0%A4%A", "%%%", "a=b%zzc");
            req.raw = true;
            req.note += "malformed-query ";
        } else if (roll < 0.14) {
            int size = 64 * 1024 + 1 + rng.nextInt(140 * 1024);
            req.method = req.method.equals("GET") || req.method.equals("HEAD") ? "POST" : req.method;
            req.removeHeader("Content-Type");
            req.json("{\"name\":" + str("o".repeat(size)) + "}");
            req.raw = true;
            req.mayBeCutOff = true;
            req.note += "declared-over-64KiB ";
        } else if (roll < 0.16) {
            int size = 64 * 1024 + 1 + rng.nextInt(140 * 1024);
            req.method = req.method.equals("GET") || req.method.equals("HEAD") ? "POST" : req.method;
            req.removeHeader("Content-Type");
            req.json("{\"name\":" + str("k".repeat(size)) + "}");
            req.chunked = true;
            req.chunkSize = 1024 + rng.nextInt(16 * 1024);
            req.raw = true;
            req.mayBeCutOff = true;
            req.note += "chunked-over-64KiB ";
        } else if (roll < 0.175) {
            // Issue #8 item 9: a chunked form body with a field over 2 KiB.
            req.method = "POST";
            req.removeHeader("Content-Type");
            boolean multipart = junk.chance(0.3);
            if (multipart) {
                req.header("Content-Type", "multipart/form-data; boundary=XyZ");
                req.body = bytes("--XyZ\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\n" + "m".repeat(3000 + rng.nextInt(5000))
                        + "\r\n--XyZ--\r\n");
            } else {
                req.header("Content-Type", "application/x-www-form-urlencoded");
                req.body = bytes("field=" + "f".repeat(2100 + rng.nextInt(6000)) + "&other=1");
            }
            req.chunked = true;
            req.chunkSize = 256 + rng.nextInt(1024);
            req.raw = true;
            req.note += "chunked-form-field-over-2KiB ";
        } else if (roll < 0.19) {
            req.method = req.method.equals("GET") || req.method.equals("HEAD") ? "POST" : req.method;
            req.removeHeader("Content-Type");
            if (junk.chance(0.5)) {
                req.header("Content-Type", "multipart/form-data; boundary=AbC");
                req.body = bytes("--AbC\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n" + "n".repeat(2500)
                        + "\r\n--AbC\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                        + "Content-Type: text/plain\r\n\r\nhello\r\n--AbC--\r\n");
            } else {
                req.header("Content-Type", "application/x-www-form-urlencoded");
                req.body = bytes("name=" + "v".repeat(3000) + "&clientId=ca_X");
            }
            req.note += "form-body ";
        } else if (roll < 0.21) {
            req.removeHeader("Accept");
            req.header("Accept", junk.pick("application/xml", "text/html", "*/*;q=0", "image/png", "application/problem+json", ""));
            req.note += "accept ";
        } else if (roll < 0.2115) {
            // An empty chunked body ("0\r\n\r\n") where a body is read: answered at once, like any other body.
            req.method = req.method.equals("GET") || req.method.equals("HEAD") ? "POST" : req.method;
            req.body = new byte[0];
            req.chunked = true;
            req.raw = true;
            req.note += "empty-chunked-body ";
        } else if (roll < 0.215) {
            req.protocolJunk = true;
            req.raw = true;
            req.rawRequest = protocolJunk();
            req.target = req.rawRequest.substring(0, req.rawRequest.indexOf("\r\n"));
            req.method = "(raw)";
            req.body = null;
            req.note += "protocol-junk ";
        } else if (roll < 0.22) {
            req.header("X-Nul", "a\u0000b");
            req.raw = true;
            req.protocolJunk = true;
            req.note += "nul-header ";
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Sending
    // ---------------------------------------------------------------------------------------------

    private Answer send(Req req) {
        if (req.rawRequest != null) {
            return RawHttp.exchange(host, port, req.rawRequest.getBytes(StandardCharsets.ISO_8859_1), null, req.timeoutMillis);
        }
        if (!req.raw) {
            Answer answer = sendWithJdk(req);
            if (answer != null) {
                return answer;
            }
            req.note += "invalid-uri ";
        }
        return sendRaw(req);
    }

    private String protocolJunk() {
        String key = "Authorization: Bearer " + TestKeys.API_KEY + "\r\n";
        return junk.pick(
                "GET /api/v1/connector\r\n\r\n",
                "GET /api/v1/connector HTTP/1.1\r\nHost: x\r\nNoColonHeader\r\n\r\n",
                "GET http://evil.example/api/v1/connector HTTP/1.1\r\nHost: x\r\n" + key + "\r\n",
                "BREW /coffee HTCPCP/1.0\r\n\r\n",
                "GET /api/v1/connector HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + key + "\r\n",
                "POST /webhooks/stripe HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "POST /api/v1/connector HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n" + key + "\r\n",
                "POST /api/v1/connector HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n" + key + "\r\n",
                "GET /api/v1/connector HTTP/9.9\r\nHost: x\r\n\r\n",
                "GET /api/v1/connector HTTP/1.1\r\nHost: x\r\n Folded: header\r\n\r\n",
                "PUT /api/v1/connector HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n" + key + "\r\n",
                "POST /webhooks/stripe HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
                "PUT /api/v1/connector HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n" + key
                        + "\r\n2\r\n{}\r\n-1\r\n\r\n",
                "GET /api/v1/connector HTTP/1.1\r\nHost: x\r\nX-Ctl: a\u007fb\r\n" + key + "\r\n",
                "GET /connector/callback HTTP/1.1\r\nConnection: close\r\n\r\n",
                "GET / HTTP/9.9\r\n\r\n");
    }

    private Answer sendWithJdk(Req req) {
        URI uri;
        try {
            uri = new URI("http://" + host + ":" + port + req.target);
        } catch (URISyntaxException e) {
            return null;
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(req.timeoutMillis))
                .header("Host", TestKeys.SERVICE_DOMAIN);
        HttpRequest.BodyPublisher publisher = req.body == null ? HttpRequest.BodyPublishers.noBody()
                : req.chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(req.body))
                : HttpRequest.BodyPublishers.ofByteArray(req.body);
        try {
            builder.method(req.method, publisher);
            for (String[] header : req.headers) {
                builder.header(header[0], header[1]);
            }
        } catch (IllegalArgumentException refused) {
            return null;
        }
        try {
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            return new Answer(response.statusCode(), headers, response.body() == null ? new byte[0] : response.body(), null);
        } catch (IOException e) {
            return Answer.none("java.net.http: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.none("interrupted");
        }
    }

    private Answer sendRaw(Req req) {
        StringBuilder head = new StringBuilder();
        head.append(req.method).append(' ').append(req.target).append(" HTTP/1.1\r\n");
        // The configured service domain, as a browser behind the ingress names it (browser routes refuse any other).
        head.append("Host: ").append(TestKeys.SERVICE_DOMAIN).append("\r\n");
        for (String[] header : req.headers) {
            head.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        byte[] body = req.body;
        if (body != null) {
            if (req.chunked) {
                head.append("Transfer-Encoding: chunked\r\n");
                body = RawHttp.chunked(body, req.chunkSize);
            } else {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
        }
        head.append("Connection: close\r\n\r\n");
        return RawHttp.exchange(host, port, head.toString().getBytes(StandardCharsets.ISO_8859_1), body, req.timeoutMillis);
    }

    // ---------------------------------------------------------------------------------------------
    // Checking
    // ---------------------------------------------------------------------------------------------

    /** The documented 5xx problems when Stripe gives no usable answer (docs/api.md), with their status. */
    private static final Map<String, Integer> STRIPE_PROBLEMS = Map.of("stripe-unavailable", 502, "stripe-unexpected-answer", 502,
            "stripe-rate-limited", 503, "refresh-in-progress", 503);

    /** What Vert.x answers, bare, to what its HTTP decoder cannot read. */
    private static final Set<Integer> DECODER_STATUSES = Set.of(400, 414, 431);

    private List<String> check(Req req, Answer answer) {
        List<String> problems = new ArrayList<>();
        if (answer.status() < 0) {
            // Malformed HTTP is answered too (a problem, or the decoder's bare status): only a body the
            // server refused while it was still being sent may cut the answer off.
            if (!req.mayBeCutOff) {
                problems.add("no answer: " + answer.failure());
            }
            return problems;
        }
        String path = normalizedPath(req.target);
        boolean guarded = !req.protocolJunk && (path.equals("/api") || path.startsWith("/api/") || path.startsWith("/webhooks/"));
        boolean passThrough = req.endpoint == Endpoint.PROXY && HostileStripe.REQUEST_ID.equals(answer.header("Request-Id"));
        JsonNode problem = null;
        String type = "";
        if (answer.contentType().startsWith("application/problem+json") && answer.body().length > 0) {
            try {
                problem = JSON.readTree(answer.body());
                type = problem.path("type").asText("");
            } catch (IOException e) {
                problems.add("problem+json body is not JSON");
            }
        }
        String slug = type.substring(type.lastIndexOf('/') + 1);

        // 1. No 5xx but the documented ones.
        if (answer.status() >= 500) {
            // Stripe's own 5xx passes through the proxy, but its 500 as 502: a 500 is always a bug of the service.
            boolean allowed = (passThrough && answer.status() != 500)
                    || (req.endpoint.stripe && problem != null && STRIPE_PROBLEMS.getOrDefault(slug, -1) == answer.status())
                    // A HEAD answer has no body to name its problem: its status and type must still be a documented pair.
                    || (req.endpoint.stripe && req.method.equals("HEAD") && answer.contentType().startsWith("application/problem+json")
                            && STRIPE_PROBLEMS.containsValue(answer.status()))
                    || (req.endpoint == Endpoint.CALLBACK && req.issuedState && answer.status() == 502
                            && answer.contentType().startsWith("text/html")
                            && (req.method.equals("HEAD") || answer.text().contains("Stripe could not be reached")));
            if (!allowed) {
                problems.add("5xx that is not a documented Stripe/webhook unavailability");
            }
        }
        // 2. Errors on the API and webhooks are problem+json.
        if (guarded && answer.status() >= 400 && !passThrough) {
            if (!answer.contentType().startsWith("application/problem+json")) {
                problems.add("error without application/problem+json (Content-Type: '" + answer.contentType() + "')");
            } else if (!req.method.equalsIgnoreCase("HEAD")) {
                if (problem == null) {
                    problems.add("problem+json without a body");
                } else if (!problem.path("type").isTextual() || problem.path("type").asText().isEmpty()
                        || !problem.path("title").isTextual() || !problem.path("detail").isTextual()
                        || !problem.path("status").isInt()) {
                    problems.add("problem+json without type/title/status/detail");
                } else if (problem.path("status").asInt() != answer.status()) {
                    problems.add("problem status " + problem.path("status").asInt() + " differs from the HTTP status");
                }
            }
        }
        // 2b. Malformed HTTP: a problem where the service sees the request, else the HTTP decoder's bare
        // status (an empty 400, 414 or 431: HttpFramingTest pins down which requests get it).
        if (req.protocolJunk && answer.status() >= 400 && !answer.contentType().startsWith("application/problem+json")
                && !(answer.body().length == 0 && DECODER_STATUSES.contains(answer.status()))) {
            problems.add("malformed HTTP answered neither as a problem nor with the HTTP decoder's bare status");
        }
        // 3. No class names or stack traces, anywhere.
        String text = answer.text();
        String headers = answer.headerText();
        String marker = Leaks.marker(text);
        if (marker == null) {
            marker = Leaks.marker(headers);
        }
        if (marker != null) {
            problems.add("answer contains '" + marker.replace("\t", "\\t") + "'");
        }
        // 4. No secret, ever; an access token only from the credentials endpoint, to a reader key.
        String secret = Leaks.secret(text, secrets);
        if (secret == null) {
            secret = Leaks.secret(headers, secrets);
        }
        boolean credentialsRead = req.endpoint == Endpoint.CREDENTIALS && req.auth == Auth.READER && answer.status() == 200;
        if (secret == null && !credentialsRead) {
            secret = Leaks.secret(text + "\n" + headers, accessTokens);
        }
        if (secret != null) {
            problems.add("answer contains the secret " + Leaks.name(secret));
        }
        // 5. Without a valid API key nothing on the API succeeds; only a reader key reads credentials.
        if (answer.status() >= 200 && answer.status() < 300 && req.endpoint != Endpoint.OPENAPI
                && req.target.toLowerCase(Locale.ROOT).contains("api/v1")
                && (req.auth == Auth.HOSTILE || req.auth == Auth.NONE) && !req.protocolJunk) {
            problems.add("API call without a valid key answered " + answer.status());
        }
        if (req.endpoint == Endpoint.CREDENTIALS && answer.status() == 200 && req.auth != Auth.READER
                && (req.method.equals("GET") || req.method.equals("HEAD"))) {
            problems.add("credentials answered to a key that may not read them");
        }
        return problems;
    }

    /** The path as the server routes it: escaped dots decoded and dot segments removed (RFC 3986). */
    static String normalizedPath(String target) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        path = path.replace("%2e", ".").replace("%2E", ".");
        Deque<String> out = new ArrayDeque<>();
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (out.size() > 1) {
                    out.removeLast();
                }
                continue;
            }
            out.addLast(segment);
        }
        String joined = String.join("/", out);
        return joined.startsWith("/") ? joined : "/" + joined;
    }

    private static String classOf(int status) {
        return status < 0 ? "no-answer" : status >= 500 ? "5xx" : status >= 400 ? "4xx" : status >= 300 ? "3xx" : "2xx";
    }

    private String describe(int index, Req req, Answer answer, String problem) {
        String category = answer.status() >= 500 ? "5xx" : answer.status() >= 400 ? "4xx" : "other";
        String body = req.body == null ? "" : printable(new String(req.body, StandardCharsets.UTF_8), 160);
        return String.format("[seed=%d #%d] %s: %s | %s %s%s%s | headers=%s -> %d %s %s", seed, index, category, problem,
                req.method, printable(req.target, 160), body.isEmpty() ? "" : " body=" + body,
                req.note.isEmpty() ? "" : " (" + req.note.trim() + ")", headerNames(req), answer.status(), answer.contentType(),
                answer.status() < 0 ? answer.failure() : printable(answer.text(), 300));
    }

    private static String headerNames(Req req) {
        List<String> names = new ArrayList<>();
        for (String[] h : req.headers) {
            String value = h[0].equalsIgnoreCase("Authorization") ? (h[1].contains(TestKeys.API_KEY) || h[1].contains(TestKeys.READER_API_KEY)
                    ? "<valid key>" : printable(h[1], 30)) : printable(h[1], 30);
            names.add(h[0] + "=" + value);
        }
        return names.size() > 6 ? names.subList(0, 6) + "+" + (names.size() - 6) : names.toString();
    }

    private static String printable(String s, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return s.length() > max ? out + "…(" + s.length() + " chars)" : out.toString();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    // ---------------------------------------------------------------------------------------------
    // Learning from answers, so later requests reach deeper
    // ---------------------------------------------------------------------------------------------

    private void learn(Req req, Answer answer) {
        if (answer.status() < 0 || req.protocolJunk) {
            return;
        }
        String path = normalizedPath(req.target);
        String account = accountOf(path);
        switch (req.endpoint) {
            case ACCOUNT_PUT -> {
                if ((answer.status() == 200 || answer.status() == 201) && account != null && !installed.contains(account)
                        && !account.equals(KEEPER)) {
                    installed.add(account);
                }
            }
            case ACCOUNT_DELETE -> {
                if (answer.status() == 200 && account != null) {
                    installed.remove(account);
                    connected.remove(account);
                }
            }
            case VERIFY, REFRESH, PROXY, CREDENTIALS -> {
                if (account != null && !HostileStripe.REQUEST_ID.equals(answer.header("Request-Id"))
                        && (answer.status() == 409 || answer.status() == 404
                        || answer.status() == 200 && req.endpoint == Endpoint.VERIFY && !answer.text().contains("\"status\":\"connected\""))) {
                    connected.remove(account);
                }
            }
            case AUTHORIZE -> {
                if (answer.status() == 200 && account != null && answer.contentType().startsWith("application/json")) {
                    try {
                        JsonNode links = JSON.readTree(answer.body());
                        String state = StripeStubs.param(links.path("authorizeUrl").asText(), "state");
                        String setupUrl = links.path("setupUrl").asText();
                        if (state != null) {
                            freshStates.push(new String[] {state, account});
                        }
                        if (setupUrl.contains("/connector/setup/")) {
                            freshSetups.push(setupUrl.substring(setupUrl.lastIndexOf('/') + 1));
                        }
                        while (freshStates.size() > 60) {
                            freshStates.removeLast();
                        }
                        while (freshSetups.size() > 60) {
                            freshSetups.removeLast();
                        }
                    } catch (IOException ignored) {
                        // Checked above.
                    }
                }
            }
            case CALLBACK -> {
                if (req.freshStateAccount != null && answer.status() == 200 && answer.text().contains("is connected")
                        && lastApplied != null) {
                    hostileAccounts.add(lastApplied.stripeUserId());
                    if (!connected.contains(req.freshStateAccount)) {
                        connected.add(req.freshStateAccount);
                    }
                }
            }
            default -> { }
        }
        while (usedStates.size() > 60) {
            usedStates.removeLast();
        }
        while (usedSetups.size() > 60) {
            usedSetups.removeLast();
        }
    }

    /** The account id of {@code /api/v1/accounts/{id}/...} when it is a plain valid id. */
    private static String accountOf(String path) {
        String prefix = "/api/v1/accounts/";
        if (!path.startsWith(prefix)) {
            return null;
        }
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.matches(AccountIds.PATTERN) ? id : null;
    }

    // ---------------------------------------------------------------------------------------------
    // Summary
    // ---------------------------------------------------------------------------------------------

    /** A failure's kind: what was wrong, the endpoint, and the mutations of the request (not Stripe's mood). */
    private static String groupOf(Req req, Answer answer, String problem) {
        String tags = req.note.replaceAll("stripe=\\S+", "").trim();
        return classOf(answer.status()) + " " + problem.replaceAll("secret \\S+…\\(\\d+ chars\\)", "secret")
                + " on " + (req.rawRequest != null ? "HTTP junk" : req.endpoint) + (tags.isEmpty() ? "" : " [" + tags + "]");
    }

    private void printSummary(Map<Endpoint, Map<Integer, Integer>> statuses, Map<String, Integer> classes, int sent,
                              int stripeRequests, long generatorNanos, Map<String, List<String>> groups, List<String> stackTraces) {
        List<String> failures = groups.values().stream().flatMap(List::stream).toList();
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n[hostile] seed=%d: %d requests in %.1f s (%.0f/s); %d with Stripe's mood set; WireMock saw %d requests%n",
                seed, sent, generatorNanos / 1e9, sent / (generatorNanos / 1e9), stripeRequests, stripe.getAllServeEvents().size()));
        out.append("[hostile] by class: ").append(classes).append('\n');
        statuses.forEach((endpoint, byStatus) -> out.append(String.format("[hostile]   %-17s n=%-5d %s%n", endpoint,
                byStatus.values().stream().mapToInt(Integer::intValue).sum(), byStatus)));
        out.append(String.format("[hostile] %d failed checks, %d ERROR log records with a stack trace%n", failures.size(), stackTraces.size()));
        groups.forEach((group, list) -> {
            out.append(String.format("[hostile] %5d × %s%n", list.size(), group));
            list.stream().limit(2).forEach(f -> out.append("[hostile]         e.g. ").append(f).append('\n'));
        });
        stackTraces.stream().limit(3).forEach(t -> out.append("[hostile] logged: ").append(t).append('\n'));
        System.out.println(out);
    }
}
