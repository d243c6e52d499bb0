package dev.stripeconnector.docs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.stripeconnector.account.ConnectorStatus;
import dev.stripeconnector.common.Failure;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.common.ProblemMapper;
import dev.stripeconnector.events.EventType;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The docs cannot drift from the service: every curl example of README.md and docs/*.md runs against the
 * service (WireMock playing Stripe, as for every test), and the JSON answer shown after it is compared with
 * the service's; the status values, event types and problem types the docs list are the code's.
 * The conventions a page follows are in docs/reliability.md, "Examples in the docs".
 */
@QuarkusTest
class DocsExamplesTest {

    /** The origins the docs' examples call: dev mode's, and the one a production example uses. */
    static final List<String> DOC_ORIGINS = List.of("http://localhost:8080", "https://connector.example.com");

    /**
     * The keys the docs' examples use, and the test's key with the same roles: dev mode's partner key
     * (api, credentials-reader), an admin key, any key, the operators' key.
     */
    static final Map<String, String> KEYS = Map.of(
            "dev-connector-api-key", TestKeys.READER_API_KEY,
            "$API_KEY", TestKeys.API_KEY,
            "$ADMIN_KEY", TestKeys.OPS_API_KEY,
            "<an admin API key>", TestKeys.OPS_API_KEY,
            "dev-connector-operator-key", TestKeys.OPERATOR_KEY);

    /** A key the page's examples issued, written as the docs show it: {@code sck_acme_…} is the last one issued to acme. */
    static final Pattern ISSUED_KEY = Pattern.compile("sck_([a-z0-9-]+)_…");

    /** Named placeholders of the docs' examples, each the id of what an earlier example on the page made. */
    static final Map<String, String> NAMED_IDS = Map.of("{keyId}", "the id of the key last issued or rotated on the page");

    /** The states an example can ask for ({@code <!-- example: given … -->}), each prepared through the API as a partner's service would. */
    static final Map<String, String> GIVENS = Map.of(
            "a console without a secret key", "the console keeps its client ID and forgets its secret key",
            "demo-1 connected", "demo-1 (installed by the page) goes through Stripe's OAuth flow, Stripe played by WireMock",
            "the subscriptions' receiver answers 204", "every subscription the page made points at a receiver of the test's that answers 204"
                    + " (the docs' receiver hosts are the reader's)");

    /** Where Stripe's authorize page is; the tests' Stripe (WireMock) stands at its own address. */
    static final String STRIPE_CONNECT = "https://connect.stripe.com";

    private static final String PROBLEM_TYPES = "https://stripe-connector.dev/problems/";

    @InjectWireMock
    WireMockServer stripe;

    @Inject
    PublicOrigins origins;

    static Stream<String> pages() throws IOException {
        List<String> pages = new ArrayList<>(List.of("README.md"));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.map(Path::toString).filter(name -> name.endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages.stream();
    }

    static List<DocPage> allPages() {
        try {
            return pages().map(name -> DocPage.read(Path.of(name))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The receiver a page's example asked for ({@code given the subscriptions' receiver answers 204}); null: none. */
    private dev.stripeconnector.support.EventReceiver receiver;

    @AfterEach
    void leaveNothingBehind() {
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
        Api.resetDatabase();
        Api.deletePartnersButDefault();
        Api.update("delete from console_user where partner_id = 'default' and username <> ?", TestKeys.CONSOLE_ADMIN);
        // The partners the examples made are gone: their domains must no longer be served.
        origins.refresh();
        stripe.resetAll();
    }

    /** What a page's examples share: the ids and keys earlier examples got. */
    private static final class PageRun {
        final DocPage page;
        final Map<String, String> ids = new LinkedHashMap<>();
        final Map<String, String> issuedKeys = new HashMap<>();
        String lastKeyId;

        PageRun(DocPage page) {
            this.page = page;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void everyExampleAnswersAsShown(String name) {
        Api.resetDatabase();
        Api.deletePartnersButDefault();
        standInAnswers();
        PageRun run = new PageRun(DocPage.read(Path.of(name)));
        List<String> failures = new ArrayList<>();
        int requests = 0;
        int skipped = 0;
        for (DocPage.Example example : run.page.examples()) {
            if (example.skipped()) {
                skipped++;
                continue;
            }
            try {
                for (String state : example.givens()) {
                    prepare(state, example.where(run.page));
                }
                List<Curl> curls = Curl.parseAll(example.request().text());
                for (int i = 0; i < curls.size(); i++) {
                    boolean last = i == curls.size() - 1;
                    call(run, curls.get(i), last ? example.answer() : null);
                    requests++;
                }
            } catch (AssertionError e) {
                // The page's later examples build on this one: their failures would only repeat it.
                failures.add(example.where(run.page) + ": " + e.getMessage());
                break;
            }
        }
        System.out.printf("%s: %d requests of %d examples run, %d examples skipped%n", name, requests,
                run.page.examples().size() - skipped, skipped);
        assertThat(failures).as("the examples of %s, run against the service", name).isEmpty();
    }

    private void call(PageRun run, Curl curl, DocPage.Block answer) {
        String docOrigin = DOC_ORIGINS.stream().filter(curl.url()::startsWith).findFirst()
                .orElseThrow(() -> new AssertionError("an example calls " + curl.url() + ": use one of " + DOC_ORIGINS));
        String url = "http://localhost:" + RestAssured.port + substitute(run, curl.url().substring(docOrigin.length()));
        RequestSpecification request = given()
                .config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .urlEncodingEnabled(false)
                .redirects().follow(false);
        curl.headers().forEach((header, value) -> request.header(header, substitute(run, value)));
        if (curl.body() != null) {
            request.body(withTimesAhead(substitute(run, curl.body())));
        }
        Response response = request.request(curl.method(), url);
        String body = asDocsShow(response.asString(), docOrigin);
        String shown = curl.method() + " " + curl.url();
        JsonNode actual = body.isBlank() ? null : DocJson.parseAnswer(body);
        remember(run, actual);
        if (answer == null) {
            if (response.statusCode() >= 300) {
                throw new AssertionError(shown + " answers " + response.statusCode() + " " + body
                        + " (an example without an answer shown must succeed)");
            }
            return;
        }
        JsonNode doc = DocJson.parse(answer.text());
        boolean problem = doc.path("type").asText("").startsWith(PROBLEM_TYPES);
        if (problem ? response.statusCode() != doc.path("status").asInt() : response.statusCode() >= 300) {
            throw new AssertionError(shown + " answers " + response.statusCode() + " " + body + "; the docs (line "
                    + answer.line() + ") show " + (problem ? "a " + doc.path("status").asInt() + " problem" : "a success"));
        }
        if (actual == null) {
            throw new AssertionError(shown + " answers no body; the docs (line " + answer.line() + ") show one");
        }
        List<String> differences = new ArrayList<>();
        DocJson.compare(doc, actual, "answer", null, differences, run.ids);
        if (!differences.isEmpty()) {
            throw new AssertionError(shown + ": the answer shown at line " + answer.line() + " is not the service's:\n  "
                    + String.join("\n  ", differences) + "\n  the service's answer: " + body);
        }
    }

    /**
     * A time the docs' request shows is a sample ({@link DocJson#TIMES}): the request sends one a day from now, so that
     * an example that sets a time in the future keeps working after the sample's date has passed.
     */
    private static String withTimesAhead(String body) {
        if (!body.strip().startsWith("{")) {
            return body;
        }
        JsonNode json = DocJson.parseAnswer(body);
        String ahead = java.time.Instant.now().plus(java.time.Duration.ofDays(1)).toString();
        boolean changed = false;
        for (String member : DocJson.TIMES) {
            if (json.path(member).isTextual()) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) json).put(member, ahead);
                changed = true;
            }
        }
        return changed ? json.toString() : body;
    }

    /**
     * The answer as the docs' example would get it: the test's service origin (and domain) as the example's origin,
     * plain and URL-encoded, and Stripe (WireMock here) at Stripe's own address.
     */
    private String asDocsShow(String body, String docOrigin) {
        String testOrigin = "https://" + TestKeys.SERVICE_DOMAIN;
        return body
                .replace(stripe.baseUrl() + "/oauth/authorize", STRIPE_CONNECT + "/oauth/authorize")
                .replace(stripe.baseUrl() + "/express/oauth/authorize", STRIPE_CONNECT + "/express/oauth/authorize")
                .replace(URLEncoder.encode(testOrigin, StandardCharsets.UTF_8), URLEncoder.encode(docOrigin, StandardCharsets.UTF_8))
                .replace(testOrigin, docOrigin)
                .replace(TestKeys.SERVICE_DOMAIN, docOrigin.substring(docOrigin.indexOf("//") + 2));
    }

    /** Keeps what later examples of the page refer to: keys issued ({@code sck_acme_…}) and their ids ({@code {keyId}}). */
    private static void remember(PageRun run, JsonNode answer) {
        if (answer == null) {
            return;
        }
        JsonNode key = answer.path("key");
        JsonNode apiKey = answer.path("apiKey");
        if (key.isTextual() && apiKey.isObject()) {
            run.issuedKeys.put(apiKey.path("partnerId").asText(), key.asText());
            run.lastKeyId = apiKey.path("id").asText();
        }
    }

    private static String substitute(PageRun run, String text) {
        String out = text;
        for (Map.Entry<String, String> key : KEYS.entrySet()) {
            out = out.replace(key.getKey(), key.getValue());
        }
        Matcher issued = ISSUED_KEY.matcher(out);
        StringBuilder replaced = new StringBuilder();
        while (issued.find()) {
            String key = run.issuedKeys.get(issued.group(1));
            if (key == null) {
                throw new AssertionError(issued.group() + ": no earlier example on the page issued partner " + issued.group(1) + " a key");
            }
            issued.appendReplacement(replaced, Matcher.quoteReplacement(key));
        }
        issued.appendTail(replaced);
        out = replaced.toString();
        if (out.contains("{keyId}")) {
            if (run.lastKeyId == null) {
                throw new AssertionError("{keyId}: no earlier example on the page issued a key");
            }
            out = out.replace("{keyId}", run.lastKeyId);
        }
        for (Map.Entry<String, String> id : run.ids.entrySet()) {
            out = out.replace(id.getKey(), id.getValue());
        }
        if (out.contains("$") || out.contains("…") || out.matches("(?s).*<[a-z][^>]*>.*")) {
            throw new AssertionError("a placeholder the docs test does not know in " + text
                    + ": the keys it knows are " + KEYS.keySet() + ", issued keys " + ISSUED_KEY.pattern() + ", ids " + NAMED_IDS.keySet()
                    + " and the ids earlier answers on the page showed");
        }
        return out;
    }

    private void prepare(String state, String where) {
        switch (state) {
            case "a console without a secret key" -> {
                Map<String, Object> console = new HashMap<>();
                console.put("clientId", "ca_YourPlatformClientId123");
                console.put("clientSecret", null);
                Api.json(console).put("/api/v1/connector").then().statusCode(200);
            }
            case "demo-1 connected" -> connect("demo-1");
            case "the subscriptions' receiver answers 204" -> {
                if (receiver == null) {
                    receiver = dev.stripeconnector.support.EventReceiver.start();
                }
                List<String> ids = dev.stripeconnector.support.EventReceiver.admin().get("/api/v1/event-subscriptions").then().statusCode(200).extract().jsonPath().getList("id");
                for (String id : ids) {
                    dev.stripeconnector.support.EventReceiver.admin().contentType("application/json").body(Map.of("url", receiver.url("/hooks")))
                            .put("/api/v1/event-subscriptions/" + id).then().statusCode(200);
                }
            }
            default -> throw new AssertionError(where + ": no state named '" + state + "'; the docs test knows " + GIVENS.keySet());
        }
    }

    /** Connects an installed account through the OAuth flow, as a person does: the authorize URL's state, Stripe's code, the callback. */
    private void connect(String accountId) {
        String authorizeUrl = Api.json("{}").post("/api/v1/accounts/" + accountId + "/connector/authorize").then()
                .statusCode(200).extract().path("authorizeUrl");
        assertThat(authorizeUrl).as("%s has its client ID and key, so it can be connected", accountId).isNotNull();
        given().redirects().follow(false)
                .queryParam("code", "ac_DocsExample")
                .queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                .get("/connector/callback").then().statusCode(200);
    }

    /** WireMock answers as the simulated Stripe of dev mode does, which the docs' examples are written against. */
    private void standInAnswers() {
        stripe.resetAll();
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        StripeStubs.deauthorizeAnswers(stripe, 200, "deauthorize-success.json");
        stripe.stubFor(get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", WireMock.matching("acct_.+"))
                .willReturn(json(StripeStubs.fixture("account.json"))));
        stripe.stubFor(get(urlPathEqualTo("/v1/customers")).willReturn(json(StripeStubs.fixture("customers.json"))));
        stripe.stubFor(post(urlPathEqualTo("/v1/customers")).willReturn(json(StripeStubs.fixture("customer-created.json"))));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    @Test
    void theProblemTypesListedAreTheCodes() {
        Map<String, Integer> documented = new LinkedHashMap<>();
        String where = null;
        for (DocPage page : allPages()) {
            boolean inTable = false;
            for (int i = 0; i < page.lines().size(); i++) {
                String line = page.lines().get(i).strip();
                if (line.startsWith("|") && line.contains("`type` ends in")) {
                    inTable = true;
                    where = page.name() + ":" + (i + 1);
                    continue;
                }
                if (!inTable || line.startsWith("|---")) {
                    continue;
                }
                if (!line.startsWith("|")) {
                    inTable = false;
                    continue;
                }
                String[] cells = line.split("\\|");
                List<Integer> statuses = numbers(cells[1]);
                for (String slug : backticked(cells[2])) {
                    Failure failure = Arrays.stream(Failure.values()).filter(f -> ProblemMapper.kind(f).slug().equals(slug))
                            .findFirst().orElseThrow(() -> new AssertionError(page.name() + ": problem type '" + slug + "' is none of the code's"));
                    int status = ProblemMapper.kind(failure).status();
                    assertThat(statuses).as("%s: the status of problem type %s", page.name(), slug).contains(status);
                    documented.put(slug, status);
                }
            }
        }
        assertThat(where).as("a table of problem types (a column '`type` ends in')").isNotNull();
        Set<String> inCode = new TreeSet<>();
        for (Failure failure : Failure.values()) {
            inCode.add(ProblemMapper.kind(failure).slug());
        }
        assertThat(documented.keySet()).as("the problem types the table at %s lists", where).containsExactlyInAnyOrderElementsOf(inCode);
    }

    @Test
    void everyListOfStatusesOrEventTypesIsComplete() {
        checkLists("installation statuses", Arrays.stream(ConnectorStatus.values()).map(ConnectorStatus::json).toList());
        checkLists("event types", EventType.names());
    }

    /**
     * Wherever a paragraph, list item or table row names three or more of {@code values} (in backticks), it is a
     * list of them and names them all: a value added to the code fails this until the docs list it.
     */
    private static void checkLists(String what, List<String> values) {
        List<String> incomplete = new ArrayList<>();
        int lists = 0;
        for (DocPage page : allPages()) {
            for (DocPage.Prose unit : page.prose()) {
                Set<String> named = new LinkedHashSet<>(backticked(unit.text()));
                named.retainAll(values);
                if (named.size() >= 3) {
                    lists++;
                    Set<String> missing = new TreeSet<>(values);
                    missing.removeAll(named);
                    if (!missing.isEmpty()) {
                        incomplete.add(page.name() + ":" + unit.line() + " lists " + what + " without " + missing);
                    }
                }
            }
        }
        assertThat(lists).as("lists of %s in the docs", what).isPositive();
        assertThat(incomplete).as("lists of %s", what).isEmpty();
    }

    @Test
    void theOpenApiDocumentListsEveryStatus() {
        List<String> statuses = Arrays.stream(ConnectorStatus.values()).map(ConnectorStatus::json).toList();
        io.restassured.path.json.JsonPath openapi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        assertThat(openapi.getList("components.schemas.ConnectorStatus.enum", String.class))
                .as("the enum of an installation's status").containsExactlyInAnyOrderElementsOf(statuses);
        List<Map<String, Object>> parameters = openapi.getList("paths.'/api/v1/accounts'.get.parameters");
        Map<String, Object> status = parameters.stream().filter(p -> "status".equals(p.get("name"))).findFirst().orElseThrow();
        if (!String.valueOf(status.get("schema")).contains("#/components/schemas/ConnectorStatus")) {
            assertThat(String.valueOf(status.get("description"))).as("the status filter of GET /api/v1/accounts").contains(statuses);
        }
    }

    /** A figure lives in one place: the benchmark's throughput is in docs/performance.md, and every other page links there. */
    @Test
    void theBenchmarksFiguresAreInPerformanceMdOnly() {
        Pattern throughput = Pattern.compile("\\d[\\d,.]*\\s*req/s");
        List<String> copies = new ArrayList<>();
        for (DocPage page : allPages()) {
            if (page.name().equals("docs/performance.md")) {
                continue;
            }
            for (int i = 0; i < page.lines().size(); i++) {
                if (throughput.matcher(page.lines().get(i)).find()) {
                    copies.add(page.name() + ":" + (i + 1));
                }
            }
        }
        assertThat(copies).as("benchmark figures outside docs/performance.md (link to it instead)").isEmpty();
    }

    private static List<String> backticked(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("`([^`]+)`").matcher(text);
        while (m.find()) {
            words.add(m.group(1));
        }
        return words;
    }

    private static List<Integer> numbers(String text) {
        List<Integer> numbers = new ArrayList<>();
        Matcher m = Pattern.compile("\\b(\\d{3})\\b").matcher(text);
        while (m.find()) {
            numbers.add(Integer.parseInt(m.group(1)));
        }
        return numbers;
    }
}
