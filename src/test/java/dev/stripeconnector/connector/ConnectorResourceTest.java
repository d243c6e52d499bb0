package dev.stripeconnector.connector;

import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConnectorResourceTest {

    static final String SECRET = "sk_test_51ConsoleSecretValue9876";

    @BeforeEach
    void freshPlatform() {
        Api.resetDatabase();
    }

    @Test
    void anEmptyConsoleShowsDefaultsAndTheRedirectUriToRegister() {
        api().get("/api/v1/connector").then()
                .statusCode(200)
                .body("clientId", nullValue())
                .body("clientSecret.set", equalTo(false))
                .body("defaultScope", equalTo("read_write"))
                .body("accountType", equalTo("standard"))
                .body("redirectUri", equalTo("https://" + TestKeys.SERVICE_DOMAIN + "/connector/callback"))
                .body("serviceDomain", equalTo(TestKeys.SERVICE_DOMAIN));
    }

    @Test
    void putStoresValuesAndTheViewNeverReturnsTheSecret() {
        String body = json(Map.of("clientId", "ca_PlatformClient123", "clientSecret", SECRET,
                "defaultScope", "read_only", "accountType", "express"))
                .put("/api/v1/connector").then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("clientId", equalTo("ca_PlatformClient123"))
                .body("clientSecret.set", equalTo(true))
                .body("clientSecret.last4", equalTo("9876"))
                .body("clientSecret.mode", equalTo("test"))
                .body("clientSecret.source", equalTo("console"))
                .body("defaultScope", equalTo("read_only"))
                .body("accountType", equalTo("express"))
                .body("updatedAt", notNullValue())
                .extract().asString();
        assertThat(body).doesNotContain("ConsoleSecretValue");

        String view = api().get("/api/v1/connector").then().statusCode(200)
                .body("clientSecret.last4", equalTo("9876")).extract().asString();
        assertThat(view).doesNotContain("ConsoleSecretValue");
    }

    @Test
    void theDatabaseHoldsOnlyCiphertext() {
        json(Map.of("clientSecret", SECRET)).put("/api/v1/connector").then().statusCode(200);
        String stored = Api.queryString("select client_secret from connector_settings");
        assertThat(stored).startsWith("v1:k1:").doesNotContain("ConsoleSecretValue");
        assertThat(Api.dumpTable("connector_settings")).doesNotContain(SECRET).doesNotContain("ConsoleSecretValue");
    }

    @Test
    void anOmittedSecretKeepsTheStoredOneAndNullClearsIt() {
        json(Map.of("clientId", "ca_First1", "clientSecret", "sk_live_KeepMe4321")).put("/api/v1/connector").then().statusCode(200);

        json(Map.of("clientId", "ca_Second2")).put("/api/v1/connector").then().statusCode(200)
                .body("clientId", equalTo("ca_Second2"))
                .body("clientSecret.set", equalTo(true))
                .body("clientSecret.last4", equalTo("4321"))
                .body("clientSecret.mode", equalTo("live"));

        Map<String, Object> clear = new HashMap<>();
        clear.put("clientSecret", null);
        clear.put("defaultScope", null);
        json(clear).put("/api/v1/connector").then().statusCode(200)
                .body("clientId", equalTo("ca_Second2"))
                .body("clientSecret.set", equalTo(false))
                .body("defaultScope", equalTo("read_write"));
        assertThat(Api.queryString("select client_secret from connector_settings")).isNull();
    }

    @Test
    void restrictedKeysAreAccepted() {
        json(Map.of("clientSecret", "rk_test_Restricted77")).put("/api/v1/connector").then().statusCode(200)
                .body("clientSecret.mode", equalTo("test")).body("clientSecret.last4", equalTo("ed77"));
    }

    @Test
    void invalidValuesAreNamedFieldByFieldAndNothingIsStored() {
        json(Map.of("clientId", "ca_Valid1")).put("/api/v1/connector").then().statusCode(200);

        json(Map.of("clientId", "pk_test_123", "clientSecret", "pk_live_abc"))
                .put("/api/v1/connector").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem("clientId"))
                .body("errors.field", hasItem("clientSecret"))
                .body("errors", hasSize(2));
        api().get("/api/v1/connector").then().body("clientId", equalTo("ca_Valid1")).body("clientSecret.set", equalTo(false));
    }

    @Test
    void eachMalformedSecretShapeIsRefused() {
        for (String bad : new String[] {"sk_test_", "sk_prod_abc", "sk_test_abc-def", "whsec_abc", "sk_test_abc def", "ca_123"}) {
            json(Map.of("clientSecret", bad)).put("/api/v1/connector").then()
                    .statusCode(400).body("errors[0].field", equalTo("clientSecret"));
        }
        for (String bad : new String[] {"ca_", "ca-123", "CA_123", "ca_12 3", "ca_12_3"}) {
            json(Map.of("clientId", bad)).put("/api/v1/connector").then()
                    .statusCode(400).body("errors[0].field", equalTo("clientId"));
        }
    }

    @Test
    void anUnknownScopeOrAccountTypeIsA400NamingTheField() {
        json(Map.of("defaultScope", "admin")).put("/api/v1/connector").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("defaultScope"))
                .body("errors[0].message", containsString("read_write"));
        json(Map.of("accountType", "custom")).put("/api/v1/connector").then()
                .statusCode(400).body("errors[0].field", equalTo("accountType"));
        json(Map.of("clientId", 42)).put("/api/v1/connector").then()
                .statusCode(400).body("errors[0].field", equalTo("clientId"));
    }

    @Test
    void unknownFieldsAndMalformedJsonAre400() {
        json("{\"clientId\":\"ca_1\",\"secretKey\":\"sk_test_1\"}").put("/api/v1/connector").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("secretKey"));
        json("{\"clientId\":").put("/api/v1/connector").then()
                .statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Malformed JSON"));
        json("[1,2]").put("/api/v1/connector").then()
                .statusCode(400).contentType("application/problem+json");
        api().get("/api/v1/connector").then().body("clientId", nullValue());
    }

    @Test
    void aWrongContentTypeIs415() {
        api().contentType("text/plain").body("clientId=ca_1").put("/api/v1/connector").then()
                .statusCode(415).contentType("application/problem+json").body("status", equalTo(415));
    }

    @Test
    void aBodyOver64KiBIs413() {
        String big = "{\"clientId\":\"ca_" + "a".repeat(70 * 1024) + "\"}";
        json(big).put("/api/v1/connector").then()
                .statusCode(413).contentType("application/problem+json").body("status", equalTo(413));
        api().get("/api/v1/connector").then().body("clientId", nullValue());
    }

    @Test
    void aMissingOrWrongApiKeyIs401() {
        given().get("/api/v1/connector").then()
                .statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer wrong-key-0123456789").get("/api/v1/connector").then()
                .statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Basic " + TestKeys.API_KEY).get("/api/v1/connector").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestKeys.API_KEY + "x").get("/api/v1/connector").then().statusCode(401);
        // Unauthenticated callers learn nothing about which paths exist.
        given().get("/api/v1/no-such-thing").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/connector").then().statusCode(200);
    }

    @Test
    void pathTricksDoNotGetPastTheApiKey() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String path : new String[] {
                "//api/v1/connector", "/./api/v1/connector", "/%61pi/v1/connector", "/x/../api/v1/connector",
                "/api/v1/connector/", "/api/v1/connector;x=1", "/api//v1/connector", "/api%2Fv1%2Fconnector"}) {
            java.net.http.HttpResponse<String> response = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isIn(401, 404);
            assertThat(response.body()).as(path).doesNotContain("clientSecret");
        }
    }

    @Test
    void errorsNeverCarryStackTracesOrClassNames() {
        String body = json("{\"clientId\": [}").put("/api/v1/connector").then().statusCode(400).extract().asString();
        assertThat(body).doesNotContain("Exception").doesNotContain("jackson").doesNotContain("at com.");
        String notFound = api().get("/api/v1/nothing-here").then().statusCode(404)
                .contentType("application/problem+json").extract().asString();
        assertThat(notFound).doesNotContain("Exception");
        api().delete("/api/v1/connector").then().statusCode(405).contentType("application/problem+json")
                .body(not(containsString("Exception")));
    }
}
