package dev.stripeconnector.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;

/** Partners and their keys for the tests of a partner's data, set up through the operators' API as an operator does. */
public final class TestPartners {

    private TestPartners() {
    }

    public static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + TestKeys.OPERATOR_KEY);
    }

    /** A request authenticated with {@code key}. */
    public static RequestSpecification withKey(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    /** Creates partner {@code id} serving {@code domain}. */
    public static void create(String id, String domain) {
        operator().contentType(ContentType.JSON).body(Map.of("id", id, "name", "Partner " + id, "serviceDomain", domain))
                .post("/api/v1/partners").then().statusCode(201);
    }

    /** Issues partner {@code id} a key named {@code name} with {@code roles}, and answers it (shown once). */
    public static String issueKey(String id, String name, String... roles) {
        return operator().contentType(ContentType.JSON).body(Map.of("name", name, "roles", List.of(roles)))
                .post("/api/v1/partners/" + id + "/api-keys").then().statusCode(201).extract().jsonPath().getString("key");
    }

    /** Creates partner {@code id} (its domain {@code id.partners.example}) and answers a new key of it with {@code roles}. */
    public static String createWithKey(String id, String... roles) {
        create(id, id + ".partners.example");
        return issueKey(id, id + "-key", roles);
    }

    /** Deletes partner {@code id} with everything it holds, as an operator does (disabled first), if it exists. */
    public static void remove(String id) {
        int found = operator().contentType(ContentType.JSON).body(Map.of("status", "disabled")).patch("/api/v1/partners/" + id)
                .then().extract().statusCode();
        if (found == 200) {
            operator().queryParam("confirm", id).delete("/api/v1/partners/" + id).then().statusCode(200);
        }
    }
}
