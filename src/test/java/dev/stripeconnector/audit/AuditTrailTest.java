package dev.stripeconnector.audit;

import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.maintenance.RetentionPurge;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.ConsoleSession;
import dev.stripeconnector.support.EventReceiver;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.TestPartners;
import dev.stripeconnector.support.Webhooks;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit trail (issue 23, item 4): every kind of change, made through the API, the console and by Stripe, is
 * recorded with its actor, the names of the fields changed (never a value of a secret) and the client's address as
 * the trusted proxy gave it; a change that fails leaves no record; the trail pages and filters, per partner.
 * Behind a trusted proxy (127.0.0.1, where the tests' requests come from), so {@code X-Forwarded-For} counts; a
 * request from 127.0.0.2, which is not trusted, is recorded with its own address.
 */
@QuarkusTest
@TestProfile(AuditTrailTest.BehindTrustedProxy.class)
class AuditTrailTest {

    public static class BehindTrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true", "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    /** The client's address as the trusted proxy names it. */
    static final String CLIENT = "198.51.100.23";
    static final String OWN_SECRET = "sk_test_AuditOwnPlatformKey77";
    static final String PASSWORD = "audit-clerk-password-1234";
    static final String NEW_PASSWORD = "audit-clerk-password-5678";

    @InjectWireMock
    WireMockServer stripe;

    @Inject
    AuditTrail audit;

    @Inject
    RetentionPurge purge;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        Api.deletePartnersButDefault();
        Api.update("delete from audit_record");
        Api.update("delete from console_user where username like 'audit-%'");
        Api.update("update connector_settings set support_contact = null");
    }

    /** A key of partner default with the admin role ("ops"): the audit trail's reader. */
    static RequestSpecification reader() {
        return given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY);
    }

    /** The partner's trail, newest first (every page). */
    static List<Map<String, Object>> trail() {
        return pages(200).stream().flatMap(List::stream).toList();
    }

    /** The partner's trail, page by page of {@code limit}, following each nextCursor. */
    static List<List<Map<String, Object>>> pages(int limit) {
        List<List<Map<String, Object>>> pages = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification request = reader().queryParam("limit", limit);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/audit").then().statusCode(200).extract().jsonPath();
            pages.add(page.getList("items"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return pages;
    }

    /** The one record of {@code action} in {@code records} (about {@code about}: its account or subject, when given). */
    static Map<String, Object> only(List<Map<String, Object>> records, String action, String about) {
        List<Map<String, Object>> found = records.stream().filter(r -> action.equals(r.get("action")))
                .filter(r -> about == null || about.equals(r.get("accountId")) || about.equals(r.get("subject"))).toList();
        assertThat(found).as("the records of " + action + (about == null ? "" : " about " + about) + " in " + records).hasSize(1);
        return found.get(0);
    }

    static void assertRecord(Map<String, Object> record, String actorKind, String actor, List<String> fields, String address) {
        assertThat(record.get("actorKind")).as("actor kind of " + record).isEqualTo(actorKind);
        assertThat(record.get("actor")).as("actor of " + record).isEqualTo(actor);
        assertThat(record.get("fields")).as("fields of " + record).isEqualTo(fields);
        assertThat(record.get("clientAddress")).as("address of " + record).isEqualTo(address);
        assertThat(Instant.parse((String) record.get("occurredAt"))).isBefore(Instant.now().plusSeconds(1));
        assertThat(record).as("a change of fields says nothing more").containsEntry("detail", null);
    }

    /** A forced action that changes rows rather than fields: no field names, and the detail says which rows. */
    static void assertForced(Map<String, Object> record, String actorKind, String actor, String address, String detail) {
        assertThat(record.get("actorKind")).as("actor kind of " + record).isEqualTo(actorKind);
        assertThat(record.get("actor")).as("actor of " + record).isEqualTo(actor);
        assertThat(record.get("fields")).as("fields of " + record).isEqualTo(List.of());
        assertThat(record.get("clientAddress")).as("address of " + record).isEqualTo(address);
        assertThat((String) record.get("detail")).as("detail of " + record).matches(detail);
    }

    @Test
    void everyKindOfChangeIsRecordedWithItsActorTheFieldNamesAndTheClientsAddressNeverASecret() {
        // The partner's settings and installations, with the API key named "admin", through the trusted proxy.
        Map<String, Object> console = new HashMap<>(Map.of("clientId", Flows.CLIENT_ID, "clientSecret", Flows.SECRET));
        json(console).header("X-Forwarded-For", CLIENT).put("/api/v1/connector").then().statusCode(200);
        json(Map.of("name", "Audit shop")).header("X-Forwarded-For", CLIENT).put("/api/v1/accounts/au-1/connector").then().statusCode(201);
        json(Map.of("name", "Audit shop renamed", "clientId", "ca_AuditOwnPlatform77", "clientSecret", OWN_SECRET))
                .put("/api/v1/accounts/au-1/connector").then().statusCode(200);
        json(Map.of("name", "Audit shop renamed")).put("/api/v1/accounts/au-1/connector").then().statusCode(200);

        // A disconnect Stripe does not confirm, forced; a removal; Stripe's own deauthorization.
        Flows.connect(stripe, "au-2");
        StripeStubs.deauthorizeAnswers(stripe, 500, "api-error-500.json");
        api().post("/api/v1/accounts/au-2/connector/disconnect").then().statusCode(502);
        api().queryParam("force", "true").post("/api/v1/accounts/au-2/connector/disconnect").then().statusCode(200);
        StripeStubs.deauthorizeAnswers(stripe, 200, "deauthorize-success.json");
        api().delete("/api/v1/accounts/au-2/connector").then().statusCode(200);
        stripe.resetAll();
        Flows.connect(stripe, "au-3");
        Webhooks.signed(Webhooks.deauthorized("evt_1AuditDeauthorized01", Flows.STRIPE_USER_ID, Flows.CLIENT_ID)).post("/webhooks/stripe")
                .then().statusCode(200);

        // Console users and event subscriptions, with the admin key "ops".
        reader().contentType(ContentType.JSON).body(Map.of("password", PASSWORD)).put("/api/v1/console-users/audit-clerk").then().statusCode(200);
        reader().contentType(ContentType.JSON).body(Map.of("password", NEW_PASSWORD, "enabled", false))
                .put("/api/v1/console-users/audit-clerk").then().statusCode(200);
        Response subscribed = reader().contentType(ContentType.JSON).body(Map.of("url", "https://events.example.com/audit", "eventTypes", List.of("*")))
                .post("/api/v1/event-subscriptions");
        subscribed.then().statusCode(201);
        String subscription = subscribed.jsonPath().getString("id");
        List<String> secrets = new ArrayList<>(List.of(Flows.SECRET, OWN_SECRET, PASSWORD, NEW_PASSWORD, subscribed.jsonPath().getString("signingSecret"),
                Flows.ACCESS_TOKEN, Flows.REFRESH_TOKEN));
        reader().contentType(ContentType.JSON).body(Map.of("description", "Audit receiver")).put("/api/v1/event-subscriptions/" + subscription)
                .then().statusCode(200);
        secrets.add(reader().contentType(ContentType.JSON).body("{}").post("/api/v1/event-subscriptions/" + subscription + "/rotate-secret")
                .then().statusCode(200).extract().jsonPath().getString("signingSecret"));
        reader().delete("/api/v1/event-subscriptions/" + subscription).then().statusCode(204);

        List<Map<String, Object>> records = trail();
        assertRecord(only(records, "connector.update", null), "key", "admin", List.of("clientId", "clientSecret"), CLIENT);
        assertRecord(only(records, "installation.create", "au-1"), "key", "admin", List.of("name"), CLIENT);
        assertRecord(only(records, "installation.update", "au-1"), "key", "admin", List.of("clientId", "clientSecret", "name"), "127.0.0.1");
        assertRecord(only(records, "installation.force-disconnect", "au-2"), "key", "admin", List.of(), "127.0.0.1");
        assertRecord(only(records, "installation.remove", "au-2"), "key", "admin", List.of(), "127.0.0.1");
        assertRecord(only(records, "installation.deauthorize", "au-3"), "system", "stripe", List.of(), "127.0.0.1");
        Map<String, Object> created = only(records, "console-user.create", "audit-clerk");
        assertRecord(created, "key", "ops", List.of("password"), "127.0.0.1");
        assertRecord(only(records, "console-user.update", "audit-clerk"), "key", "ops", List.of("password", "enabled"), "127.0.0.1");
        assertRecord(only(records, "subscription.create", subscription), "key", "ops", List.of("url", "eventTypes", "signingSecret"), "127.0.0.1");
        assertRecord(only(records, "subscription.update", subscription), "key", "ops", List.of("description"), "127.0.0.1");
        assertRecord(only(records, "subscription.rotate-secret", subscription), "key", "ops", List.of("signingSecret"), "127.0.0.1");
        assertRecord(only(records, "subscription.delete", subscription), "key", "ops", List.of(), "127.0.0.1");
        // The same update again changes nothing, and records nothing; the refused disconnect left no record either.
        assertThat(records.stream().filter(r -> "installation.update".equals(r.get("action")))).hasSize(1);
        assertThat(records.stream().filter(r -> String.valueOf(r.get("action")).contains("disconnect"))).hasSize(1);
        assertThat(records).hasSize(14);

        // The operators' changes of a partner: in that partner's trail, read by an operator.
        TestPartners.create("audit-co", "audit-co.partners.example");
        Response issued = TestPartners.operator().contentType(ContentType.JSON).body(Map.of("name", "audit-ci", "roles", List.of("api")))
                .post("/api/v1/partners/audit-co/api-keys");
        issued.then().statusCode(201);
        String keyId = issued.jsonPath().getString("apiKey.id");
        secrets.add(issued.jsonPath().getString("key"));
        Response rotated = TestPartners.operator().contentType(ContentType.JSON).body("{}").post("/api/v1/partners/audit-co/api-keys/" + keyId + "/rotate");
        rotated.then().statusCode(201);
        secrets.add(rotated.jsonPath().getString("key"));
        String newKeyId = rotated.jsonPath().getString("apiKey.id");
        TestPartners.operator().post("/api/v1/partners/audit-co/api-keys/" + newKeyId + "/revoke").then().statusCode(200);
        TestPartners.operator().post("/api/v1/maintenance/re-encrypt").then().statusCode(202);
        List<Map<String, Object>> partners = TestPartners.operator().queryParam("partner", "audit-co").get("/api/v1/maintenance/audit")
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertRecord(only(partners, "partner.create", "audit-co"), "operator-key", "operator", List.of("name", "serviceDomain"), "127.0.0.1");
        assertRecord(only(partners, "api-key.issue", "audit-ci (" + keyId + ")"), "operator-key", "operator", List.of("name", "roles"), "127.0.0.1");
        assertRecord(only(partners, "api-key.rotate", "audit-ci (" + keyId + ")"), "operator-key", "operator", List.of("expiresAt", "replacedBy"), "127.0.0.1");
        assertRecord(only(partners, "api-key.revoke", "audit-ci (" + newKeyId + ")"), "operator-key", "operator", List.of("revokedAt"), "127.0.0.1");
        assertThat(partners).hasSize(4);

        // Removing the partner takes its trail with its data; the operators' own trail keeps who removed it.
        TestPartners.remove("audit-co");
        assertThat(TestPartners.operator().queryParam("partner", "audit-co").get("/api/v1/maintenance/audit").then().statusCode(200)
                .extract().jsonPath().getList("items")).isEmpty();
        List<Map<String, Object>> operators = TestPartners.operator().get("/api/v1/maintenance/audit").then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertRecord(only(operators, "partner.remove", "audit-co"), "operator-key", "operator", List.of(), "127.0.0.1");
        assertRecord(only(operators, "secrets.start-re-encryption", null), "operator-key", "operator", List.of(), "127.0.0.1");

        // No value of a secret anywhere in the table, nor in what the API answers.
        String table = Api.dumpTable("audit_record");
        String answered = reader().queryParam("limit", 200).get("/api/v1/audit").asString();
        assertThat(secrets).allSatisfy(secret -> {
            assertThat(secret).isNotBlank();
            assertThat(table).doesNotContain(secret);
            assertThat(answered).doesNotContain(secret);
        });
    }

    @Test
    void aConsoleChangeNamesTheUserAndTheAddressTheTrustedProxyGaveAndThePageShowsIt() {
        ConsoleSession admin = ConsoleSession.admin();
        admin.post("/console/settings", Map.of("clientId", Flows.CLIENT_ID, "clientSecret", Flows.SECRET, "defaultScope", "read_write",
                "accountType", "standard")).then().statusCode(303);
        admin.post("/console/installations", Map.of("accountId", "au-console", "name", "Console shop")).then().statusCode(303);

        List<Map<String, Object>> records = trail();
        // ConsoleSession's ingress forwards the browser as 203.0.113.7.
        assertRecord(only(records, "connector.update", null), "user", TestKeys.CONSOLE_ADMIN,
                List.of("clientId", "clientSecret", "defaultScope", "accountType"), "203.0.113.7");
        assertRecord(only(records, "installation.create", "au-console"), "user", TestKeys.CONSOLE_ADMIN, List.of("name"), "203.0.113.7");

        String page = admin.get("/console/audit").then().statusCode(200).extract().asString();
        assertThat(page).contains("<a href=\"/console/audit\" aria-current=\"page\">Audit trail</a>").contains("connector.update")
                .contains("installation.create").contains("au-console").contains("203.0.113.7").contains("clientId, clientSecret")
                .contains("—").doesNotContain(Flows.SECRET);
        String filtered = admin.get("/console/audit?accountId=au-console").then().statusCode(200).extract().asString();
        assertThat(filtered).contains("installation.create").doesNotContain("connector.update");
        assertThat(admin.get("/console/audit?actor=nobody").then().statusCode(200).extract().asString())
                .contains("No change matches these filters.");
        assertThat(admin.get("/console/audit?accountId=bad!id&cursor=nope").then().statusCode(400).extract().asString())
                .contains("Nothing to show").contains("the account id").contains("cursor");
    }

    @Test
    void aRedeliveryAndAForcedPurgeAreRecordedWithTheRowsTheyChangedAndEachActorSaysWhoseItIs() {
        EventReceiver receiver = EventReceiver.start();
        try {
            EventReceiver.Subscription subscription = receiver.subscribe("installation.created");
            json(Map.of("name", "Replayed shop")).put("/api/v1/accounts/au-replay/connector").then().statusCode(201);
            String event = reader().queryParam("type", "installation.created").get("/api/v1/events").then().statusCode(200)
                    .extract().jsonPath().getString("items[0].id");
            receiver.awaitAccepted(1);
            Api.update("delete from audit_record");

            // Refused (a subscription that is not one): nothing queued, nothing recorded.
            reader().contentType(ContentType.JSON).body(Map.of("subscriptionId", "00000000-0000-0000-0000-000000000000"))
                    .post("/api/v1/events/" + event + "/redeliver").then().statusCode(400);
            assertThat(Api.queryString("select count(*) from audit_record")).isEqualTo("0");
            // The admin key "ops" through the trusted proxy replays it to every subscription that receives it.
            reader().header("X-Forwarded-For", CLIENT).contentType(ContentType.JSON).body("{}").post("/api/v1/events/" + event + "/redeliver")
                    .then().statusCode(202);
            receiver.awaitAccepted(2);
            String delivery = Api.queryString("select id from event_delivery where event_id = ?::uuid", event);
            Map<String, Object> redelivered = only(trail(), "event.redeliver", event);
            assertForced(redelivered, "key", "ops", CLIENT,
                    "queued again for 1 subscription: delivery " + delivery + " \\(subscription " + subscription.id() + "\\)");
            assertThat(redelivered.get("accountId")).isEqualTo("au-replay");
        } finally {
            receiver.close();
        }

        // The operator's key forces a purge: each batch that deleted rows is in the operators' trail, with how many and how old.
        json(Map.of("name", "Old shop")).put("/api/v1/accounts/au-old/connector").then().statusCode(201);
        Api.update("update audit_record set occurred_at = now() - interval '500 days'");
        long aged = Long.parseLong(Api.queryString("select count(*) from audit_record"));
        TestPartners.operator().header("X-Forwarded-For", CLIENT).post("/api/v1/maintenance/purge").then().statusCode(200)
                .body("ran", org.hamcrest.Matchers.is(true)).body("deleted.audit_record", org.hamcrest.Matchers.is((int) aged));
        List<Map<String, Object>> operators = TestPartners.operator().get("/api/v1/maintenance/audit").then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertForced(only(operators, "retention.purge", "audit_record"), "operator-key", "operator", CLIENT,
                aged + " rows older than \\S+Z \\(retention P400D\\)");
        // Service-wide, so no partner's trail shows it; the partner's own records it deleted are gone.
        assertThat(trail()).isEmpty();
        // Nothing left to delete: nothing changed, nothing recorded; nor is a scheduled round's work (the service's own).
        String recorded = Api.queryString("select count(*) from audit_record");
        TestPartners.operator().post("/api/v1/maintenance/purge").then().statusCode(200).body("ran", org.hamcrest.Matchers.is(true));
        Api.update("update audit_record set occurred_at = now() - interval '500 days'");
        assertThat(purge.purge().orElseThrow()).containsEntry("audit_record", Long.parseLong(recorded));
        assertThat(Api.queryString("select count(*) from audit_record")).isEqualTo("0");
    }

    @Test
    void anOperatorsConsoleUserAndKeyAreToldFromAPartnersAndRowsWrittenBeforeStillRead() {
        // An operator's console user creates a partner; an operator's key issues partner default a key.
        ConsoleSession operator = ConsoleSession.signIn(TestKeys.CONSOLE_OPERATOR, TestKeys.CONSOLE_OPERATOR_PASSWORD);
        operator.post("/console/partners", Map.of("id", "audit-op", "name", "Audit op", "serviceDomain", "audit-op.partners.example"),
                operator.token("/console/partners")).then().statusCode(303);
        assertRecord(only(TestPartners.operator().queryParam("partner", "audit-op").get("/api/v1/maintenance/audit").then().statusCode(200)
                        .extract().jsonPath().getList("items"), "partner.create", "audit-op"),
                "operator-user", "operator " + TestKeys.CONSOLE_OPERATOR, List.of("name", "serviceDomain"), "203.0.113.7");
        TestPartners.operator().contentType(ContentType.JSON).body(Map.of("name", "audit-issued", "roles", List.of("api")))
                .post("/api/v1/partners/default/api-keys").then().statusCode(201);
        // A row as the version before V27 wrote it (no actor_operator, no detail), e.g. through an older pod during a rollout.
        Api.update("insert into audit_record (id, partner_id, occurred_at, actor_kind, actor_name, action, fields)"
                + " values (gen_random_uuid(), 'default', now(), 'key', 'older-pod', 'connector.update', 'supportContact')");
        ConsoleSession.admin().post("/console/installations", Map.of("accountId", "au-kinds", "name", "Kinds shop")).then().statusCode(303);

        List<Map<String, Object>> records = trail();
        assertThat(only(records, "api-key.issue", null)).containsEntry("actorKind", "operator-key").containsEntry("actor", "operator");
        assertRecord(only(records, "connector.update", null), "key", "older-pod", List.of("supportContact"), null);
        assertRecord(only(records, "installation.create", "au-kinds"), "user", TestKeys.CONSOLE_ADMIN, List.of("name"), "203.0.113.7");
        assertThat(records).hasSize(3);

        // The console names each kind in words: the partner's user, the operator's key, an API key.
        String page = ConsoleSession.admin().get("/console/audit").then().statusCode(200).extract().asString();
        assertThat(page).contains(">console user<").contains(">operator&#39;s API key<").contains(">API key<");
    }

    @Test
    void anUntrustedSendersForwardedAddressIsNotBelieved() throws UnknownHostException {
        RequestSpecification untrusted = given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.route.local-address", InetAddress.getByName("127.0.0.2"))));
        untrusted.header("Authorization", "Bearer " + TestKeys.API_KEY).header("X-Forwarded-For", CLIENT).contentType(ContentType.JSON)
                .body(Map.of("supportContact", "help@audit.example")).put("/api/v1/connector").then().statusCode(200);
        json(Map.of("supportContact", "desk@audit.example")).header("X-Forwarded-For", CLIENT).put("/api/v1/connector").then().statusCode(200);

        List<Map<String, Object>> records = trail();
        assertThat(records).extracting(r -> r.get("clientAddress")).as("newest first: the trusted proxy's client, then the untrusted sender")
                .containsExactly(CLIENT, "127.0.0.2");
        assertThat(records).extracting(r -> r.get("fields")).containsOnly(List.of("supportContact"));
    }

    @Test
    void aChangeThatFailsOrRollsBackLeavesNoRecordAndNoRecordIsWrittenOutsideATransaction() {
        Flows.consoleSetup();
        Api.update("delete from audit_record");
        // Refused before the transaction (a malformed client ID), and inside it (clearing the key an installation relies on).
        json(Map.of("clientId", "not-a-client-id")).put("/api/v1/connector").then().statusCode(400);
        Flows.connect(stripe, "au-relies");
        Api.update("delete from audit_record");
        Map<String, Object> clear = new HashMap<>();
        clear.put("clientSecret", null);
        json(clear).put("/api/v1/connector").then().statusCode(409);
        reader().contentType(ContentType.JSON).body(Map.of("password", "short")).put("/api/v1/console-users/audit-short").then().statusCode(400);
        assertThat(Api.queryString("select count(*) from audit_record")).isEqualTo("0");

        // A record written in a transaction that then rolls back goes with it.
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            audit.record(PartnerId.DEFAULT, "connector.update", null, null, List.of("clientId"));
            throw new IllegalStateException("the change failed after its record");
        })).hasMessageContaining("the change failed");
        assertThat(Api.queryString("select count(*) from audit_record")).isEqualTo("0");
        assertThatThrownBy(() -> audit.record(PartnerId.DEFAULT, "connector.update", null, null, List.of("clientId")))
                .hasMessageContaining("in the transaction of its change");
        assertThat(Api.queryString("select count(*) from audit_record")).isEqualTo("0");
    }

    @Test
    void theTrailPagesNewestFirstFiltersByAccountActorAndTimeAndRefusesBadFilters() {
        for (int i = 1; i <= 5; i++) {
            json(Map.of("supportContact", "desk" + i + "@audit.example")).put("/api/v1/connector").then().statusCode(200);
        }
        Instant between = Instant.parse(trail().get(0).get("occurredAt").toString());
        json(Map.of("name", "Paged shop")).put("/api/v1/accounts/au-paged/connector").then().statusCode(201);
        reader().contentType(ContentType.JSON).body(Map.of("name", "Paged shop 2")).put("/api/v1/accounts/au-paged/connector").then().statusCode(200);

        List<List<Map<String, Object>>> pages = pages(3);
        assertThat(pages).extracting(List::size).containsExactly(3, 3, 1);
        List<Map<String, Object>> seen = pages.stream().flatMap(List::stream).toList();
        assertThat(seen).extracting(r -> r.get("id")).doesNotHaveDuplicates();
        assertThat(seen).extracting(r -> r.get("action")).containsExactly("installation.update", "installation.create",
                "connector.update", "connector.update", "connector.update", "connector.update", "connector.update");
        assertThat(seen).extracting(r -> Instant.parse(r.get("occurredAt").toString())).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        assertThat(reader().queryParam("accountId", "au-paged").get("/api/v1/audit").then().statusCode(200).extract().jsonPath()
                .getList("items.action", String.class)).containsExactly("installation.update", "installation.create");
        assertThat(reader().queryParam("actor", "ops").get("/api/v1/audit").then().statusCode(200).extract().jsonPath()
                .getList("items.action", String.class)).containsExactly("installation.update");
        assertThat(reader().queryParam("since", between.plusNanos(1000).toString()).get("/api/v1/audit").then().statusCode(200).extract()
                .jsonPath().getList("items.accountId", String.class)).containsExactly("au-paged", "au-paged");
        assertThat(reader().queryParam("until", between.toString()).get("/api/v1/audit").then().statusCode(200).extract()
                .jsonPath().getList("items")).hasSize(4);
        assertThat(reader().queryParam("since", between.toString()).queryParam("until", between.plusNanos(1000).toString())
                .get("/api/v1/audit").then().statusCode(200).extract().jsonPath().getList("items.action", String.class))
                .containsExactly("connector.update");

        reader().queryParam("since", "yesterday").queryParam("until", "2026-13-01T00:00:00Z").queryParam("accountId", "bad id")
                .queryParam("limit", 0).queryParam("cursor", "not-ours").get("/api/v1/audit").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("since", "until",
                        "accountId", "limit", "cursor"));
        reader().queryParam("since", "2026-12-07T12:00:00Z").queryParam("until", "2026-12-07T11:00:00Z").get("/api/v1/audit").then()
                .statusCode(400).body("errors.field", org.hamcrest.Matchers.contains("until"));

        // Partner default's key without the admin role, and an operator's key on a partner's route: refused.
        api().get("/api/v1/audit").then().statusCode(403).contentType("application/problem+json");
        TestPartners.operator().get("/api/v1/audit").then().statusCode(403);
        // The service-wide trail: for maintenance keys ("ops" is named in CONNECTOR_ADMIN_KEYS); another partner's, operators only.
        reader().get("/api/v1/maintenance/audit").then().statusCode(200);
        reader().queryParam("partner", "default").get("/api/v1/maintenance/audit").then().statusCode(403).contentType("application/problem+json");
        api().get("/api/v1/maintenance/audit").then().statusCode(403);
        TestPartners.operator().queryParam("partner", "Not A Partner").get("/api/v1/maintenance/audit").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.contains("partner"));
    }
}
