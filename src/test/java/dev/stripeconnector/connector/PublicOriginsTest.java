package dev.stripeconnector.connector;

import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.BrowserRoutes;
import dev.stripeconnector.support.ConsoleSession;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behind an ingress that ends TLS, with a {@code Host} and forwarded headers a caller chose, every
 * absolute URL the service hands out is https on its configured domain (issue 19, behaviours 1 and 2):
 * the browser routes refuse any other {@code Host} with 421; the console's redirects, its sign-in
 * (sent back to the page asked for) and the cookie remembering that page are https on the service's
 * domain; the API's {@code Location} headers and links come from the base URL whatever {@code Host}
 * the platform's services use. Every console journey driven through {@link ConsoleSession} is checked
 * the same way, with the ingress's headers (see its {@code BEHIND_INGRESS}).
 */
@QuarkusTest
class PublicOriginsTest {

    static final String ORIGIN = ConsoleSession.ORIGIN;
    static final String FOREIGN = "evil.example";
    static final ObjectMapper JSON = new ObjectMapper();

    @InjectWireMock
    WireMockServer stripe;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        Api.update("delete from sign_in_attempt");
    }

    /** A request as it arrives from the ingress after a browser asked for {@code host}. */
    static RequestSpecification through(String host) {
        return given().redirects().follow(false).header("Host", host).header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Port", "443").header("X-Forwarded-For", "203.0.113.7")
                // A forged forwarded host naming the service's own domain changes nothing either.
                .header("X-Forwarded-Host", TestKeys.SERVICE_DOMAIN).header("Forwarded", "host=" + TestKeys.SERVICE_DOMAIN + ";proto=https");
    }

    // ---- behaviour 2: a Host that is not the service's ----

    @Test
    void everyBrowserRouteRefusesAHostThatIsNotTheServicesWith421() throws IOException {
        ConsoleSession admin = ConsoleSession.admin();
        List<String[]> routes = browserRoutes();
        assertThat(routes).as("the console's and the install journey's routes, read from their resources")
                .hasSizeGreaterThanOrEqualTo(20);
        for (String[] route : routes) {
            String method = route[0];
            String path = route[1];
            for (String accept : List.of("text/html,application/xhtml+xml", "application/json")) {
                // Signed in or not, with the service's own Origin: the Host alone decides.
                RequestSpecification request = through(FOREIGN).cookie(ConsoleSession.COOKIE, admin.cookie()).header("Accept", accept)
                        .header("Origin", ORIGIN);
                if (method.equals("POST")) {
                    request.contentType("application/x-www-form-urlencoded").formParam("clientId", "ca_Forged1");
                }
                Response answer = request.request(method, path);
                String what = method + " " + path + " (Accept: " + accept + ")";
                assertThat(answer.statusCode()).as(what).isEqualTo(421);
                assertThat(answer.header("Location")).as(what).isNull();
                assertThat(answer.headers().getValues("Set-Cookie")).as(what).isEmpty();
                if (method.equals("HEAD")) {
                    continue;
                }
                if (accept.startsWith("text/html")) {
                    assertThat(answer.contentType()).as(what).startsWith("text/html");
                    assertThat(answer.asString()).as(what).contains("This address is not served here").contains(ORIGIN + "/console")
                            .doesNotContain(FOREIGN);
                } else {
                    assertThat(answer.contentType()).as(what).startsWith("application/problem+json");
                    JsonNode problem = JSON.readTree(answer.asString());
                    assertThat(problem.path("type").asText()).as(what).endsWith("/misdirected-request");
                    assertThat(problem.path("status").asInt()).as(what).isEqualTo(421);
                }
            }
        }
        // Nothing was changed by any of those posts.
        api().get("/api/v1/connector").then().statusCode(200).body("clientId", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void onlyTheServicesOwnHostNameAndPortAreServed() {
        for (String host : List.of(FOREIGN, TestKeys.SERVICE_DOMAIN + ":8443", TestKeys.SERVICE_DOMAIN + ":80", "127.0.0.1",
                "localhost", TestKeys.SERVICE_DOMAIN + ".evil.example", "x" + TestKeys.SERVICE_DOMAIN)) {
            assertThat(through(host).get("/console/login").statusCode()).as(host).isEqualTo(421);
        }
        for (String host : List.of(TestKeys.SERVICE_DOMAIN, TestKeys.SERVICE_DOMAIN + ":443", TestKeys.SERVICE_DOMAIN.toUpperCase())) {
            assertThat(through(host).get("/console/login").statusCode()).as(host).isEqualTo(200);
        }
        // The API is called through cluster names: it answers whatever the Host.
        api().header("Host", "stripe-connector.payments.svc.cluster.local:8080").get("/api/v1/connector").then().statusCode(200);
        api().header("Host", FOREIGN).get("/api/v1/connector").then().statusCode(200);
    }

    // ---- behaviour 1: behind the ingress, the console signs in over https ----

    @Test
    void aSignedOutPersonIsSentToTheSignInPageAndBackToThePageTheyAskedForOverHttps() {
        Response signedOut = through(TestKeys.SERVICE_DOMAIN).get("/console/installations?status=connected");
        assertThat(signedOut.statusCode()).isEqualTo(302);
        assertThat(signedOut.header("Location")).isEqualTo(ORIGIN + "/console/login");
        String remembered = signedOut.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(ConsoleSession.RETURN_COOKIE + "=")).findFirst().orElseThrow();
        assertThat(remembered).startsWith(ConsoleSession.RETURN_COOKIE + "=" + ORIGIN + "/console/installations?status=connected")
                .contains("Secure").contains("SameSite=Strict");
        String page = remembered.substring(remembered.indexOf('=') + 1, remembered.indexOf(';'));

        // A wrong password keeps the page to return to and answers on the service's domain.
        Response wrong = through(TestKeys.SERVICE_DOMAIN).cookie(ConsoleSession.RETURN_COOKIE, page).header("Origin", ORIGIN)
                .formParam("j_username", TestKeys.CONSOLE_ADMIN).formParam("j_password", "not-the-password-1")
                .post("/console/j_security_check");
        assertThat(wrong.statusCode()).isEqualTo(302);
        assertThat(wrong.header("Location")).startsWith(ORIGIN + "/console/login?error=true");
        assertThat(wrong.headers().getValues("Set-Cookie")).as("no session, and the page to return to left as the browser holds it")
                .noneMatch(c -> c.startsWith(ConsoleSession.COOKIE + "=") || c.startsWith(ConsoleSession.RETURN_COOKIE + "="));
        Api.update("delete from sign_in_attempt");

        Response signedIn = through(TestKeys.SERVICE_DOMAIN).cookie(ConsoleSession.RETURN_COOKIE, page).header("Origin", ORIGIN)
                .formParam("j_username", TestKeys.CONSOLE_ADMIN).formParam("j_password", TestKeys.CONSOLE_PASSWORD)
                .post("/console/j_security_check");
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.header("Location")).isEqualTo(ORIGIN + "/console/installations?status=connected");
        List<String> cookies = signedIn.headers().getValues("Set-Cookie");
        assertThat(cookies).filteredOn(c -> c.startsWith(ConsoleSession.COOKIE + "=")).singleElement().asString().contains("Secure")
                .containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
        assertThat(cookies).filteredOn(c -> c.startsWith(ConsoleSession.RETURN_COOKIE + "=")).singleElement().asString()
                .contains("Max-Age=0").contains("Secure");
        String session = signedIn.cookie(ConsoleSession.COOKIE);
        through(TestKeys.SERVICE_DOMAIN).cookie(ConsoleSession.COOKIE, session).get("/console/installations?status=connected")
                .then().statusCode(200);

        // Without a page to return to: the settings page.
        assertThat(ConsoleSession.signInAttempt(TestKeys.CONSOLE_ADMIN, TestKeys.CONSOLE_PASSWORD).header("Location"))
                .isEqualTo(ORIGIN + "/console/settings");
    }

    @Test
    void everyConsoleFormAndSignOutAnswersWithHttpsOnTheServicesDomain() {
        Flows.consoleSetup();
        ConsoleSession admin = ConsoleSession.admin();
        // ConsoleSession checks every redirect and cookie of these answers; the destinations are spelled out here.
        assertThat(admin.post("/console/settings", Map.of("clientId", Flows.CLIENT_ID, "clientSecret", "", "defaultScope", "read_write",
                "accountType", "standard")).header("Location")).isEqualTo(ORIGIN + "/console/settings?saved=true");
        assertThat(admin.post("/console/installations", Map.of("accountId", "origin-1", "name", "Origin Shop")).header("Location"))
                .isEqualTo(ORIGIN + "/console/installations/origin-1?done=installed");
        assertThat(admin.post("/console/installations/origin-1", Map.of("name", "Renamed", "clientId", "", "clientSecret", "")).header("Location"))
                .isEqualTo(ORIGIN + "/console/installations/origin-1?done=saved");
        Response created = admin.post("/console/installations/origin-1/link", Map.of());
        assertThat(created.header("Location")).isEqualTo(ORIGIN + "/console/installations/origin-1?done=linked");
        String link = admin.with("console-link", created.cookie("console-link")).get("/console/installations/origin-1?done=linked").asString();
        assertThat(link).contains(ORIGIN + "/connector/setup/").doesNotContain(FOREIGN).doesNotContain("http://");
        assertThat(admin.get("/console/settings").asString()).contains(ORIGIN + "/connector/callback").contains(ORIGIN + "/webhooks/stripe")
                .doesNotContain(FOREIGN);
        StripeStubs.deauthorizeAnswers(stripe, 200, "deauthorize-success.json");
        assertThat(admin.post("/console/installations/origin-1/remove", Map.of()).header("Location"))
                .startsWith(ORIGIN + "/console/installations?removed=origin-1");
        Response out = admin.post("/console/logout", Map.of());
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.header("Location")).isEqualTo(ORIGIN + "/console/login?signedOut=true");
        assertThat(out.headers().getValues("Set-Cookie")).filteredOn(c -> c.startsWith(ConsoleSession.COOKIE + "="))
                .allMatch(c -> c.contains("Secure"));
    }

    // ---- behaviour 2: the API's Location headers and links ----

    @Test
    void theApisLocationsAndLinksComeFromTheBaseUrlWhateverHostAndForwardedHeadersSay() throws IOException {
        Map<String, String> foreign = Map.of("Host", FOREIGN, "X-Forwarded-Proto", "http", "X-Forwarded-Host", FOREIGN,
                "Forwarded", "host=" + FOREIGN + ";proto=http");
        Set<String> checked = new TreeSet<>();

        Response installed = json(Map.of("name", "Located")).headers(foreign).put("/api/v1/accounts/located-2/connector");
        assertThat(installed.statusCode()).isEqualTo(201);
        assertThat(installed.header("Location")).isEqualTo(ORIGIN + "/api/v1/accounts/located-2/connector");
        checked.add("PUT /api/v1/accounts/{accountId}/connector");

        Response subscribed = given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY).contentType("application/json")
                .body(Map.of("url", "http://127.0.0.1:9/hooks", "eventTypes", List.of("installation.connected"))).headers(foreign)
                .post("/api/v1/event-subscriptions");
        assertThat(subscribed.statusCode()).isEqualTo(201);
        assertThat(subscribed.header("Location")).isEqualTo(ORIGIN + "/api/v1/event-subscriptions/" + subscribed.path("id"));
        checked.add("POST /api/v1/event-subscriptions");

        Response reEncrypt = given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY).headers(foreign)
                .post("/api/v1/maintenance/re-encrypt");
        assertThat(reEncrypt.statusCode()).isEqualTo(202);
        assertThat(reEncrypt.header("Location")).isEqualTo(ORIGIN + "/api/v1/maintenance/encryption");
        checked.add("POST /api/v1/maintenance/re-encrypt");

        // The operators' routes.
        Api.update("delete from api_key where partner_id = 'origins-1'");
        Api.deletePartnersButDefault();
        Response partner = operator(foreign, Map.of("id", "origins-1", "name", "Origins", "serviceDomain", "origins.partner.example"))
                .post("/api/v1/partners");
        assertThat(partner.statusCode()).isEqualTo(201);
        assertThat(partner.header("Location")).isEqualTo(ORIGIN + "/api/v1/partners/origins-1");
        checked.add("POST /api/v1/partners");
        Response key = operator(foreign, Map.of("name", "origins-key")).post("/api/v1/partners/origins-1/api-keys");
        assertThat(key.statusCode()).isEqualTo(201);
        assertThat(key.header("Location")).isEqualTo(ORIGIN + "/api/v1/partners/origins-1/api-keys/" + key.path("apiKey.id"));
        checked.add("POST /api/v1/partners/{partnerId}/api-keys");
        Response rotated = operator(foreign, Map.of()).post("/api/v1/partners/origins-1/api-keys/" + key.path("apiKey.id") + "/rotate");
        assertThat(rotated.statusCode()).isEqualTo(201);
        assertThat(rotated.header("Location")).isEqualTo(ORIGIN + "/api/v1/partners/origins-1/api-keys/" + rotated.path("apiKey.id"));
        checked.add("POST /api/v1/partners/{partnerId}/api-keys/{keyId}/rotate");
        Api.update("delete from api_key where partner_id = 'origins-1'");
        Api.deletePartnersButDefault();

        Flows.consoleSetup();
        Response authorized = json(Map.of("returnUrl", TestKeys.RETURN_URL_PREFIX + "/done")).headers(foreign)
                .post("/api/v1/accounts/located-2/connector/authorize");
        assertThat(authorized.statusCode()).isEqualTo(200);
        String setupUrl = authorized.path("setupUrl");
        String authorizeUrl = authorized.path("authorizeUrl");
        assertThat(setupUrl).startsWith(ORIGIN + "/connector/setup/");
        assertThat(StripeStubs.param(authorizeUrl, "redirect_uri")).isEqualTo(ORIGIN + "/connector/callback");
        api().headers(foreign).get("/api/v1/connector").then().statusCode(200)
                .body("redirectUri", org.hamcrest.Matchers.equalTo(ORIGIN + "/connector/callback"))
                .body("webhookEndpoint", org.hamcrest.Matchers.equalTo(ORIGIN + "/webhooks/stripe"))
                .body("serviceDomain", org.hamcrest.Matchers.equalTo(TestKeys.SERVICE_DOMAIN));

        // The browser flow's redirects lead to other sites (Stripe, the partner's return URL): left exactly as built.
        Response toStripe = through(TestKeys.SERVICE_DOMAIN).get(setupUrl.substring(ORIGIN.length()));
        assertThat(toStripe.statusCode()).isEqualTo(302);
        assertThat(toStripe.header("Location")).isEqualTo(authorizeUrl);
        checked.add("GET /connector/setup/{token}");
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        Response back = through(TestKeys.SERVICE_DOMAIN).queryParam("code", "ac_Located2").queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                .get("/connector/callback");
        assertThat(back.statusCode()).isEqualTo(303);
        assertThat(back.header("Location")).isEqualTo(TestKeys.RETURN_URL_PREFIX + "/done?status=connected&accountId=located-2");
        checked.add("GET /connector/callback");
        // The install form's post leads to Stripe too (InstallJourneyTest follows it); this test holds the rest.
        checked.add("POST /connector/setup/{token}");

        assertThat(checked).as("every operation the API document says answers with a Location").isEqualTo(operationsWithALocation());
    }

    static RequestSpecification operator(Map<String, String> headers, Map<String, ?> body) {
        return given().header("Authorization", "Bearer " + TestKeys.OPERATOR_KEY).contentType("application/json").body(body).headers(headers);
    }

    /** Every operation of the served OpenAPI document with a response that has a Location header. */
    private static Set<String> operationsWithALocation() throws IOException {
        JsonNode document = JSON.readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        Set<String> operations = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            Iterator<JsonNode> responses = operation.getValue().path("responses").elements();
            while (responses.hasNext()) {
                if (responses.next().path("headers").has("Location")) {
                    operations.add(operation.getKey().toUpperCase() + " " + path.getKey());
                }
            }
        }));
        return operations;
    }

    /**
     * The browser routes, read from the service's own resources (every JAX-RS operation under
     * {@code /console} and {@code /connector}, path parameters filled in), and the routes Quarkus
     * serves there itself (the sign-in post, the console's script, unknown paths).
     */
    static List<String[]> browserRoutes() {
        List<String[]> routes = new ArrayList<>();
        routes.add(new String[] {"POST", "/console/j_security_check"});
        routes.add(new String[] {"GET", "/console/assets/console.js"});
        routes.add(new String[] {"GET", "/console/no-such-page"});
        routes.add(new String[] {"GET", "/connector/no-such-page"});
        for (BrowserRoutes.Route route : BrowserRoutes.fromResources()) {
            routes.add(new String[] {route.method(), route.template().replaceAll("\\{[^}]+}", "x-1")});
        }
        return routes;
    }
}
