package dev.stripeconnector.account;

import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Concurrently;
import io.restassured.path.json.JsonPath;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AccountResourceTest {

    static final String CONSOLE_SECRET = "sk_test_ConsoleKey1111";
    static final String ACCOUNT_SECRET = "sk_live_AccountOwnKey2222";

    @BeforeEach
    void freshPlatform() {
        Api.resetDatabase();
    }

    static void console(String clientId, String secret) {
        Map<String, Object> body = new HashMap<>();
        body.put("clientId", clientId);
        body.put("clientSecret", secret);
        json(body).put("/api/v1/connector").then().statusCode(200);
    }

    @Test
    void installingWithConsoleValuesCreatesAPendingInstallation() {
        console("ca_Console1", CONSOLE_SECRET);
        json(Map.of("name", "Acme Ltd")).put("/api/v1/accounts/acme-1/connector").then()
                .statusCode(201)
                .header("Location", endsWith("/api/v1/accounts/acme-1/connector"))
                .body("id", notNullValue())
                .body("accountId", equalTo("acme-1"))
                .body("name", equalTo("Acme Ltd"))
                .body("status", equalTo("pending"))
                .body("clientId.value", equalTo("ca_Console1"))
                .body("clientId.source", equalTo("console"))
                .body("clientSecret.set", equalTo(true))
                .body("clientSecret.last4", equalTo("1111"))
                .body("clientSecret.mode", equalTo("test"))
                .body("clientSecret.source", equalTo("console"));
    }

    @Test
    void aRepeatedPutUpdatesTheSameInstallation() {
        console("ca_Console1", CONSOLE_SECRET);
        String id = json(Map.of("name", "First")).put("/api/v1/accounts/acme-2/connector").then()
                .statusCode(201).extract().path("id");
        json(Map.of("name", "Second")).put("/api/v1/accounts/acme-2/connector").then()
                .statusCode(200).body("id", equalTo(id)).body("name", equalTo("Second"));
        // An empty body (or none at all) changes nothing and is still idempotent.
        json("{}").put("/api/v1/accounts/acme-2/connector").then().statusCode(200).body("id", equalTo(id)).body("name", equalTo("Second"));
        api().put("/api/v1/accounts/acme-2/connector").then().statusCode(200).body("id", equalTo(id));
        assertThat(Api.queryString("select count(*) from account_connector where account_id = 'acme-2'")).isEqualTo("1");
    }

    @Test
    void simultaneousFirstInstallsEndInOneInstallation() throws Exception {
        console("ca_Console1", CONSOLE_SECRET);
        List<Integer> statuses = Concurrently.run(16,
                caller -> json(Map.of("name", "Race")).put("/api/v1/accounts/race-1/connector").then().extract().statusCode());
        assertThat(statuses).containsOnly(200, 201);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(Api.queryString("select count(*) from account_connector where account_id = 'race-1'")).isEqualTo("1");
    }

    @Test
    void accountOverridesWinAndShowTheirSource() {
        console("ca_Console1", CONSOLE_SECRET);
        json(Map.of("clientId", "ca_AccountOwn9", "clientSecret", ACCOUNT_SECRET))
                .put("/api/v1/accounts/acme-3/connector").then()
                .statusCode(201)
                .body("clientId.value", equalTo("ca_AccountOwn9"))
                .body("clientId.source", equalTo("account"))
                .body("clientSecret.last4", equalTo("2222"))
                .body("clientSecret.mode", equalTo("live"))
                .body("clientSecret.source", equalTo("account"));

        String view = api().get("/api/v1/accounts/acme-3/connector").then().statusCode(200)
                .body("clientSecret.source", equalTo("account")).extract().asString();
        assertThat(view).doesNotContain("AccountOwnKey");
        String stored = Api.queryString("select client_secret from account_connector where account_id = 'acme-3'");
        assertThat(stored).startsWith("v1:").doesNotContain("AccountOwnKey");
        assertThat(Api.dumpTable("account_connector")).doesNotContain("AccountOwnKey");

        // null clears an override: the console value applies again.
        Map<String, Object> clear = new HashMap<>();
        clear.put("clientSecret", null);
        json(clear).put("/api/v1/accounts/acme-3/connector").then().statusCode(200)
                .body("clientId.source", equalTo("account"))
                .body("clientSecret.source", equalTo("console"))
                .body("clientSecret.last4", equalTo("1111"));
    }

    @Test
    void changingTheConsoleChangesEveryAccountWithoutAnOverride() {
        console("ca_Console1", CONSOLE_SECRET);
        json("{}").put("/api/v1/accounts/plain/connector").then().statusCode(201);
        json(Map.of("clientId", "ca_Own1", "clientSecret", ACCOUNT_SECRET)).put("/api/v1/accounts/own/connector").then().statusCode(201);

        console("ca_NewConsole2", "sk_test_NewConsole3333");

        api().get("/api/v1/accounts/plain/connector").then()
                .body("clientId.value", equalTo("ca_NewConsole2"))
                .body("clientSecret.last4", equalTo("3333"));
        api().get("/api/v1/accounts/own/connector").then()
                .body("clientId.value", equalTo("ca_Own1"))
                .body("clientSecret.last4", equalTo("2222"));
    }

    @Test
    void withAnEmptyConsoleAnInstallationNeedsTheAccountsOwnValuesAndSaysWhich() {
        json(Map.of("name", "No creds")).put("/api/v1/accounts/acme-4/connector").then()
                .statusCode(201)
                .body("status", equalTo("needs_credentials"))
                .body("missing", hasItems("clientId", "clientSecret"));
        api().get("/api/v1/accounts?status=needs_credentials").then().body("items.accountId", hasItems("acme-4"));
        api().get("/api/v1/accounts?status=pending").then().body("items", hasSize(0));
        // What it cannot do until then names what is missing.
        api().post("/api/v1/accounts/acme-4/connector/verify").then().statusCode(422)
                .body("errors.field", hasItems("clientId", "clientSecret"))
                .body("detail", containsString("install link"));

        json(Map.of("clientId", "ca_OnlyId1")).put("/api/v1/accounts/acme-4/connector").then()
                .statusCode(200).body("status", equalTo("needs_credentials")).body("missing", hasSize(1));

        json(Map.of("clientId", "ca_OnlyId1", "clientSecret", ACCOUNT_SECRET)).put("/api/v1/accounts/acme-4/connector").then()
                .statusCode(200).body("status", equalTo("pending")).body("clientId.source", equalTo("account"))
                .body("missing", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void clearingAnOverrideThatTheConsoleCannotReplaceLeavesThePendingInstallationNeedingIt() {
        json(Map.of("clientId", "ca_OnlyId1", "clientSecret", ACCOUNT_SECRET)).put("/api/v1/accounts/acme-5/connector").then().statusCode(201);
        Map<String, Object> clear = new HashMap<>();
        clear.put("clientSecret", null);
        json(clear).put("/api/v1/accounts/acme-5/connector").then().statusCode(200)
                .body("status", equalTo("needs_credentials")).body("missing", hasItems("clientSecret"));
    }

    @Test
    void invalidOverridesAreNamedAndNothingIsStored() {
        console("ca_Console1", CONSOLE_SECRET);
        json(Map.of("clientId", "client-1", "clientSecret", "sk_test_", "name", "x".repeat(201)))
                .put("/api/v1/accounts/acme-6/connector").then()
                .statusCode(400)
                .body("errors.field", hasItems("clientId", "clientSecret", "name"));
        json(Map.of("unknown", "x")).put("/api/v1/accounts/acme-6/connector").then()
                .statusCode(400).body("errors[0].field", equalTo("unknown"));
        json("{\"name\": ").put("/api/v1/accounts/acme-6/connector").then().statusCode(400);
        api().contentType("application/xml").body("<a/>").put("/api/v1/accounts/acme-6/connector").then().statusCode(415);
        json("{\"name\":\"" + "n".repeat(70_000) + "\"}").put("/api/v1/accounts/acme-6/connector").then().statusCode(413);
        assertThat(Api.queryString("select count(*) from account_connector")).isEqualTo("0");
    }

    @Test
    void accountIdsOutsideThePatternAre400() {
        console("ca_Console1", CONSOLE_SECRET);
        for (String bad : new String[] {"has%20space", "a".repeat(129), "semi%3Bcolon", "%C3%A9t%C3%A9", "slash%2Fin"}) {
            json("{}").urlEncodingEnabled(false).put("/api/v1/accounts/" + bad + "/connector").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("accountId"));
            api().urlEncodingEnabled(false).get("/api/v1/accounts/" + bad + "/connector").then().statusCode(400);
        }
        json("{}").put("/api/v1/accounts/Org.1_a:b-c/connector").then().statusCode(201);
        json("{}").put("/api/v1/accounts/" + "a".repeat(128) + "/connector").then().statusCode(201);
    }

    @Test
    void anUnknownInstallationIs404() {
        api().get("/api/v1/accounts/nobody/connector").then()
                .statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void listingPagesThroughInstallationsInAStableOrder() {
        console("ca_Console1", CONSOLE_SECRET);
        for (String id : new String[] {"c-3", "a-1", "e-5", "b-2", "d-4"}) {
            json("{}").put("/api/v1/accounts/" + id + "/connector").then().statusCode(201);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = api().queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/accounts").then().statusCode(200).extract().jsonPath();
            List<String> ids = page.getList("items.accountId");
            assertThat(ids.size()).isLessThanOrEqualTo(2);
            seen.addAll(ids);
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).containsExactly("a-1", "b-2", "c-3", "d-4", "e-5");
        assertThat(pages).isEqualTo(3);

        api().get("/api/v1/accounts").then().statusCode(200).body("items", hasSize(5)).body("nextCursor", nullValue());
        String listing = api().get("/api/v1/accounts").then().extract().asString();
        assertThat(listing).doesNotContain("ConsoleKey");
    }

    @Test
    void listingFiltersByStatus() {
        console("ca_Console1", CONSOLE_SECRET);
        json("{}").put("/api/v1/accounts/p-1/connector").then().statusCode(201);
        json("{}").put("/api/v1/accounts/p-2/connector").then().statusCode(201);
        Api.update("update account_connector set status = 'ERROR' where account_id = 'p-2'");
        api().queryParam("status", "pending").get("/api/v1/accounts").then()
                .statusCode(200).body("items.accountId", equalTo(List.of("p-1")));
        api().queryParam("status", "error").get("/api/v1/accounts").then()
                .statusCode(200).body("items.accountId", equalTo(List.of("p-2")));
        api().queryParam("status", "connected").get("/api/v1/accounts").then()
                .statusCode(200).body("items", hasSize(0));
    }

    @Test
    void badListParametersAre400() {
        api().queryParam("status", "active").get("/api/v1/accounts").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("status"));
        for (String limit : new String[] {"0", "201", "ten", "-1"}) {
            api().queryParam("limit", limit).get("/api/v1/accounts").then().statusCode(400)
                    .body("errors[0].field", equalTo("limit"));
        }
        api().queryParam("cursor", "not a cursor!").get("/api/v1/accounts").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
    }
}
