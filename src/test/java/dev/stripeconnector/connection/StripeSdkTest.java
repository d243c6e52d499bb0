package dev.stripeconnector.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.Flows.SECRET;
import static dev.stripeconnector.support.Flows.STRIPE_USER_ID;
import static dev.stripeconnector.support.StripeStubs.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerListParams;
import com.stripe.param.FileCreateParams;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.SdkProcesses;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.WireMockResource;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: Stripe's own SDKs (Java in this JVM, Node.js and Python in one process each) work through the SDK
 * route by configuration alone. Each makes the same calls (a list, a create with an idempotency key and nested
 * parameters, a missing object, the service's own three refusals, a file upload and an auto-paginated list), and
 * the test checks what each SDK made of the answers (its typed exceptions included) and what Stripe received:
 * the platform's key and the connected account on every request, never the caller's key.
 */
@QuarkusTest
class StripeSdkTest {

    static final String INSTALLATION = "sdk-shop";
    static final String PENDING = "sdk-pending";
    static final String UNKNOWN = "sdk-nobody";
    static final String UPLOAD_CONTENT = "Receipt for order 6735: paid in full.";
    static final String WRONG_KEY = "not-a-key-of-the-service";
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectWireMock
    WireMockServer stripe;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        stripe.resetAll();
        Flows.consoleSetup();
        Flows.connect(stripe, INSTALLATION);
        Api.json(Map.of("name", "Pending shop")).put("/api/v1/accounts/" + PENDING + "/connector").then().statusCode(201);
        stripe.stubFor(get(urlPathEqualTo("/v1/customers")).withQueryParam("starting_after", absent())
                .willReturn(stripeJson("customers-page-1.json")));
        stripe.stubFor(get(urlPathEqualTo("/v1/customers")).withQueryParam("starting_after", equalTo("cus_Page1Second"))
                .willReturn(stripeJson("customers-page-2.json")));
        stripe.stubFor(post(urlPathEqualTo("/v1/customers")).willReturn(stripeJson("customer-with-metadata.json")));
        stripe.stubFor(get(urlPathEqualTo("/v1/customers/cus_Missing")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withHeader("Request-Id", "req_MissingCustomer1")
                .withHeader("Stripe-Should-Retry", "false").withBody(fixture("customer-missing.json"))));
        stripe.stubFor(post(urlPathEqualTo(WireMockResource.FILES_HOST + "/v1/files")).willReturn(stripeJson("file-created.json")));
        // Only what the SDKs cause is looked at.
        stripe.resetRequests();
    }

    static ResponseDefinitionBuilder stripeJson(String fixture) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withHeader("Request-Id", "req_Sdk" + fixture.length())
                .withBody(fixture(fixture));
    }

    static String serviceUrl() {
        return "http://127.0.0.1:" + RestAssured.port;
    }

    @Test
    void stripeJava() throws Exception {
        // --- the set-up docs/sdks.md shows ---
        StripeClient client = StripeClient.builder()
                .setApiKey(TestKeys.API_KEY)          // the service's API key
                .setApiBase(serviceUrl())             // the service, for Stripe's API ...
                .setFilesBase(serviceUrl())           // ... and for file uploads
                .setStripeAccount(INSTALLATION)       // the installation's account id
                .setMaxNetworkRetries(0)
                .build();
        // --- end of set-up ---
        ObjectNode results = JSON.createObjectNode();
        record(results, "list", () -> names(client.v1().customers().list(CustomerListParams.builder().setLimit(2L).build()).getData()));
        record(results, "create", () -> client.v1().customers().create(CustomerCreateParams.builder().setEmail("sdk@example.com")
                        .setAddress(CustomerCreateParams.Address.builder().setCity("Lyon").setCountry("FR").build())
                        .putMetadata("order_id", "6735").putMetadata("channel", "sdk").build(),
                RequestOptions.builder().setIdempotencyKey("sdk-java-create-1").build()).getId());
        record(results, "missing", () -> client.v1().customers().retrieve("cus_Missing").getId());
        record(results, "unknownInstallation", () -> clientFor(TestKeys.API_KEY, UNKNOWN).v1().customers().list().getData().size());
        record(results, "notConnected", () -> clientFor(TestKeys.API_KEY, PENDING).v1().customers().list().getData().size());
        record(results, "wrongKey", () -> clientFor(WRONG_KEY, INSTALLATION).v1().customers().list().getData().size());
        record(results, "upload", () -> client.v1().files().create(FileCreateParams.builder()
                .setPurpose(FileCreateParams.Purpose.DISPUTE_EVIDENCE)
                .setFile(new ByteArrayInputStream(UPLOAD_CONTENT.getBytes(StandardCharsets.UTF_8))).build()).getId());
        record(results, "paginated", () -> {
            List<String> all = new ArrayList<>();
            client.v1().customers().list(CustomerListParams.builder().setLimit(2L).build()).autoPagingIterable()
                    .forEach(customer -> all.add(customer.getId()));
            return all;
        });
        assertResults(results, "sdk-java-create-1",
                Map.of("missing", "InvalidRequestException", "unknownInstallation", "InvalidRequestException",
                        "notConnected", "PermissionException", "wrongKey", "AuthenticationException"));
    }

    @Test
    void stripeNode() {
        JsonNode results = SdkProcesses.node(Map.of("CONNECTOR_HOST", "127.0.0.1", "CONNECTOR_PORT", String.valueOf(RestAssured.port),
                "CONNECTOR_API_KEY", TestKeys.API_KEY, "INSTALLATION_ACCOUNT_ID", INSTALLATION, "UNKNOWN_ACCOUNT_ID", UNKNOWN,
                "PENDING_ACCOUNT_ID", PENDING, "UPLOAD_CONTENT", UPLOAD_CONTENT));
        assertResults(results, "sdk-node-create-1",
                Map.of("missing", "StripeInvalidRequestError", "unknownInstallation", "StripeInvalidRequestError",
                        "notConnected", "StripePermissionError", "wrongKey", "StripeAuthenticationError"));
    }

    @Test
    void stripePython() {
        JsonNode results = SdkProcesses.python(Map.of("CONNECTOR_URL", serviceUrl(), "CONNECTOR_API_KEY", TestKeys.API_KEY,
                "INSTALLATION_ACCOUNT_ID", INSTALLATION, "UNKNOWN_ACCOUNT_ID", UNKNOWN, "PENDING_ACCOUNT_ID", PENDING,
                "UPLOAD_CONTENT", UPLOAD_CONTENT));
        assertResults(results, "sdk-python-create-1",
                Map.of("missing", "InvalidRequestError", "unknownInstallation", "InvalidRequestError",
                        "notConnected", "PermissionError", "wrongKey", "AuthenticationError"));
    }

    /** What every SDK must have made of the answers, and what Stripe must have received from it. */
    void assertResults(JsonNode results, String idempotencyKey, Map<String, String> exceptionClasses) {
        assertThat(results.path("list").path("answer")).as(results.toString()).hasToString("[\"cus_Page1First\",\"cus_Page1Second\"]");
        assertThat(results.path("create").path("answer").asText()).as(results.toString()).isEqualTo("cus_SdkCreated01");
        assertThat(results.path("upload").path("answer").asText()).as(results.toString()).isEqualTo("file_SdkUpload01");
        assertThat(results.path("paginated").path("answer")).as(results.toString())
                .hasToString("[\"cus_Page1First\",\"cus_Page1Second\",\"cus_Page2Third\"]");

        // Stripe's own error, typed by the SDK, with Stripe's request id.
        JsonNode missing = results.path("missing").path("error");
        assertThat(missing.path("class").asText()).as(missing.toString()).isEqualTo(exceptionClasses.get("missing"));
        assertThat(missing.path("status").asInt()).isEqualTo(404);
        assertThat(missing.path("code").asText()).isEqualTo("resource_missing");
        assertThat(missing.path("requestId").asText()).isEqualTo("req_MissingCustomer1");

        // The service's own refusals, typed by the SDK as Stripe's would be.
        Map<String, Integer> statuses = Map.of("unknownInstallation", 404, "notConnected", 403, "wrongKey", 401);
        Map<String, String> codes = Map.of("unknownInstallation", "resource_missing", "notConnected", "account_invalid", "wrongKey", "unauthorized");
        statuses.forEach((refusal, status) -> {
            JsonNode error = results.path(refusal).path("error");
            assertThat(error.path("class").asText()).as(refusal + ": " + error).isEqualTo(exceptionClasses.get(refusal));
            assertThat(error.path("status").asInt()).as(refusal + ": " + error).isEqualTo(status);
            assertThat(error.path("code").asText()).as(refusal + ": " + error).isEqualTo(codes.get(refusal));
            assertThat(error.path("message").asText()).as(refusal + ": " + error).isNotBlank();
        });

        // What Stripe received: six requests (the refusals reached it not), each with the platform's key and the connected account.
        List<ServeEvent> received = stripe.getAllServeEvents();
        assertThat(received).as("requests Stripe received").hasSize(6);
        for (ServeEvent event : received) {
            var request = event.getRequest();
            assertThat(request.getHeader("Authorization")).as(request.getUrl()).isEqualTo("Bearer " + SECRET);
            assertThat(request.getHeader("Stripe-Account")).as(request.getUrl()).isEqualTo(STRIPE_USER_ID);
            for (HttpHeader header : request.getHeaders().all()) {
                assertThat(header.values()).as(header.key()).noneMatch(value -> value.contains(TestKeys.API_KEY));
            }
            assertThat(request.getBodyAsString()).doesNotContain(TestKeys.API_KEY);
        }
        stripe.verify(3, getRequestedFor(urlPathEqualTo("/v1/customers")));
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/customers/cus_Missing")));
        stripe.verify(1, postRequestedFor(urlPathEqualTo("/v1/customers")).withHeader("Idempotency-Key", equalTo(idempotencyKey)));
        String created = URLDecoder.decode(stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/customers"))).get(0).getBodyAsString(),
                StandardCharsets.UTF_8);
        assertThat(created).contains("metadata[order_id]=6735", "metadata[channel]=sdk", "address[city]=Lyon", "email=sdk@example.com");
        var upload = stripe.findAll(postRequestedFor(urlPathEqualTo(WireMockResource.FILES_HOST + "/v1/files"))).get(0);
        assertThat(upload.getHeader("Content-Type")).startsWith("multipart/form-data; boundary=");
        assertThat(upload.getBodyAsString()).contains(UPLOAD_CONTENT, "name=\"purpose\"", "dispute_evidence");
    }

    interface Call {
        Object call() throws StripeException;
    }

    /** What one stripe-java call gave, in the shape the Node.js and Python scripts print. */
    static void record(ObjectNode results, String name, Call call) {
        ObjectNode result = results.putObject(name);
        try {
            result.set("answer", JSON.valueToTree(call.call()));
        } catch (StripeException e) {
            ObjectNode error = result.putObject("error");
            error.put("class", e.getClass().getSimpleName());
            error.put("status", e.getStatusCode());
            error.put("code", e.getCode());
            error.put("requestId", e.getRequestId());
            error.put("message", e.getStripeError() == null ? null : e.getStripeError().getMessage());
        }
    }

    static List<String> names(List<Customer> customers) {
        return customers.stream().map(Customer::getId).toList();
    }

    static StripeClient clientFor(String apiKey, String stripeAccount) {
        return StripeClient.builder().setApiKey(apiKey).setApiBase(serviceUrl()).setFilesBase(serviceUrl())
                .setStripeAccount(stripeAccount).setMaxNetworkRetries(0).build();
    }
}
