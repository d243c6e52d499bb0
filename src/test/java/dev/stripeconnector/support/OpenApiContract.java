package dev.stripeconnector.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Every exchange a test makes through RestAssured is checked against the OpenAPI document the
 * service serves ({@code /q/openapi}), so the document cannot drift from the code: the response's
 * status must be one the operation documents, with the documented media type and schema; a
 * request the service accepted (2xx/3xx) must match the documented parameters and body. Requests
 * the service refused are not checked (tests send invalid ones on purpose). Documented exceptions:
 * proxy paths of more than one segment (the document names one {path}) and paths the document
 * does not describe at all (Quarkus' own, or junk a test sends).
 */
public final class OpenApiContract implements OrderedFilter, QuarkusTestBeforeEachCallback {

    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();
    private static final OpenApiContract FILTER = new OpenApiContract();
    private static volatile int checked;

    /**
     * Installs the filter once, for every RestAssured call of the test JVM; not in the packaged-jar ITs'
     * JVM, which runs these callbacks too (for {@link ServiceHost}) but checks the contract in-process only.
     */
    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (context.getTestInstance() != null && context.getTestInstance().getClass().isAnnotationPresent(QuarkusIntegrationTest.class)) {
            return;
        }
        synchronized (OpenApiContract.class) {
            if (!RestAssured.filters().contains(FILTER)) {
                RestAssured.filters(FILTER);
            }
        }
    }

    /** How many exchanges were checked so far (the contract test asserts the filter really runs). */
    public static int checked() {
        return checked;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec, FilterContext context) {
        Response response = context.next(request, responseSpec);
        URI uri = URI.create(request.getURI());
        String path = uri.getRawPath();
        if (!documented(path)) {
            return response;
        }
        OpenApiInteractionValidator validator = VALIDATORS.computeIfAbsent(uri.getScheme() + "://" + uri.getRawAuthority(), OpenApiContract::load);
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(request.getMethod()), response(response));
        if (response.statusCode() < 400) {
            report = report.merge(validator.validateRequest(request(request, uri)));
        }
        checked++;
        List<ValidationReport.Message> errors = report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR && !ignorable(m.getKey(), path, response.statusCode()))
                // A HEAD answer never has a body.
                .filter(m -> !(request.getMethod().equals("HEAD") && m.getKey().equals("validation.response.body.missing")))
                .toList();
        if (!errors.isEmpty()) {
            String problems = errors.stream().map(m -> "- " + m.getKey() + ": " + m.getMessage()).collect(Collectors.joining("\n"));
            throw new AssertionError("The exchange " + request.getMethod() + " " + path + " -> " + response.statusCode()
                    + " does not match the OpenAPI document:\n" + problems + "\nbody: " + abbreviate(response.asString()));
        }
        return response;
    }

    /**
     * A path the document does not describe is fine when the service refused it (junk a test sent);
     * a proxied answer is Stripe's own and may have no body.
     */
    static boolean ignorable(String key, String path, int status) {
        if (key.endsWith(".path.missing") || key.endsWith(".operation.notAllowed")) {
            return status >= 400;
        }
        return key.equals("validation.response.body.missing") && path.contains("/stripe/v1/");
    }

    static boolean documented(String path) {
        if (path == null || !(path.startsWith("/api/") || path.startsWith("/webhooks/") || path.startsWith("/connector/"))) {
            return false;
        }
        int proxy = path.indexOf("/stripe/v1/");
        return proxy < 0 || !path.substring(proxy + "/stripe/v1/".length()).contains("/");
    }

    private static OpenApiInteractionValidator load(String base) {
        try {
            HttpResponse<String> document = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json")).build(), HttpResponse.BodyHandlers.ofString());
            if (document.statusCode() != 200) {
                throw new IllegalStateException("GET /q/openapi answered " + document.statusCode());
            }
            return OpenApiInteractionValidator.createForInlineApiSpecification(document.body()).build();
        } catch (Exception e) {
            throw new IllegalStateException("Could not load the OpenAPI document from " + base, e);
        }
    }

    private static Request request(FilterableRequestSpecification request, URI uri) {
        SimpleRequest.Builder builder = new SimpleRequest.Builder(request.getMethod(), uri.getRawPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                builder.withQueryParam(name, value);
            }
        }
        for (Header header : request.getHeaders()) {
            builder.withHeader(header.getName(), header.getValue());
        }
        Object body = request.getBody();
        if (body != null) {
            builder.withBody(body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : body.toString());
        } else if (!request.getFormParams().isEmpty()) {
            builder.withBody(request.getFormParams().entrySet().stream()
                    .map(e -> java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + java.net.URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&")));
        }
        return builder.build();
    }

    private static com.atlassian.oai.validator.model.Response response(Response response) {
        SimpleResponse.Builder builder = new SimpleResponse.Builder(response.statusCode());
        for (Header header : response.getHeaders()) {
            builder.withHeader(header.getName(), List.of(header.getValue()));
        }
        String body = response.asString();
        if (body != null && !body.isEmpty()) {
            builder.withBody(body);
        }
        return builder.build();
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 600 ? text : text.substring(0, 600) + "…";
    }
}
