package dev.stripeconnector.partner;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.BrowserRoutes;
import dev.stripeconnector.support.EventReceiver;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.PostgresResource;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.Webhooks;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, point 6: a partner's data is reachable only with that partner's credentials. Two partners,
 * alpha ({@code iso-a}) and zulu ({@code iso-b}), hold the same account ids, the same client ID and key
 * in their consoles, the same Stripe account connected in both (through the console's platform and
 * through a platform the installation brings), a console user of the same name, a subscription each and
 * events in both feeds. Then, with alpha's credentials against zulu's data:
 * <ul>
 * <li>every operation of the served OpenAPI document (an operation this test does not classify fails it):
 *     zulu's ids alpha does not have answer 404, never 403; the shared ids and the lists answer alpha's
 *     own; an operator route answers 403 to alpha's key, and every partner route 403 to an operator's key;</li>
 * <li>the install link and the callback: zulu's link or state on alpha's domain answers as an unknown one;</li>
 * <li>Stripe's webhooks on alpha's domain, about the Stripe account both have connected: only alpha's copy changes;</li>
 * <li>every console page and form (read from the console's resources), signed in as alpha's user on alpha's domain;</li>
 * <li>the background jobs: deliveries, retention.</li>
 * </ul>
 * After each request everything zulu holds, in every table with a {@code partner_id} (read with SQL),
 * must be as it was; no answer to alpha may name a value of zulu's (every value of zulu's that is not an
 * id contains "zulu"; its ids are the UUIDs of its rows); and zulu's receiver gets nothing. Every check
 * runs, and the failures are reported together, per operation.
 */
@QuarkusTest
class PartnerIsolationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern UUIDS = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** Installed in both, on the console's platform, connected to {@link #STRIPE_ACCOUNT}. */
    static final String SHARED = "shared-1";
    /** Installed in both, on a platform of its own (the same client ID, key and webhook secret in both), connected to the same account. */
    static final String SHARED_OWN = "shared-own-1";
    /** Zulu's only, on a platform of its own, connected. */
    static final String ZULU_ONLY = "b-only-1";
    /** Alpha's only, pending. */
    static final String ALPHA_ONLY = "a-only-1";
    /** Nobody's: what an unknown id answers. */
    static final String NOBODY = "nobody-1";
    static final String STRIPE_ACCOUNT = "acct_1IsolationShared01";
    static final String OWN_CLIENT_ID = "ca_IsolationOwnPlatform01";
    static final String OWN_SECRET = "sk_test_IsolationOwnPlatformKey01";
    static final String OWN_WEBHOOK_SECRET = "whsec_IsolationOwnPlatformSecret1";
    static final String ZULU_CLIENT_ID = "ca_IsolationZuluPlatform1";
    static final String ZULU_SECRET = "sk_test_IsolationZuluPlatformKey1";
    static final String ZULU_WEBHOOK_SECRET = "whsec_IsolationZuluPlatformSecret";
    /** The signing secret of both partners' console platform endpoint. */
    static final String CONSOLE_WEBHOOK_SECRET = "whsec_IsolationConsolePlatform01";
    static final String SAME_USER = "same-user";
    static final String ZULU_ONLY_USER = "b-only-user";

    @InjectWireMock
    WireMockServer stripe;

    /** One partner of the test: its id, domain, word (in each of its values), key (api, credentials-reader, admin), receiver and subscription. */
    record Side(String id, String domain, String word, String key, String keyId, EventReceiver receiver, String subscriptionId) {
        String origin() {
            return "https://" + domain;
        }

        String name(String accountId) {
            return word + " shop " + accountId;
        }

        String password() {
            return word + "-console-password-42";
        }

        /** A console user only this partner has: a-only-user, b-only-user. */
        String onlyUser() {
            return id.substring(id.length() - 1) + "-only-user";
        }
    }

    /** What one operation was driven with and what came of it, for the report. */
    record Outcome(String operation, String probe, String result, boolean passed) {
    }

    Side alpha;
    Side zulu;
    final List<Outcome> outcomes = new ArrayList<>();
    final Map<String, String> zuluPending = new HashMap<>();
    Set<String> zuluIds = Set.of();
    /** Zulu's rows as they must stay: taken after the set-up, and again after each request (so a change is reported once). */
    List<String> zuluState;
    List<String> partnerTables;
    final StringBuilder phases = new StringBuilder();
    long phaseStart;

    @AfterEach
    void removeBothPartners() {
        for (Side side : new Side[] {alpha, zulu}) {
            if (side != null) {
                side.receiver().close();
            }
        }
        removePartner("iso-a");
        removePartner("iso-b");
        stripe.resetAll();
    }

    @Test
    void aPartnersDataIsReachableOnlyWithItsOwnCredentials() throws IOException {
        removePartner("iso-a");
        removePartner("iso-b");
        Api.resetDatabase();
        stripe.resetAll();
        stubStripe();
        phase(null);
        alpha = partner("iso-a", "alpha.isolation.example", "Alpha");
        zulu = partner("iso-b", "zulu.isolation.example", "Zulu");
        setUp(alpha);
        setUp(zulu);
        settle();
        assertSetUpIsEachPartnersOwn();
        zuluState = snapshot(zulu.id());
        zuluIds = idsIn(zuluState);
        int zuluDeliveries = zulu.receiver().received().size();
        int alphaDeliveries = alpha.receiver().received().size();
        List<String> zuluFeed = feedOf(zulu);

        phase("set-up");
        List<Runnable> last = new ArrayList<>();
        apiOperations(last);
        phase("API operations");
        installLinksAndCallbacks();
        stripeWebhooks();
        phase("install journey and webhooks");
        consolePages();
        phase("console");
        last.forEach(Runnable::run);
        backgroundJobs();
        phase("destructive operations and jobs");

        settle();
        check("deliveries", "zulu's receiver got nothing while alpha acted", () -> {
            assertThat(zulu.receiver().received()).as("deliveries to zulu's receiver").hasSize(zuluDeliveries);
            assertThat(alpha.receiver().received().size()).as("alpha's own deliveries (its actions' events)").isGreaterThan(alphaDeliveries);
        });
        check("GET /api/v1/events", "zulu's feed, read with zulu's key, is as it was", () -> assertThat(feedOf(zulu)).isEqualTo(zuluFeed));
        report();
    }

    // ---- the set-up: two partners with the same ids, client ID, key, Stripe account and user name ----

    Side partner(String id, String domain, String word) {
        PartnersTest.createPartner(id, domain);
        var issued = PartnersTest.issue(id, Map.of("name", word + "-key", "roles", List.of("api", "credentials-reader", "admin")));
        EventReceiver receiver = EventReceiver.start();
        String subscription = api(issued.getString("key")).contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url("/hooks"), "eventTypes", List.of("*"), "description", word + " receiver"))
                .post("/api/v1/event-subscriptions").then().statusCode(201).extract().path("id");
        return new Side(id, domain, word, issued.getString("key"), issued.getString("apiKey.id"), receiver, subscription);
    }

    void setUp(Side side) {
        json(side, Map.of("clientId", Flows.CLIENT_ID, "clientSecret", Flows.SECRET,
                "defaultScope", side == alpha ? "read_only" : "read_write")).put("/api/v1/connector").then().statusCode(200);
        // The same signing secret for both partners' console platform endpoints (each on its own domain).
        Response secretSet = json(side, Map.of("webhookSecret", CONSOLE_WEBHOOK_SECRET)).put("/api/v1/connector");
        check("POST /webhooks/stripe", side.id() + " sets its console platform's signing secret (PUT /api/v1/connector webhookSecret)",
                () -> assertThat(secretSet.statusCode()).as(secretSet.asString()).isEqualTo(200));
        for (String user : List.of(SAME_USER, side.onlyUser())) {
            json(side, Map.of("password", side.password(), "enabled", true)).put("/api/v1/console-users/" + user).then().statusCode(200);
        }
        install(side, SHARED, Map.of());
        connect(side, SHARED);
        install(side, SHARED_OWN, Map.of("clientId", OWN_CLIENT_ID, "clientSecret", OWN_SECRET, "webhookSecret", OWN_WEBHOOK_SECRET));
        connect(side, SHARED_OWN);
        if (side == zulu) {
            install(side, ZULU_ONLY, Map.of("clientId", ZULU_CLIENT_ID, "clientSecret", ZULU_SECRET, "webhookSecret", ZULU_WEBHOOK_SECRET));
            connect(side, ZULU_ONLY);
            // A link zulu sent and nobody has used yet: its setup token and its state.
            var pending = json(side, "{}").post("/api/v1/accounts/" + ZULU_ONLY + "/connector/authorize").then().statusCode(200).extract().jsonPath();
            zuluPending.put("token", pending.getString("setupUrl").substring(pending.getString("setupUrl").lastIndexOf('/') + 1));
            zuluPending.put("state", StripeStubs.param(pending.getString("authorizeUrl"), "state"));
        } else {
            install(side, ALPHA_ONLY, Map.of());
        }
    }

    void install(Side side, String accountId, Map<String, String> own) {
        Map<String, String> body = new HashMap<>(own);
        body.put("name", side.name(accountId));
        json(side, body).put("/api/v1/accounts/" + accountId + "/connector").then().statusCode(201);
    }

    /** Connects through the real OAuth flow: the callback arrives on the partner's own domain. */
    void connect(Side side, String accountId) {
        String authorizeUrl = json(side, "{}").post("/api/v1/accounts/" + accountId + "/connector/authorize").then().statusCode(200)
                .extract().path("authorizeUrl");
        browser(side.domain()).queryParam("code", code(side, accountId)).queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                .get("/connector/callback").then().statusCode(200);
    }

    /** Stripe: each partner's code for each account grants that partner's own tokens; verify, deauthorize and the proxy answer. */
    void stubStripe() {
        StripeStubs.keyBelongsTo(stripe, OWN_SECRET, "acct_1IsolationOwnPlat01");
        StripeStubs.keyBelongsTo(stripe, ZULU_SECRET, "acct_1IsolationZuluPlat1");
        for (String word : List.of("Alpha", "Zulu")) {
            for (String accountId : List.of(SHARED, SHARED_OWN, ZULU_ONLY, ALPHA_ONLY)) {
                String tag = word + accountId.replaceAll("[^A-Za-z0-9]", "");
                stripe.stubFor(post(urlPathEqualTo("/oauth/token")).withRequestBody(containing("code=ac_" + tag))
                        .willReturn(stripeJson(token("sk_test_" + tag + "Access", "rt_" + tag + "Refresh"))));
                stripe.stubFor(post(urlPathEqualTo("/oauth/token")).withRequestBody(containing("refresh_token=rt_" + tag + "Refresh"))
                        .willReturn(stripeJson(token("sk_test_" + tag + "Rolled", "rt_" + tag + "Refresh"))));
            }
        }
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", WireMock.equalTo(STRIPE_ACCOUNT))
                .willReturn(stripeJson(StripeStubs.fixture("account.json").replace("acct_1ConnectedAcct0001", STRIPE_ACCOUNT))));
        stripe.stubFor(post(urlPathEqualTo("/oauth/deauthorize")).willReturn(stripeJson("{\"stripe_user_id\":\"" + STRIPE_ACCOUNT + "\"}")));
        stripe.stubFor(any(urlPathMatching("/v1/customers.*")).willReturn(stripeJson(StripeStubs.fixture("customers.json"))));
    }

    static String code(Side side, String accountId) {
        return "ac_" + side.word() + accountId.replaceAll("[^A-Za-z0-9]", "");
    }

    static String token(String access, String refresh) {
        return "{\"access_token\":\"" + access + "\",\"livemode\":false,\"refresh_token\":\"" + refresh + "\",\"token_type\":\"bearer\","
                + "\"stripe_publishable_key\":\"pk_test_IsolationPublishable1\",\"stripe_user_id\":\"" + STRIPE_ACCOUNT + "\",\"scope\":\"read_write\"}";
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder stripeJson(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** What the set-up stored is each partner's own: without that, nothing below would mean anything. */
    void assertSetUpIsEachPartnersOwn() {
        for (Side side : List.of(alpha, zulu)) {
            assertThat(rows("select account_id || ':' || status from account_connector where partner_id = ? order by account_id", side.id()))
                    .as(side.id() + "'s installations")
                    .isEqualTo(side == alpha ? List.of(ALPHA_ONLY + ":PENDING", SHARED + ":CONNECTED", SHARED_OWN + ":CONNECTED")
                            : List.of(ZULU_ONLY + ":CONNECTED", SHARED + ":CONNECTED", SHARED_OWN + ":CONNECTED"));
            assertThat(rows("select username from console_user where partner_id = ? order by username", side.id())).as(side.id() + "'s console users")
                    .containsExactlyInAnyOrder(SAME_USER, side.onlyUser());
            assertThat(rows("select count(*) from connector_event where partner_id = ?", side.id())).as(side.id() + "'s feed")
                    .isNotEqualTo(List.of("0"));
            assertThat(rows("select client_id from connector_settings where partner_id = ?", side.id())).containsExactly(Flows.CLIENT_ID);
        }
        assertThat(rows("select count(*) from account_connector where partner_id = 'default'")).as("partner default holds nothing").containsExactly("0");
    }

    // ---- every operation of the OpenAPI document ----

    /** How an operation is driven: which ids it names, what it is sent, what alpha's own answer shows. */
    enum Target { NONE, ACCOUNT, SDK_ACCOUNT, SUBSCRIPTION, EVENT, USER, OPERATOR, SETUP_LINK, CALLBACK, CONSOLE_WEBHOOK, PLATFORM_WEBHOOK }

    /**
     * @param upsert     a name zulu has and alpha not creates alpha's own (account ids and user names are per partner)
     * @param destructive removes alpha's target: driven last, on a target made for it
     * @param namesAlpha alpha's own answer names alpha (its names, tokens, domain, description)
     */
    record Rule(Target target, Object body, boolean upsert, boolean destructive, boolean namesAlpha) {
    }

    static Rule rule(Target target, Object body, boolean namesAlpha) {
        return new Rule(target, body, false, false, namesAlpha);
    }

    /** Every operation the document serves, classified; the document's own list decides what is driven. */
    Map<String, Rule> rules() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        rules.put("GET /api/v1/accounts", rule(Target.NONE, null, true));
        rules.put("GET /api/v1/accounts/{accountId}/connector", rule(Target.ACCOUNT, null, true));
        rules.put("PUT /api/v1/accounts/{accountId}/connector", new Rule(Target.ACCOUNT, "name", true, false, true));
        rules.put("DELETE /api/v1/accounts/{accountId}/connector", new Rule(Target.ACCOUNT, null, false, true, false));
        rules.put("POST /api/v1/accounts/{accountId}/connector/authorize", rule(Target.ACCOUNT, "{}", true));
        rules.put("POST /api/v1/accounts/{accountId}/connector/disconnect", new Rule(Target.ACCOUNT, null, false, true, false));
        rules.put("GET /api/v1/accounts/{accountId}/connector/credentials", rule(Target.ACCOUNT, null, true));
        rules.put("POST /api/v1/accounts/{accountId}/connector/refresh", rule(Target.ACCOUNT, null, true));
        rules.put("POST /api/v1/accounts/{accountId}/connector/verify", rule(Target.ACCOUNT, null, true));
        rules.put("GET /api/v1/accounts/{accountId}/stripe/v1/{path}", rule(Target.ACCOUNT, null, false));
        rules.put("POST /api/v1/accounts/{accountId}/stripe/v1/{path}", rule(Target.ACCOUNT, "form", false));
        rules.put("DELETE /api/v1/accounts/{accountId}/stripe/v1/{path}", rule(Target.ACCOUNT, null, false));
        rules.put("GET /v1/{path}", rule(Target.SDK_ACCOUNT, null, false));
        rules.put("POST /v1/{path}", rule(Target.SDK_ACCOUNT, "form", false));
        rules.put("DELETE /v1/{path}", rule(Target.SDK_ACCOUNT, null, false));
        rules.put("GET /api/v1/connector", rule(Target.NONE, null, true));
        rules.put("PUT /api/v1/connector", rule(Target.NONE, Map.of("defaultScope", "read_only"), true));
        rules.put("GET /api/v1/console-users", rule(Target.NONE, null, false));
        rules.put("PUT /api/v1/console-users/{username}", new Rule(Target.USER, Map.of("password", "Alpha-console-password-42", "enabled", true),
                true, false, false));
        rules.put("GET /api/v1/event-subscriptions", rule(Target.NONE, null, true));
        rules.put("POST /api/v1/event-subscriptions", rule(Target.NONE, "subscription", true));
        rules.put("GET /api/v1/event-subscriptions/{id}", rule(Target.SUBSCRIPTION, null, true));
        rules.put("PUT /api/v1/event-subscriptions/{id}", rule(Target.SUBSCRIPTION, Map.of("description", "Alpha receiver"), true));
        rules.put("DELETE /api/v1/event-subscriptions/{id}", new Rule(Target.SUBSCRIPTION, null, false, true, false));
        rules.put("POST /api/v1/event-subscriptions/{id}/rotate-secret", rule(Target.SUBSCRIPTION, "{}", true));
        rules.put("POST /api/v1/event-subscriptions/{id}/test", rule(Target.SUBSCRIPTION, null, false));
        rules.put("GET /api/v1/event-subscriptions/{id}/attempts", rule(Target.SUBSCRIPTION, null, false));
        rules.put("GET /api/v1/event-subscriptions/{id}/deliveries", rule(Target.SUBSCRIPTION, null, false));
        rules.put("GET /api/v1/events", rule(Target.NONE, null, false));
        rules.put("GET /api/v1/audit", rule(Target.NONE, null, false));
        rules.put("GET /api/v1/events/{id}", rule(Target.EVENT, null, false));
        rules.put("POST /api/v1/events/{id}/redeliver", rule(Target.EVENT, "{}", false));
        rules.put("POST /webhooks/stripe", rule(Target.CONSOLE_WEBHOOK, null, false));
        rules.put("POST /webhooks/stripe/{platform}", rule(Target.PLATFORM_WEBHOOK, null, false));
        rules.put("GET /connector/setup/{token}", rule(Target.SETUP_LINK, null, false));
        rules.put("HEAD /connector/setup/{token}", rule(Target.SETUP_LINK, null, false));
        rules.put("POST /connector/setup/{token}", rule(Target.SETUP_LINK, null, false));
        rules.put("GET /connector/callback", rule(Target.CALLBACK, null, false));
        rules.put("HEAD /connector/callback", rule(Target.CALLBACK, null, false));
        return rules;
    }

    /** The operators' routes: every operation under these (and only operators' keys in its security) is theirs. */
    static boolean operatorRoute(String path) {
        return path.startsWith("/api/v1/partners") || path.startsWith("/api/v1/maintenance");
    }

    record Operation(String method, String path, Set<String> security) {
        String key() {
            return method + " " + path;
        }
    }

    List<Operation> servedOperations() throws IOException {
        JsonNode document = JSON.readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        List<Operation> operations = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            if (!Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(operation.getKey())) {
                return;
            }
            Set<String> security = new TreeSet<>();
            operation.getValue().path("security").forEach(requirement -> requirement.fieldNames().forEachRemaining(security::add));
            operations.add(new Operation(operation.getKey().toUpperCase(Locale.ROOT), path.getKey(), security));
        }));
        return operations;
    }

    void apiOperations(List<Runnable> last) throws IOException {
        List<Operation> operations = servedOperations();
        Map<String, Rule> rules = rules();
        assertThat(operations).as("the served document's operations").hasSizeGreaterThan(30);
        for (Operation operation : operations) {
            if (operatorRoute(operation.path())) {
                check(operation.key(), "security names the operators' key", () -> assertThat(operation.security()).contains("operatorKey"));
                Map<String, String> zulus = Map.of("partnerId", zulu.id(), "keyId", zulu.keyId());
                probe(operation.key(), "alpha's key, zulu's partner and key", () -> call(api(alpha.key()), operation, zulus, "{}"), answer -> {
                    assertThat(answer.statusCode()).as("a partner's key on an operators' route").isEqualTo(403);
                });
                continue;
            }
            Rule rule = rules.get(operation.key());
            if (rule == null) {
                check(operation.key(), "classified", () -> {
                    throw new AssertionError("the document serves " + operation.key() + ", which this test does not classify: add its rule");
                });
                continue;
            }
            switch (rule.target()) {
                case CONSOLE_WEBHOOK, PLATFORM_WEBHOOK, SETUP_LINK, CALLBACK -> {
                    continue; // driven below, on alpha's domain
                }
                default -> {
                }
            }
            check(operation.key(), "security names the partners' key", () -> assertThat(operation.security()).containsExactly("apiKey"));
            Map<String, String> own = ownValues(rule);
            probe(operation.key(), "an operator's key", () -> call(api(TestKeys.OPERATOR_KEY), operation, own, body(rule, own)),
                    answer -> assertThat(answer.statusCode()).as("an operator's key on a partner's route").isEqualTo(403));
            Runnable drive = () -> driveWithAlphasKey(operation, rule);
            if (rule.destructive()) {
                last.add(drive);
            } else {
                drive.run();
            }
        }
        Set<String> served = new TreeSet<>();
        operations.forEach(o -> served.add(o.key()));
        check("(the rules)", "every rule names a served operation", () -> assertThat(served).containsAll(rules.keySet()));
    }

    /** Alpha's key against zulu's ids (404, or alpha's own for the names that create), then against alpha's own or shared ones. */
    void driveWithAlphasKey(Operation operation, Rule rule) {
        Map<String, String> zulus = switch (rule.target()) {
            case ACCOUNT -> Map.of("accountId", ZULU_ONLY, "path", "customers");
            case SDK_ACCOUNT -> Map.of("stripeAccount", ZULU_ONLY, "path", "customers");
            case SUBSCRIPTION -> Map.of("subscriptionId", zulu.subscriptionId());
            case EVENT -> Map.of("eventId", firstEvent(zulu));
            case USER -> Map.of("username", ZULU_ONLY_USER);
            default -> null;
        };
        if (zulus != null) {
            probe(operation.key(), "alpha's key, zulu's " + named(zulus), () -> call(api(alpha.key()), operation, zulus,
                    body(rule, zulus)), answer -> {
                if (rule.upsert()) {
                    assertThat(answer.statusCode()).as("a name only zulu has: alpha's own, created").isBetween(200, 201);
                } else {
                    assertThat(answer.statusCode()).as("zulu's resource (404, never 403)").isEqualTo(404);
                }
            });
            if (rule.upsert() && rule.target() == Target.ACCOUNT) {
                removeAlphasCopyOfZulusOnlyAccount();
            }
        }
        Map<String, String> own = rule.destructive() ? disposable(rule) : ownValues(rule);
        String what = rule.target() == Target.NONE ? "alpha's key" : "alpha's key, " + (rule.target() == Target.ACCOUNT
                || rule.target() == Target.SDK_ACCOUNT || rule.target() == Target.USER
                ? "the shared " : "alpha's own ") + named(own);
        probe(operation.key(), what, () -> call(api(alpha.key()), operation, own, body(rule, own)), answer -> {
            assertThat(answer.statusCode()).as("alpha's own").isBetween(200, 299);
            if (rule.namesAlpha()) {
                assertThat(answer.asString()).as("alpha's own answer").containsIgnoringCase("alpha");
            }
            if (operation.key().equals("POST /api/v1/accounts/{accountId}/connector/authorize")) {
                assertThat(answer.jsonPath().getString("setupUrl")).as("the link is on alpha's domain").startsWith(alpha.origin() + "/connector/setup/");
                assertThat(StripeStubs.param(answer.jsonPath().getString("authorizeUrl"), "redirect_uri")).isEqualTo(alpha.origin() + "/connector/callback");
            }
            if (operation.key().equals("GET /api/v1/accounts")) {
                assertThat(answer.jsonPath().getList("items.accountId", String.class)).as("alpha's installations")
                        .containsExactlyInAnyOrder(ALPHA_ONLY, SHARED, SHARED_OWN);
            }
            if (operation.key().equals("GET /api/v1/console-users")) {
                assertThat(answer.jsonPath().getList("username", String.class)).as("alpha's console users").contains(alpha.onlyUser())
                        .allMatch(name -> "1".equals(single("select count(*) from console_user where partner_id = ? and username = ?", alpha.id(), name)));
            }
            if (operation.key().equals("GET /api/v1/events")) {
                assertThat(answer.jsonPath().getList("items.id", String.class)).as("alpha's feed").isNotEmpty()
                        .allMatch(id -> alpha.id().equals(single("select partner_id from connector_event where id = ?::uuid", id)));
            }
            if (operation.key().equals("GET /api/v1/audit")) {
                assertThat(answer.jsonPath().getList("items.id", String.class)).as("alpha's audit trail").isNotEmpty()
                        .allMatch(id -> alpha.id().equals(single("select partner_id from audit_record where id = ?::uuid", id)));
            }
        });
    }

    /** The id a probe is about, for the report. */
    static String named(Map<String, String> values) {
        return values.getOrDefault("accountId", values.getOrDefault("stripeAccount",
                values.getOrDefault("subscriptionId", values.getOrDefault("eventId", values.get("username")))));
    }

    /**
     * Alpha installing an account id only zulu has gets its own installation; it goes again at once (through alpha's own
     * key), so that every later request naming that id still asks for zulu's.
     */
    void removeAlphasCopyOfZulusOnlyAccount() {
        api(alpha.key()).queryParam("force", "true").delete("/api/v1/accounts/" + ZULU_ONLY + "/connector");
    }

    Map<String, String> ownValues(Rule rule) {
        return switch (rule.target()) {
            case ACCOUNT -> Map.of("accountId", SHARED, "path", "customers");
            case SDK_ACCOUNT -> Map.of("stripeAccount", SHARED, "path", "customers");
            case SUBSCRIPTION -> Map.of("subscriptionId", alpha.subscriptionId());
            case EVENT -> Map.of("eventId", firstEvent(alpha));
            case USER -> Map.of("username", SAME_USER);
            default -> Map.of();
        };
    }

    /** A target of alpha's made for a destructive operation: the shared account installed (again), a new subscription. */
    Map<String, String> disposable(Rule rule) {
        if (rule.target() == Target.SUBSCRIPTION) {
            String id = json(alpha, Map.of("url", alpha.receiver().url("/spare"), "eventTypes", List.of("installation.removed"),
                    "description", "Alpha spare")).post("/api/v1/event-subscriptions").then().statusCode(201).extract().path("id");
            return Map.of("subscriptionId", id);
        }
        json(alpha, Map.of("name", alpha.name(SHARED))).put("/api/v1/accounts/" + SHARED + "/connector").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        return Map.of("accountId", SHARED, "path", "customers");
    }

    Object body(Rule rule, Map<String, String> values) {
        if ("name".equals(rule.body())) {
            return Map.of("name", alpha.name(values.get("accountId")));
        }
        if ("subscription".equals(rule.body())) {
            return Map.of("url", alpha.receiver().url("/second"), "eventTypes", List.of("*"), "description", "Alpha second receiver");
        }
        return rule.body();
    }

    Response call(RequestSpecification request, Operation operation, Map<String, String> values, Object body) {
        String path = fill(operation.key(), operation.path(), values);
        if (values.containsKey("stripeAccount")) {
            // The SDK route names the installation in a header, as Stripe's SDKs send it.
            request.header("Stripe-Account", values.get("stripeAccount"));
        }
        if ("form".equals(body)) {
            request.contentType("application/x-www-form-urlencoded").body("description=alpha");
        } else if (body != null && Set.of("POST", "PUT", "PATCH").contains(operation.method())) {
            request.contentType(ContentType.JSON).body(body);
        }
        return request.request(operation.method(), path);
    }

    /** What an {id} names, by the collection it follows (the console's events page lists subscriptions). */
    static final Map<String, String> COLLECTIONS = Map.of("/api/v1/event-subscriptions/", "subscriptionId", "/api/v1/events/", "eventId",
            "/console/events/", "subscriptionId");

    /** The path with its parameters filled by name ({id} by the collection it follows); a parameter without a value fails. */
    static String fill(String operation, String template, Map<String, String> values) {
        Matcher parameters = Pattern.compile("\\{([^}]+)}").matcher(template);
        StringBuilder path = new StringBuilder();
        while (parameters.find()) {
            String name = parameters.group(1);
            if (name.equals("id")) {
                String before = template.substring(0, parameters.start());
                name = COLLECTIONS.entrySet().stream().filter(c -> before.endsWith(c.getKey())).map(Map.Entry::getValue).findFirst().orElse(name);
            }
            String value = values.get(name);
            if (value == null) {
                throw new AssertionError(operation + ": no value for its path parameter {" + parameters.group(1) + "} (" + name + ")");
            }
            parameters.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        parameters.appendTail(path);
        return path.toString();
    }

    // ---- the browser's routes of the install journey, on alpha's domain ----

    void installLinksAndCallbacks() {
        String unknownToken = "Zz" + UUID.randomUUID().toString().replace("-", "");
        // Zulu's unused link and state, brought to alpha's domain, answer exactly as an unknown one, and stay unused.
        for (String method : List.of("GET", "POST")) {
            String operation = method + " /connector/setup/{token}";
            Response unknown = setupLink(method, unknownToken);
            probe(operation, "zulu's link on alpha's domain", () -> setupLink(method, zuluPending.get("token")), answer -> {
                assertThat(unknown.statusCode()).as("an unknown link on alpha's domain is answered (not refused as another domain)")
                        .isBetween(400, 499).isNotIn(403, 421);
                assertThat(answer.statusCode()).as("zulu's link: as an unknown one").isEqualTo(unknown.statusCode());
                assertThat(answer.asString()).as("zulu's link: the page of an unknown one")
                        .isEqualTo(unknown.asString().replace(unknownToken, zuluPending.get("token")));
            });
        }
        probe("GET /connector/setup/{token}", "alpha's own link on alpha's domain", () -> {
            String setupUrl = json(alpha, "{}").post("/api/v1/accounts/" + ALPHA_ONLY + "/connector/authorize").then().statusCode(200)
                    .extract().path("setupUrl");
            return browser(alpha.domain()).get(setupUrl.substring(setupUrl.indexOf("/connector/")));
        }, answer -> assertThat(answer.statusCode()).as("alpha's own link leads to Stripe").isEqualTo(302));
        probe("HEAD /connector/setup/{token}", "zulu's link on alpha's domain", () -> browser(alpha.domain()).head("/connector/setup/"
                + zuluPending.get("token")), answer -> assertThat(answer.statusCode()).isEqualTo(200));

        Response unknown = browser(alpha.domain()).queryParam("code", "ac_Unknown").queryParam("state", "Zz" + UUID.randomUUID()).get("/connector/callback");
        probe("GET /connector/callback", "zulu's state on alpha's domain", () -> browser(alpha.domain()).queryParam("code", code(alpha, ZULU_ONLY))
                .queryParam("state", zuluPending.get("state")).get("/connector/callback"), answer -> {
            assertThat(unknown.statusCode()).as("an unknown state on alpha's domain is answered (not refused as another domain)")
                    .isBetween(400, 499).isNotIn(403, 421);
            assertThat(answer.statusCode()).as("zulu's state: as an unknown one").isEqualTo(unknown.statusCode());
            assertThat(stripe.findAll(StripeStubs.tokenRequests().withRequestBody(containing("code=" + code(alpha, ZULU_ONLY)))))
                    .as("no code exchanged for zulu's state").isEmpty();
        });
        probe("GET /connector/callback", "alpha's own state on alpha's domain", () -> {
            String authorizeUrl = json(alpha, "{}").post("/api/v1/accounts/" + ALPHA_ONLY + "/connector/authorize").then().statusCode(200)
                    .extract().path("authorizeUrl");
            return browser(alpha.domain()).queryParam("code", code(alpha, ALPHA_ONLY)).queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                    .get("/connector/callback");
        }, answer -> {
            assertThat(answer.statusCode()).as("alpha's own callback connects").isEqualTo(200);
            assertThat(single("select status from account_connector where partner_id = ? and account_id = ?", alpha.id(), ALPHA_ONLY)).isEqualTo("CONNECTED");
        });
        probe("HEAD /connector/callback", "on alpha's domain", () -> browser(alpha.domain()).head("/connector/callback"),
                answer -> assertThat(answer.statusCode()).isEqualTo(200));
    }

    Response setupLink(String method, String token) {
        RequestSpecification request = browser(alpha.domain());
        if (method.equals("POST")) {
            request.header("Origin", alpha.origin()).contentType("application/x-www-form-urlencoded").formParam("clientId", "ca_AlphaForm1");
        }
        return request.request(method, "/connector/setup/" + token);
    }

    // ---- Stripe's webhooks on alpha's domain, about the Stripe account both have connected ----

    void stripeWebhooks() {
        String operation = "POST /webhooks/stripe";
        probe(operation, "a deauthorization of the shared Stripe account, on alpha's domain", () -> webhook("/webhooks/stripe", CONSOLE_WEBHOOK_SECRET,
                Webhooks.deauthorized("evt_1IsolationConsole01", STRIPE_ACCOUNT, Flows.CLIENT_ID)), answer -> {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.jsonPath().getString("result")).isEqualTo("handled");
            assertThat(single("select status from account_connector where partner_id = ? and account_id = ?", alpha.id(), SHARED))
                    .as("alpha's copy of the shared installation").isEqualTo("REVOKED");
        });

        operation = "POST /webhooks/stripe/{platform}";
        probe(operation, "a deauthorization by the shared own platform, on alpha's domain", () -> webhook("/webhooks/stripe/" + OWN_CLIENT_ID,
                OWN_WEBHOOK_SECRET, Webhooks.deauthorized("evt_1IsolationOwnPlat01", STRIPE_ACCOUNT, OWN_CLIENT_ID)), answer -> {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.jsonPath().getString("result")).isEqualTo("handled");
            assertThat(single("select status from account_connector where partner_id = ? and account_id = ?", alpha.id(), SHARED_OWN))
                    .as("alpha's copy of the installation on the shared own platform").isEqualTo("REVOKED");
        });
        probe(operation, "zulu's platform, signed with zulu's secret, on alpha's domain", () -> webhook("/webhooks/stripe/" + ZULU_CLIENT_ID,
                ZULU_WEBHOOK_SECRET, Webhooks.deauthorized("evt_1IsolationZuluPlat01", STRIPE_ACCOUNT, ZULU_CLIENT_ID)), answer -> {
            assertThat(answer.statusCode()).as("a platform alpha does not have: no secret can match").isEqualTo(400);
        });
    }

    Response webhook(String path, String secret, String event) {
        long t = Instant.now().getEpochSecond();
        return given().header("Host", alpha.domain()).contentType("application/json")
                .header("Stripe-Signature", "t=" + t + ",v1=" + Webhooks.sign(secret, t, event)).body(event).post(path);
    }

    // ---- the console, signed in as alpha's user on alpha's domain ----

    void consolePages() {
        Response zulusPassword = signIn(SAME_USER, zulu.password());
        check("POST /console/j_security_check", "zulu's password for the shared user name, on alpha's domain", () -> {
            assertThat(zulusPassword.statusCode()).isEqualTo(302);
            assertThat(zulusPassword.header("Location")).as("refused").contains("/console/login?error");
        });
        Response signedIn = signIn(SAME_USER, alpha.password());
        String cookie = signedIn.cookie("connector-console");
        boolean in = signedIn.statusCode() == 302 && cookie != null && !signedIn.header("Location").contains("error");
        check("POST /console/j_security_check", "alpha's user signs in on alpha's domain", () -> assertThat(in)
                .as("answered " + signedIn.statusCode() + " " + signedIn.header("Location")).isTrue());
        List<BrowserRoutes.Route> routes = BrowserRoutes.fromResources().stream().filter(r -> r.template().startsWith("/console")).toList();
        assertThat(routes).as("the console's routes").hasSizeGreaterThan(10);
        List<BrowserRoutes.Route> ordered = new ArrayList<>();
        routes.stream().filter(r -> r.method().equals("GET")).forEach(ordered::add);
        routes.stream().filter(r -> !r.method().equals("GET") && !consoleDestructive(r)).forEach(ordered::add);
        routes.stream().filter(r -> !r.method().equals("GET") && consoleDestructive(r) && !r.template().equals("/console/logout")).forEach(ordered::add);
        routes.stream().filter(r -> r.template().equals("/console/logout")).forEach(ordered::add);
        for (BrowserRoutes.Route route : ordered) {
            String operation = "console " + route.method() + " " + route.template();
            if (!in) {
                outcomes.add(new Outcome(operation, "signed in as alpha", "not run: alpha's user could not sign in on alpha's domain", false));
                continue;
            }
            driveConsole(operation, route, cookie);
        }
    }

    static boolean consoleDestructive(BrowserRoutes.Route route) {
        return route.template().endsWith("/disconnect") || route.template().endsWith("/remove") || route.template().endsWith("/delete")
                || route.template().equals("/console/logout");
    }

    void driveConsole(String operation, BrowserRoutes.Route route, String cookie) {
        String template = route.template();
        boolean post = route.method().equals("POST");
        if (template.contains("{partnerId}") || template.startsWith("/console/partners") || template.startsWith("/console/operators")) {
            probe(operation, "alpha's user on an operators' page", () -> console(cookie, route.method(), fill(operation, template,
                    Map.of("partnerId", zulu.id())), Map.of()), answer -> assertThat(answer.statusCode()).as("not an operator").isIn(403, 404));
            return;
        }
        Map<String, String> form = consoleForm(template);
        if (form == null) {
            check(operation, "classified", () -> {
                throw new AssertionError("the console serves " + route.method() + " " + template + ", which this test does not classify: add its form");
            });
            return;
        }
        boolean byAccount = template.contains("{accountId}");
        boolean bySubscription = template.contains("{id}");
        if (byAccount || bySubscription) {
            Map<String, String> nobody = byAccount ? Map.of("accountId", NOBODY) : Map.of("subscriptionId", UUID.randomUUID().toString());
            Map<String, String> zulus = byAccount ? Map.of("accountId", ZULU_ONLY) : Map.of("subscriptionId", zulu.subscriptionId());
            probe(operation, "zulu's " + named(zulus), () -> console(cookie, route.method(), fill(operation, template, zulus), form),
                    answer -> {
                        Response unknown = console(cookie, route.method(), fill(operation, template, nobody), form);
                        assertThat(answer.statusCode()).as("zulu's: as an unknown one (" + unknown.statusCode() + "), never 403")
                                .isNotEqualTo(403).isEqualTo(unknown.statusCode());
                    });
        }
        Map<String, String> own;
        if (byAccount) {
            if (consoleDestructive(route)) {
                json(alpha, Map.of("name", alpha.name(SHARED))).put("/api/v1/accounts/" + SHARED + "/connector");
            }
            own = Map.of("accountId", SHARED);
        } else if (bySubscription) {
            own = Map.of("subscriptionId", consoleDestructive(route) ? disposable(new Rule(Target.SUBSCRIPTION, null, false, true, false)).get("subscriptionId")
                    : alpha.subscriptionId());
        } else {
            own = Map.of();
        }
        if (template.equals("/console/installations") && post) {
            for (String accountId : List.of(ZULU_ONLY, SHARED)) {
                Map<String, String> install = Map.of("accountId", accountId, "name", alpha.name(accountId));
                probe(operation, "install " + accountId, () -> console(cookie, "POST", template, install),
                        answer -> assertThat(answer.statusCode()).as("alpha's own").isBetween(200, 399));
            }
            removeAlphasCopyOfZulusOnlyAccount();
            return;
        }
        probe(operation, own.isEmpty() ? "alpha's own" : "alpha's own or the shared " + named(own),
                () -> console(cookie, route.method(), fill(operation, template, own), form), answer -> {
                    if (answer.statusCode() == 409 && (template.endsWith("/verify") || template.endsWith("/refresh"))) {
                        // The webhooks before revoked alpha's copy of the shared installation: the console rightly
                        // answers that it is not connected.
                        assertThat(single("select status from account_connector where partner_id = ? and account_id = ?", alpha.id(), SHARED))
                                .as("alpha's own installation, revoked by the deauthorization on alpha's domain").isEqualTo("REVOKED");
                        return;
                    }
                    assertThat(answer.statusCode()).as("alpha's own").isBetween(200, 399);
                    // The installation's page shows its name; the settings page the redirect URI on alpha's domain.
                    if (!post && answer.statusCode() == 200 && Set.of("/console/installations/{accountId}", "/console/settings").contains(template)) {
                        assertThat(answer.asString()).as("alpha's page").containsIgnoringCase("alpha");
                    }
                });
    }

    /** The fields each console form is sent with; null: a route this test does not know. */
    Map<String, String> consoleForm(String template) {
        return switch (template) {
            case "/console/settings" -> Map.of("clientId", Flows.CLIENT_ID, "clientSecret", "", "defaultScope", "read_only", "accountType", "standard");
            case "/console/installations/{accountId}" -> Map.of("name", alpha.name(SHARED), "clientId", "", "clientSecret", "");
            case "/console/events" -> Map.of("url", alpha.receiver().url("/console"), "eventTypes", "*", "description", "Alpha console");
            case "/console/events/{id}/rotate" -> Map.of("overlap", "PT0S");
            case "/console", "/console/login", "/console/logout", "/console/installations", "/console/installations/{accountId}/link",
                 "/console/installations/{accountId}/verify", "/console/installations/{accountId}/refresh",
                 "/console/installations/{accountId}/disconnect", "/console/installations/{accountId}/remove",
                 "/console/events/{id}/delete", "/console/events/{id}/test", "/console/audit" -> Map.of();
            default -> null;
        };
    }

    Response signIn(String username, String password) {
        return browser(alpha.domain()).header("Origin", alpha.origin()).formParam("j_username", username).formParam("j_password", password)
                .post("/console/j_security_check");
    }

    Response console(String cookie, String method, String path, Map<String, String> form) {
        RequestSpecification request = browser(alpha.domain()).cookie("connector-console", cookie);
        if (method.equals("POST")) {
            String page = browser(alpha.domain()).cookie("connector-console", cookie).get("/console/settings").asString();
            Matcher token = CSRF.matcher(page);
            request.header("Origin", alpha.origin()).contentType("application/x-www-form-urlencoded").formParams(form)
                    .formParam("_csrf", token.find() ? token.group(1) : "no-token-on-alphas-settings-page");
        }
        return request.request(method, path);
    }

    // ---- the background jobs ----

    void backgroundJobs() {
        probe("background: retention", "the purge, run by an operator", () -> api(TestKeys.OPERATOR_KEY).post("/api/v1/maintenance/purge"),
                answer -> assertThat(answer.statusCode()).isEqualTo(200));
        probe("background: deliveries", "every pending delivery sent", () -> {
            settle();
            return null;
        }, answer -> {
        });
    }

    // ---- what zulu holds, and the checks after each request ----

    /**
     * Drives one request and checks: the expected answer, no value of zulu's in it (but the ids the
     * request itself named), and every row of zulu's as it was.
     */
    void probe(String operation, String what, Supplier<Response> call, Consumer<Response> expect) {
        List<String> problems = new ArrayList<>();
        String status = "done";
        try {
            Response answer = call.get();
            if (answer != null) {
                status = Integer.toString(answer.statusCode());
                expect.accept(answer);
                String said = answer.headers().toString() + "\n" + answer.asString();
                assertThat(said.toLowerCase(Locale.ROOT)).as("the answer names nothing of zulu's").doesNotContain("zulu");
                for (String id : zuluIds) {
                    // A 404 may repeat the id it was asked for: that tells nothing.
                    if (!what.contains(id)) {
                        assertThat(said).as("the answer names none of zulu's ids").doesNotContain(id);
                    }
                }
            }
        } catch (AssertionError | RuntimeException e) {
            problems.add(firstLines(e.getMessage()));
        }
        // Zulu's rows are compared with the state after the previous request, so a change is reported once, by the request that made it.
        List<String> after = snapshot(zulu.id());
        try {
            unchanged(zuluState, after);
        } catch (AssertionError e) {
            problems.add(firstLines(e.getMessage()));
        }
        zuluState = after;
        outcomes.add(new Outcome(operation, what, problems.isEmpty() ? status : status + ": " + String.join("; ", problems), problems.isEmpty()));
    }

    void check(String operation, String what, Runnable assertion) {
        try {
            assertion.run();
            outcomes.add(new Outcome(operation, what, "ok", true));
        } catch (AssertionError | RuntimeException e) {
            outcomes.add(new Outcome(operation, what, firstLines(e.getMessage()), false));
        }
    }

    static void unchanged(List<String> before, List<String> after) {
        if (!before.equals(after)) {
            List<String> gone = new ArrayList<>(before);
            gone.removeAll(after);
            List<String> added = new ArrayList<>(after);
            added.removeAll(before);
            throw new AssertionError("zulu's stored state changed: rows before " + gone.stream().limit(3).toList() + " are now "
                    + added.stream().limit(3).toList());
        }
    }

    static String firstLines(String message) {
        String text = message == null ? "(no message)" : message.replaceAll("\\s+", " ").strip();
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }

    /** Notes how long the phase that just ended took (printed with the report: what this test adds to a build). */
    void phase(String ended) {
        long now = System.nanoTime();
        if (ended != null) {
            phases.append(ended).append(' ').append(Duration.ofNanos(now - phaseStart).toMillis()).append(" ms; ");
        }
        phaseStart = now;
    }

    void report() {
        StringBuilder out = new StringBuilder("Partner isolation, per operation (alpha's credentials against zulu's data). Took: ")
                .append(phases).append('\n');
        Map<String, List<Outcome>> byOperation = new LinkedHashMap<>();
        outcomes.forEach(o -> byOperation.computeIfAbsent(o.operation(), k -> new ArrayList<>()).add(o));
        List<String> failed = new ArrayList<>();
        byOperation.forEach((operation, list) -> {
            boolean ok = list.stream().allMatch(Outcome::passed);
            out.append(ok ? "PASS " : "FAIL ").append(operation).append('\n');
            for (Outcome o : list) {
                out.append("     ").append(o.passed() ? "ok   " : "FAIL ").append(o.probe()).append(" -> ").append(o.result()).append('\n');
                if (!o.passed()) {
                    failed.add(operation + " — " + o.probe() + " -> " + o.result());
                }
            }
        });
        System.out.println(out);
        assertThat(failed).as("isolation failures (the whole report is in the test's output)").isEmpty();
    }

    /**
     * Every row of the partner's, in every table with a partner_id, and its own partner row, as JSON
     * (an API key's last use left out: zulu's own calls write it, at most once a minute), in a fixed order.
     */
    List<String> snapshot(String partner) {
        if (partnerTables == null) {
            partnerTables = rows("select c.table_name from information_schema.columns c join information_schema.tables t"
                    + " on t.table_schema = c.table_schema and t.table_name = c.table_name"
                    + " where c.column_name = 'partner_id' and c.table_schema = current_schema() and t.table_type = 'BASE TABLE' order by 1");
            assertThat(partnerTables).as("the tables that hold a partner's data").contains("account_connector", "connector_event", "console_user");
        }
        StringBuilder sql = new StringBuilder("select 'partner: ' || (to_jsonb(p))::text from partner p where id = ?");
        List<Object> params = new ArrayList<>(List.of(partner));
        for (String table : partnerTables) {
            sql.append(" union all select '").append(table).append(": ' || (to_jsonb(x) - 'last_used_at')::text from ").append(table)
                    .append(" x where partner_id = ?");
            params.add(partner);
        }
        return rows(sql + " order by 1", params.toArray());
    }

    static Set<String> idsIn(List<String> rows) {
        Set<String> ids = new LinkedHashSet<>();
        for (String row : rows) {
            Matcher uuid = UUIDS.matcher(row);
            while (uuid.find()) {
                ids.add(uuid.group());
            }
        }
        return ids;
    }

    static List<String> rows(String sql, Object... params) {
        try (Connection c = PostgresResource.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String single(String sql, Object... params) {
        List<String> found = rows(sql, params);
        return found.isEmpty() ? null : found.get(0);
    }

    String firstEvent(Side side) {
        String id = single("select id::text from connector_event where partner_id = ? and feed_position is not null order by feed_position limit 1", side.id());
        assertThat(id).as(side.id() + "'s first event").isNotNull();
        return id;
    }

    List<String> feedOf(Side side) {
        return api(side.key()).get("/api/v1/events?limit=200").then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
    }

    /** Until every event has its feed position and no delivery is pending (polled, bounded, as a consumer would). */
    static void settle() {
        Api.awaitFeedNumbered();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!"0".equals(single("select count(*) from event_delivery where status = 'PENDING'"))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("deliveries still pending after 20 s: "
                        + rows("select partner_id || ' ' || status || ' ' || coalesce(last_status::text, '-') from event_delivery where status = 'PENDING'"));
            }
            EventReceiver.pause(20);
        }
    }

    // ---- requests ----

    static RequestSpecification api(String key) {
        return given().redirects().follow(false).header("Authorization", "Bearer " + key);
    }

    static RequestSpecification json(Side side, Object body) {
        return api(side.key()).contentType(ContentType.JSON).body(body);
    }

    /** A browser's request behind the ingress, to the partner's domain. */
    static RequestSpecification browser(String domain) {
        return given().redirects().follow(false).header("Host", domain).header("X-Forwarded-Proto", "https");
    }

    /** Removes a partner of this test and everything it holds, whatever state a previous run left it in. */
    static void removePartner(String id) {
        for (PartnerData.Step step : PartnerData.TABLES) {
            Api.update(step.delete(), id);
        }
        Api.update("delete from partner_feed where partner_id = ?", id);
        Api.update("delete from partner where id = ?", id);
    }
}
