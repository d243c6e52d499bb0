package dev.stripeconnector.partner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.stripeconnector.common.Sha256;
import dev.stripeconnector.connector.PublicOrigin;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.security.ApiKeyIdentityProvider;
import dev.stripeconnector.security.Caller;
import dev.stripeconnector.security.Roles;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operators' API end to end: partners and their keys, each key's life (shown once, stored as a
 * hash, expiry, rotation, revocation, the partner disabled) taking effect at the next request, and the
 * line between operators' keys and partners' keys. Every exchange is also checked against the served
 * OpenAPI document.
 */
@QuarkusTest
class PartnersTest {

    @Inject
    PublicOrigins origins;

    private static final String PROBLEMS = "https://stripe-connector.dev/problems/";

    @Inject
    ApiKeyIdentityProvider keys;

    @BeforeEach
    void onlyPartnerDefault() {
        Api.update("delete from api_key");
        Api.deletePartnersButDefault();
        origins.refresh();
        Api.update("update partner set name = 'Default partner', status = 'ACTIVE' where id = 'default'");
    }

    static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + TestKeys.OPERATOR_KEY);
    }

    static RequestSpecification operator(Object body) {
        return operator().contentType(ContentType.JSON).body(body);
    }

    static RequestSpecification withKey(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    static void createPartner(String id, String domain) {
        operator(Map.of("id", id, "name", "Partner " + id, "serviceDomain", domain)).post("/api/v1/partners").then().statusCode(201);
    }

    /** Issues a key and answers the whole answer; the key itself is in {@code key}. */
    static JsonPath issue(String partner, Map<String, ?> body) {
        return operator(body).post("/api/v1/partners/" + partner + "/api-keys").then().statusCode(201).extract().jsonPath();
    }

    static ValidatableResponse problem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status).contentType("application/problem+json").body("type", equalTo(PROBLEMS + type));
    }

    @Test
    void aPartnersServiceDomainIsServedFromItsCreationAndStopsBeingServedWhenItChanges() {
        Api.resetDatabase();
        assertThat(given().header("Host", "stripe.acme.example").get("/connector/setup/unknown").statusCode()).isEqualTo(421);
        createPartner("acme", "stripe.acme.example");
        assertThat(origins.match("stripe.acme.example")).map(PublicOrigin::partner).contains(new PartnerId("acme"));
        assertThat(origins.match("STRIPE.ACME.EXAMPLE:443")).map(PublicOrigin::baseUrl).contains("https://stripe.acme.example");
        assertThat(origins.of(new PartnerId("acme")).redirectUri()).isEqualTo("https://stripe.acme.example/connector/callback");
        assertThat(origins.of(PartnerId.DEFAULT)).isEqualTo(origins.primary());
        // The browser routes answer on the partner's domain (an unknown link is a page, not a refused host).
        assertThat(given().header("Host", "stripe.acme.example").get("/connector/setup/unknown").statusCode()).isNotEqualTo(421);

        operator(Map.of("serviceDomain", "connect.acme.example")).patch("/api/v1/partners/acme").then().statusCode(200);
        assertThat(origins.match("stripe.acme.example")).isEmpty();
        assertThat(given().header("Host", "stripe.acme.example").get("/connector/setup/unknown").statusCode()).isEqualTo(421);
        assertThat(origins.match("connect.acme.example")).map(PublicOrigin::partner).contains(new PartnerId("acme"));
    }

    @Test
    void operatorsCreateReadListChangeAndDeletePartners() {
        operator(Map.of("id", "acme", "name", "Acme Integrations", "serviceDomain", "Stripe.Acme.Example")).post("/api/v1/partners").then()
                .statusCode(201)
                .header("Location", equalTo("https://" + TestKeys.SERVICE_DOMAIN + "/api/v1/partners/acme"))
                .body("id", equalTo("acme"))
                .body("name", equalTo("Acme Integrations"))
                .body("status", equalTo("active"))
                .body("serviceDomain", equalTo("stripe.acme.example"))
                .body("redirectUri", equalTo("https://stripe.acme.example/connector/callback"))
                .body("createdAt", notNullValue());
        assertThat(Api.queryString("select service_domain from partner where id = 'acme'")).isEqualTo("stripe.acme.example");
        operator().get("/api/v1/partners/acme").then().statusCode(200)
                .body("name", equalTo("Acme Integrations")).body("redirectUri", equalTo("https://stripe.acme.example/connector/callback"));

        // Listed in id order a page at a time; partner default shows the configured domain.
        createPartner("globex", "stripe.globex.example:8443");
        String cursor = operator().get("/api/v1/partners?limit=2").then().statusCode(200)
                .body("items.id", equalTo(List.of("acme", "default"))).body("nextCursor", notNullValue())
                .body("items[1].serviceDomain", equalTo(TestKeys.SERVICE_DOMAIN))
                .body("items[1].redirectUri", equalTo("https://" + TestKeys.SERVICE_DOMAIN + "/connector/callback"))
                .extract().path("nextCursor");
        operator().get("/api/v1/partners?limit=2&cursor=" + cursor).then().statusCode(200)
                .body("items.id", equalTo(List.of("globex"))).body("items[0].redirectUri", equalTo("https://stripe.globex.example:8443/connector/callback"))
                .body("nextCursor", nullValue());
        operator().get("/api/v1/partners?status=disabled").then().statusCode(200).body("items", empty());

        // Changed: only what the body names; a port of 443 is https's own.
        String updatedBefore = operator().get("/api/v1/partners/acme").then().extract().path("updatedAt");
        operator(Map.of("name", "Acme Ltd", "serviceDomain", "connect.acme.example:443")).patch("/api/v1/partners/acme").then().statusCode(200)
                .body("name", equalTo("Acme Ltd")).body("serviceDomain", equalTo("connect.acme.example"))
                .body("redirectUri", equalTo("https://connect.acme.example/connector/callback"))
                .body("status", equalTo("active")).body("updatedAt", not(equalTo(updatedBefore)));

        // Deleted: only once disabled, only with the partner's id repeated, and the answer says what went.
        issue("acme", Map.of("name", "one"));
        issue("acme", Map.of("name", "two"));
        issue("globex", Map.of("name", "other"));
        problem(operator().delete("/api/v1/partners/acme?confirm=acme").then(), 409, "invalid-state").body("detail", containsString("disable it first"));
        operator(Map.of("status", "disabled")).patch("/api/v1/partners/acme").then().statusCode(200).body("status", equalTo("disabled"));
        problem(operator().delete("/api/v1/partners/acme").then(), 400, "validation").body("errors[0].field", equalTo("confirm"));
        problem(operator().delete("/api/v1/partners/acme?confirm=globex").then(), 400, "validation")
                .body("errors[0].message", containsString("'acme'"));
        operator().get("/api/v1/partners?status=disabled").then().statusCode(200).body("items.id", equalTo(List.of("acme")));
        operator().delete("/api/v1/partners/acme?confirm=acme").then().statusCode(200)
                .body("partnerId", equalTo("acme"))
                // Its audit trail goes with it (created, changed twice, two keys issued); the operators' trail keeps the removal.
                .body("deleted", equalTo(Map.of("api_key", 2, "audit_record", 5, "connector_settings", 1, "partner", 1)));
        problem(operator().get("/api/v1/partners/acme").then(), 404, "not-found");
        assertThat(Api.queryString("select count(*) from api_key where partner_id = 'acme'")).isEqualTo("0");
        assertThat(Api.queryString("select count(*) from api_key where partner_id = 'globex'")).as("another partner's keys stay").isEqualTo("1");
    }

    @Test
    void simultaneousCreationsOfOnePartnerEndInOne() throws Exception {
        List<Integer> statuses = dev.stripeconnector.support.Concurrently.run(8, caller -> operator(Map.of("id", "twin", "name",
                "Twin " + caller, "serviceDomain", "twin" + caller + ".example")).post("/api/v1/partners").then().extract().statusCode());
        assertThat(statuses).containsOnly(201, 409).filteredOn(status -> status == 201).hasSize(1);
        List<Integer> domains = dev.stripeconnector.support.Concurrently.run(8, caller -> operator(Map.of("id", "same-domain-" + caller,
                "name", "Same domain", "serviceDomain", "same.example")).post("/api/v1/partners").then().extract().statusCode());
        assertThat(domains).containsOnly(201, 409).filteredOn(status -> status == 201).hasSize(1);
        assertThat(Api.queryString("select count(*) from partner where service_domain = 'same.example'")).isEqualTo("1");
    }

    @Test
    void partnerDefaultKeepsItsConfiguredDomainAndCannotBeDisabledOrDeleted() {
        operator(Map.of("name", "The first partner")).patch("/api/v1/partners/default").then().statusCode(200)
                .body("name", equalTo("The first partner")).body("serviceDomain", equalTo(TestKeys.SERVICE_DOMAIN));
        problem(operator(Map.of("status", "disabled")).patch("/api/v1/partners/default").then(), 400, "validation")
                .body("errors[0].field", equalTo("status"));
        problem(operator(Map.of("serviceDomain", "other.example")).patch("/api/v1/partners/default").then(), 400, "validation")
                .body("errors[0].field", equalTo("serviceDomain"));
        problem(operator().delete("/api/v1/partners/default?confirm=default").then(), 409, "invalid-state");
        assertThat(Api.queryString("select status from partner where id = 'default'")).isEqualTo("ACTIVE");
    }

    @Test
    void badInputIsAFieldErrorAndUnknownPartnersAndKeysAre404() {
        problem(operator(Map.of("id", "Acme!", "serviceDomain", "not a domain/")).post("/api/v1/partners").then(), 400, "validation")
                .body("errors.field", equalTo(List.of("id", "name", "serviceDomain")));
        problem(operator(Map.of("id", "acme", "name", "Acme", "serviceDomain", TestKeys.SERVICE_DOMAIN.toUpperCase()))
                .post("/api/v1/partners").then(), 400, "validation")
                .body("errors[0].message", containsString("service's own domain"));
        problem(operator(Map.of("id", "acme", "name", "A\u0000", "serviceDomain", "a.example")).post("/api/v1/partners").then(), 400, "validation")
                .body("errors[0].field", equalTo("name"));
        problem(operator(Map.of("id", "acme", "name", "Acme", "serviceDomain", "a.example", "plan", "gold")).post("/api/v1/partners").then(),
                400, "validation").body("errors[0].field", equalTo("plan"));
        problem(operator(Map.of("id", "acme", "name", "Acme", "serviceDomain", "a.example:99999")).post("/api/v1/partners").then(),
                400, "validation");
        createPartner("acme", "a.example");
        problem(operator(Map.of("id", "acme", "name", "Again", "serviceDomain", "b.example")).post("/api/v1/partners").then(), 409, "already-exists");
        problem(operator(Map.of("id", "other", "name", "Other", "serviceDomain", "A.Example")).post("/api/v1/partners").then(), 409, "already-exists")
                .body("detail", containsString("'acme'"));
        createPartner("other", "b.example");
        problem(operator(Map.of("serviceDomain", "a.example")).patch("/api/v1/partners/other").then(), 409, "already-exists");
        problem(operator(Map.of("status", "paused")).patch("/api/v1/partners/other").then(), 400, "validation").body("errors[0].field", equalTo("status"));
        problem(operator("{\"serviceDomain\": null}").patch("/api/v1/partners/other").then(), 400, "validation");
        problem(operator().get("/api/v1/partners?limit=0").then(), 400, "validation").body("errors[0].field", equalTo("limit"));
        problem(operator().get("/api/v1/partners?cursor=%21%21").then(), 400, "validation").body("errors[0].field", equalTo("cursor"));
        problem(operator().get("/api/v1/partners/ACME").then(), 400, "validation").body("errors[0].field", equalTo("partnerId"));

        problem(operator().get("/api/v1/partners/nobody").then(), 404, "not-found");
        problem(operator(Map.of("name", "x")).patch("/api/v1/partners/nobody").then(), 404, "not-found");
        problem(operator().delete("/api/v1/partners/nobody?confirm=nobody").then(), 404, "not-found");
        problem(operator(Map.of("name", "k")).post("/api/v1/partners/nobody/api-keys").then(), 404, "not-found");
        problem(operator().get("/api/v1/partners/nobody/api-keys").then(), 404, "not-found");
        problem(operator().get("/api/v1/partners/acme/api-keys/6f1c1f4e-0000-4000-8000-000000000000").then(), 404, "not-found");
        problem(operator().post("/api/v1/partners/acme/api-keys/6f1c1f4e-0000-4000-8000-000000000000/revoke").then(), 404, "not-found");
        problem(operator().get("/api/v1/partners/acme/api-keys/not-a-key").then(), 400, "validation").body("errors[0].field", equalTo("keyId"));

        problem(operator(Map.of()).post("/api/v1/partners/acme/api-keys").then(), 400, "validation").body("errors[0].field", equalTo("name"));
        problem(operator(Map.of("name", "k", "roles", List.of("owner"))).post("/api/v1/partners/acme/api-keys").then(), 400, "validation")
                .body("errors[0].field", equalTo("roles"));
        problem(operator(Map.of("name", "k", "roles", List.of(Roles.OPERATOR))).post("/api/v1/partners/acme/api-keys").then(), 400, "validation");
        problem(operator(Map.of("name", "k", "roles", List.of())).post("/api/v1/partners/acme/api-keys").then(), 400, "validation");
        problem(operator(Map.of("name", "k", "expiresAt", Instant.now().minusSeconds(60).toString())).post("/api/v1/partners/acme/api-keys").then(),
                400, "validation").body("errors[0].field", equalTo("expiresAt"));
        problem(operator(Map.of("name", "k", "expiresAt", "tomorrow")).post("/api/v1/partners/acme/api-keys").then(), 400, "validation")
                .body("errors[0].field", equalTo("expiresAt"));
        assertThat(Api.queryString("select count(*) from api_key")).as("nothing half-stored").isEqualTo("0");
    }

    @Test
    void aKeyIsShownOnceAndOnlyItsHashIsStored() {
        createPartner("acme", "stripe.acme.example");
        JsonPath issued = operator(Map.of("name", "billing", "roles", List.of("credentials-reader", "api"))).post("/api/v1/partners/acme/api-keys")
                .then().statusCode(201).header("Location", containsString("/api/v1/partners/acme/api-keys/")).extract().jsonPath();
        String key = issued.getString("key");
        String id = issued.getString("apiKey.id");
        assertThat(key).matches("sck_acme_[A-Za-z0-9_-]{43}");
        assertThat(issued.getString("apiKey.prefix")).isEqualTo(key.substring(0, "sck_acme_".length() + 4));
        assertThat(issued.getList("apiKey.roles", String.class)).containsExactly("api", "credentials-reader");
        assertThat(issued.getString("apiKey.status")).isEqualTo("active");

        assertThat(Api.dumpTable("api_key")).doesNotContain(key).doesNotContain(key.substring("sck_acme_".length()));
        assertThat(Api.queryString("select key_hash from api_key where id = ?::uuid", id)).isEqualTo(Sha256.hex(key));
        String listed = operator().get("/api/v1/partners/acme/api-keys").then().statusCode(200)
                .body("id", equalTo(List.of(id))).body("name", equalTo(List.of("billing"))).extract().asString();
        String one = operator().get("/api/v1/partners/acme/api-keys/" + id).then().statusCode(200).body("partnerId", equalTo("acme"))
                .extract().asString();
        assertThat(listed + one).doesNotContain(key).doesNotContain("key_hash").doesNotContain(Sha256.hex(key)).doesNotContain("\"key\"");
    }

    @Test
    void aPartnersKeyAuthenticatesAndCarriesItsPartnerAndRoles() {
        Api.resetDatabase();
        String defaults = issue("default", Map.of("name", "billing", "roles", List.of("api", "admin"))).getString("key");
        withKey(defaults).get("/api/v1/connector").then().statusCode(200);
        withKey(defaults).contentType(ContentType.JSON).body(Map.of("name", "Issued key's install")).put("/api/v1/accounts/k-1/connector")
                .then().statusCode(201);
        withKey(defaults).get("/api/v1/console-users").then().statusCode(200);
        assertThat(keys.issuedKey(defaults)).isEqualTo(new Caller("billing", PartnerId.DEFAULT, java.util.Set.of(Roles.API, Roles.ADMIN)));

        createPartner("acme", "stripe.acme.example");
        String acme = issue("acme", Map.of("name", "acme-reader", "roles", List.of("credentials-reader"))).getString("key");
        assertThat(keys.issuedKey(acme)).isEqualTo(new Caller("acme-reader", new PartnerId("acme"), java.util.Set.of(Roles.CREDENTIALS_READER)));

        // Junk shaped like a key, a key of another partner's form, and a key of a partner that does not exist: not valid.
        String forged = "sck_acme_" + "A".repeat(43);
        problem(withKey(forged).get("/api/v1/connector").then(), 401, "unauthorized").body("detail", equalTo("The API key is not valid"));
        problem(withKey(defaults.replace("sck_default_", "sck_acme_")).get("/api/v1/connector").then(), 401, "unauthorized");
        problem(withKey(defaults.replace("sck_default_", "sck_nobody_")).get("/api/v1/connector").then(), 401, "unauthorized");
    }

    @Test
    void aKeysUseIsRecordedAtMostOnceAMinute() {
        String key = issue("default", Map.of("name", "busy")).getString("key");
        assertThat(Api.queryString("select last_used_at from api_key where name = 'busy'")).isNull();
        withKey(key).get("/api/v1/connector").then().statusCode(200);
        String first = Api.queryString("select last_used_at from api_key where name = 'busy'");
        assertThat(first).isNotNull();
        for (int i = 0; i < 5; i++) {
            withKey(key).get("/api/v1/connector").then().statusCode(200);
        }
        assertThat(Api.queryString("select last_used_at from api_key where name = 'busy'")).as("not written again within a minute").isEqualTo(first);
        operator().get("/api/v1/partners/default/api-keys").then().statusCode(200).body("lastUsedAt", hasItems(notNullValue()));

        Api.update("update api_key set last_used_at = last_used_at - interval '61 seconds' where name = 'busy'");
        String aged = Api.queryString("select last_used_at from api_key where name = 'busy'");
        withKey(key).get("/api/v1/connector").then().statusCode(200);
        assertThat(Api.queryString("select last_used_at from api_key where name = 'busy'")).as("written again after a minute").isNotEqualTo(aged);
    }

    @Test
    void expiryRotationAndRevocationTakeEffectAtTheNextRequest() {
        // Expiry: a key works until its time; once that time has passed (moved into the past here), at once.
        String expiring = issue("default", Map.of("name", "expiring", "expiresAt", Instant.now().plus(1, ChronoUnit.HOURS).toString())).getString("key");
        withKey(expiring).get("/api/v1/connector").then().statusCode(200);
        Api.update("update api_key set expires_at = now() - interval '1 second' where name = 'expiring'");
        problem(withKey(expiring).get("/api/v1/connector").then(), 401, "unauthorized").body("detail", equalTo("This API key has expired"));
        operator().get("/api/v1/partners/default/api-keys").then().body("find { it.name == 'expiring' }.status", equalTo("expired"));

        // Rotation: the old key works until the chosen time, the new one at once.
        JsonPath first = issue("default", Map.of("name", "rotating", "roles", List.of("api", "credentials-reader")));
        String oldKey = first.getString("key");
        String oldId = first.getString("apiKey.id");
        Instant until = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        io.restassured.response.Response rotation = operator(Map.of("oldKeyExpiresAt", until.toString()))
                .post("/api/v1/partners/default/api-keys/" + oldId + "/rotate");
        JsonPath rotated = rotation.then().statusCode(201).extract().jsonPath();
        String newKey = rotated.getString("key");
        String newId = rotated.getString("apiKey.id");
        assertThat(rotation.header("Location")).endsWith("/api/v1/partners/default/api-keys/" + newId);
        assertThat(newKey).isNotEqualTo(oldKey).startsWith("sck_default_");
        assertThat(rotated.getString("apiKey.name")).isEqualTo("rotating");
        assertThat(rotated.getList("apiKey.roles", String.class)).containsExactly("api", "credentials-reader");
        assertThat(Instant.parse(rotated.getString("replaced.expiresAt"))).isEqualTo(until);
        assertThat(rotated.getString("replaced.replacedBy")).isEqualTo(newId);
        withKey(oldKey).get("/api/v1/connector").then().statusCode(200);
        withKey(newKey).get("/api/v1/connector").then().statusCode(200);
        problem(operator(Map.of()).post("/api/v1/partners/default/api-keys/" + oldId + "/rotate").then(), 409, "invalid-state")
                .body("detail", containsString(newId));
        Api.update("update api_key set expires_at = now() - interval '1 second' where id = ?::uuid", oldId);
        problem(withKey(oldKey).get("/api/v1/connector").then(), 401, "unauthorized").body("detail", containsString("rotated"));

        // Rotated without a time: the old key stops at once.
        JsonPath again = operator().contentType(ContentType.JSON).post("/api/v1/partners/default/api-keys/" + newId + "/rotate").then()
                .statusCode(201).extract().jsonPath();
        problem(withKey(newKey).get("/api/v1/connector").then(), 401, "unauthorized");
        String latest = again.getString("key");
        String latestId = again.getString("apiKey.id");
        withKey(latest).get("/api/v1/connector").then().statusCode(200);

        // Revocation: at once; revoking again changes nothing; a revoked key cannot be rotated.
        String revokedAt = operator().post("/api/v1/partners/default/api-keys/" + latestId + "/revoke").then().statusCode(200)
                .body("status", equalTo("revoked")).extract().path("revokedAt");
        problem(withKey(latest).get("/api/v1/connector").then(), 401, "unauthorized").body("detail", equalTo("This API key was revoked"));
        operator().post("/api/v1/partners/default/api-keys/" + latestId + "/revoke").then().statusCode(200).body("revokedAt", equalTo(revokedAt));
        problem(operator(Map.of()).post("/api/v1/partners/default/api-keys/" + latestId + "/rotate").then(), 409, "invalid-state");
        problem(operator(Map.of("oldKeyExpiresAt", Instant.now().minusSeconds(3600).toString()))
                .post("/api/v1/partners/default/api-keys/" + latestId + "/rotate").then(), 400, "validation");
    }

    @Test
    void disablingAPartnerStopsItsKeysAtOnce() {
        createPartner("acme", "stripe.acme.example");
        String acme = issue("acme", Map.of("name", "acme-api")).getString("key");
        for (String path : List.of("/api/v1/connector", "/api/v1/accounts", "/api/v1/events")) {
            withKey(acme).get(path).then().statusCode(200);
        }
        assertThat(Api.queryString("select last_used_at from api_key where partner_id = 'acme'")).as("the key's use is recorded").isNotNull();

        operator(Map.of("status", "disabled")).patch("/api/v1/partners/acme").then().statusCode(200);
        problem(withKey(acme).get("/api/v1/connector").then(), 403, "partner-disabled").body("detail", containsString("'acme' is disabled"));
        problem(withKey(acme).get("/api/v1/partners").then(), 403, "partner-disabled");
        operator(Map.of("status", "active")).patch("/api/v1/partners/acme").then().statusCode(200);
        withKey(acme).get("/api/v1/connector").then().statusCode(200);
    }

    @Test
    void operatorsKeysAndPartnersKeysStayOnTheirSide() {
        Api.resetDatabase();
        Api.json(Map.of("name", "Acme")).put("/api/v1/accounts/side-1/connector").then().statusCode(201);
        // An operator's key reaches no partner's route.
        for (String path : List.of("/api/v1/connector", "/api/v1/accounts", "/api/v1/accounts/side-1/connector", "/api/v1/events",
                "/api/v1/event-subscriptions", "/api/v1/console-users", "/api/v1/accounts/side-1/connector/credentials")) {
            problem(operator().get(path).then(), 403, "forbidden").body("detail", containsString("operator key"));
        }
        problem(operator(Map.of("name", "Taken over")).put("/api/v1/accounts/side-1/connector").then(), 403, "forbidden");
        problem(operator().delete("/api/v1/accounts/side-1/connector").then(), 403, "forbidden");
        assertThat(Api.queryString("select name from account_connector where account_id = 'side-1'")).isEqualTo("Acme");

        // No partner's key reaches the operators' routes: configured ones (admin included) and issued ones (every role).
        String issued = issue("default", Map.of("name", "all-roles", "roles", List.of("api", "credentials-reader", "admin"))).getString("key");
        for (String key : List.of(TestKeys.API_KEY, TestKeys.OPS_API_KEY, TestKeys.READER_API_KEY, issued)) {
            problem(withKey(key).get("/api/v1/partners").then(), 403, "forbidden").body("detail", containsString("operator key"));
            problem(withKey(key).get("/api/v1/partners/default/api-keys").then(), 403, "forbidden");
            problem(withKey(key).contentType(ContentType.JSON).body(Map.of("name", "mine")).post("/api/v1/partners/default/api-keys").then(),
                    403, "forbidden");
        }
        assertThat(Api.queryString("select count(*) from api_key")).isEqualTo("1");
        problem(given().get("/api/v1/partners").then(), 401, "unauthorized");

        // Maintenance is the operators', and the configured admin keys keep it; an issued key never reaches it.
        operator().get("/api/v1/maintenance/encryption").then().statusCode(200);
        withKey(TestKeys.OPS_API_KEY).get("/api/v1/maintenance/encryption").then().statusCode(200);
        problem(withKey(issued).get("/api/v1/maintenance/encryption").then(), 403, "forbidden");
        problem(withKey(TestKeys.API_KEY).get("/api/v1/maintenance/encryption").then(), 403, "forbidden");
    }

    @Test
    void theConfiguredKeysOfPartnerDefaultWorkAsBefore() {
        Api.resetDatabase();
        Api.api().get("/api/v1/connector").then().statusCode(200);
        withKey(TestKeys.READER_API_KEY).get("/api/v1/accounts").then().statusCode(200);
        withKey(TestKeys.OPS_API_KEY).get("/api/v1/console-users").then().statusCode(200);
        problem(Api.api().get("/api/v1/console-users").then(), 403, "forbidden");
        problem(withKey("not-a-key-of-anyone-0123").get("/api/v1/connector").then(), 401, "unauthorized");
        assertThatThrownBy(() -> keys.issuedKey(TestKeys.API_KEY)).as("configured keys are not looked up in the database")
                .isInstanceOf(io.quarkus.security.AuthenticationFailedException.class);
    }
}
