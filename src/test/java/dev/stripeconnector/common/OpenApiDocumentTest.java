package dev.stripeconnector.common;

import static dev.stripeconnector.support.Api.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.support.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document is a complete contract: the bearer scheme on every /api operation,
 * every error as problem+json, the real request and response shapes. (Every exchange of the test
 * suite is also checked against it: {@link OpenApiContract}.)
 */
@QuarkusTest
class OpenApiDocumentTest {

    static JsonPath document() {
        return given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theDocumentIsOpenApi303WithTheBearerScheme() {
        JsonPath doc = document();
        assertThat(doc.getString("openapi")).isEqualTo("3.0.3");
        assertThat(doc.getString("components.securitySchemes.apiKey.type")).isEqualTo("http");
        assertThat(doc.getString("components.securitySchemes.apiKey.scheme")).isEqualTo("bearer");
        assertThat(doc.getList("components.schemas.Problem.required", String.class)).contains("type", "title", "status", "detail");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyApiOperationNeedsTheKeyAndAnswersErrorsAsProblems() {
        Map<String, Map<String, Object>> paths = document().getMap("paths");
        int operations = 0;
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            for (Map.Entry<String, Object> method : path.getValue().entrySet()) {
                if (!(method.getValue() instanceof Map<?, ?> operation) || method.getKey().equals("parameters")) {
                    continue;
                }
                operations++;
                String name = method.getKey().toUpperCase() + " " + path.getKey();
                Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) operation.get("responses");
                assertThat(responses).as(name).isNotEmpty();
                if (path.getKey().startsWith("/api/")) {
                    assertThat((List<Map<String, Object>>) operation.get("security")).as(name + " security").isNotEmpty();
                    assertThat(responses).as(name).containsKeys("401", "403", "503");
                }
                if (path.getKey().startsWith("/api/") || path.getKey().startsWith("/webhooks/")) {
                    responses.forEach((status, response) -> {
                        if (status.startsWith("4") || status.startsWith("5")) {
                            Map<String, Object> content = (Map<String, Object>) response.get("content");
                            assertThat(content).as(name + " " + status).containsKey("application/problem+json");
                        }
                    });
                }
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(17);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOperatorsRoutesNeedAnOperatorKeyAndMaintenanceTakesEitherKind() {
        JsonPath doc = document();
        assertThat(doc.getString("components.securitySchemes.operatorKey.scheme")).isEqualTo("bearer");
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (!(operation instanceof Map<?, ?> described) || !path.startsWith("/api/")) {
                return;
            }
            List<Map<String, Object>> security = (List<Map<String, Object>>) described.get("security");
            List<String> schemes = security.stream().flatMap(requirement -> requirement.keySet().stream()).toList();
            if (path.startsWith("/api/v1/partners")) {
                assertThat(schemes).as(method + " " + path).containsExactly("operatorKey");
            } else if (path.startsWith("/api/v1/maintenance")) {
                assertThat(schemes).as(method + " " + path + ": either kind of key").containsExactlyInAnyOrder("operatorKey", "apiKey");
            } else {
                assertThat(schemes).as(method + " " + path).containsExactly("apiKey");
            }
        }));
        assertThat(doc.getMap("paths.'/api/v1/partners/{partnerId}'").keySet()).contains("get", "patch", "delete");
        assertThat(doc.getMap("paths.'/api/v1/partners/{partnerId}/api-keys/{keyId}/rotate'.post.responses").keySet())
                .contains("201", "400", "401", "403", "404", "409", "503");
    }

    @Test
    void theShapesAreTheRealOnes() {
        JsonPath doc = document();
        String install = "paths.'/api/v1/accounts/{accountId}/connector'.put";
        assertThat(doc.getMap(install + ".responses").keySet()).contains("200", "201", "400", "409", "422");
        assertThat(doc.getString(install + ".responses.'201'.content.'application/json'.schema.'$ref'")).endsWith("/AccountConnectorView");
        assertThat(doc.getMap(install + ".responses.'201'.headers")).containsKey("Location");
        assertThat(doc.getBoolean(install + ".requestBody.required")).isFalse();
        assertThat(doc.getBoolean("paths.'/api/v1/accounts/{accountId}/connector/authorize'.post.requestBody.required")).isFalse();
        assertThat(doc.getMap("paths.'/connector/setup/{token}'.get.responses").keySet()).containsExactlyInAnyOrder("200", "302", "403", "404", "409", "410", "421", "503");
        // Stripe's form bodies, and multipart for a file upload, on both routes to Stripe's API.
        for (String proxy : new String[] {"/api/v1/accounts/{accountId}/stripe/v1/{path}", "/v1/{path}"}) {
            assertThat(doc.getMap("paths.'" + proxy + "'.post.requestBody.content")).as(proxy)
                    .containsOnlyKeys("application/x-www-form-urlencoded", "multipart/form-data");
        }
        assertThat(doc.getString("paths.'/v1/{path}'.get.responses.default.content.'application/json'.schema.'$ref'")).endsWith("/StripeError");
        assertThat(doc.getMap("paths").keySet()).noneMatch(p -> p.toString().startsWith("/simulated-stripe"));
    }

    @Test
    void everyExchangeIsCheckedAgainstTheDocument() {
        int before = OpenApiContract.checked();
        api().get("/api/v1/connector").then().statusCode(200);
        assertThat(OpenApiContract.checked()).as("the contract filter runs").isGreaterThan(before);
    }
}
