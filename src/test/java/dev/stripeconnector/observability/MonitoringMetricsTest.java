package dev.stripeconnector.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static dev.stripeconnector.support.StripeStubs.fixture;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.ConsoleSession;
import dev.stripeconnector.support.EventReceiver;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.PrometheusText;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every metric the Grafana dashboard and the alerts of deploy/components/monitoring read is one the running
 * service exposes: each flow is driven first (tagged series appear on first use), then the management port is
 * scraped and every metric name in the dashboard's queries and the alerts' expressions is looked up in it. The
 * metrics that come from elsewhere are a named list, and each of them must be used (no stale entries).
 */
@QuarkusTest
class MonitoringMetricsTest {

    /** Metrics the manifests read that other exporters provide, never the service. */
    static final Map<String, String> FROM_ELSEWHERE = Map.of(
            "up", "Prometheus itself: whether a scrape succeeded",
            "kube_pod_container_status_restarts_total", "kube-state-metrics: container restarts",
            "cnpg_backends_total", "CloudNativePG's exporter: the instance's backends",
            "cnpg_pg_settings_setting", "CloudNativePG's exporter: PostgreSQL's settings (max_connections)");

    static final Path COMPONENT = Path.of("deploy", "components", "monitoring");
    static final String ACCOUNT = "mon-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectWireMock
    WireMockServer stripe;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        stripe.resetAll();
    }

    @AfterEach
    void clean() {
        Api.resetDatabase();
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsReadIsExposedOnceEveryFlowRan() throws IOException {
        driveEveryFlow();
        Set<String> series = scrape();
        Set<String> exposed = series.stream().map(s -> s.replaceAll("[{ ].*", "")).collect(Collectors.toCollection(TreeSet::new));

        Set<String> dashboard = new TreeSet<>();
        for (JsonNode panel : JSON.readTree(COMPONENT.resolve("stripe-connector.json").toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                dashboard.addAll(metricNames(target.path("expr").asText()));
            }
        }
        Set<String> alerts = new TreeSet<>();
        JsonNode rule = new ObjectMapper(new YAMLFactory()).readTree(COMPONENT.resolve("prometheusrule.yaml").toFile());
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode alert : group.path("rules")) {
                alerts.addAll(metricNames(alert.path("expr").asText()));
                assertThat(alert.path("annotations").fieldNames()).toIterable().as(alert.path("alert").asText())
                        .contains("summary", "description", "runbook");
            }
        }
        Set<String> used = new TreeSet<>(dashboard);
        used.addAll(alerts);
        // The parser finds what it should: a few names each file surely reads.
        assertThat(dashboard).contains("connector_oauth_callbacks_total", "connector_stripe_proxy_seconds_count", "agroal_active_count");
        assertThat(alerts).contains("connector_stripe_answers_total", "connector_events_failed_total", "kube_pod_container_status_restarts_total");
        assertThat(used).as("every metric from elsewhere is used (a stale entry would hide a typo)").containsAll(FROM_ELSEWHERE.keySet());

        Set<String> fromTheService = new TreeSet<>(used);
        fromTheService.removeAll(FROM_ELSEWHERE.keySet());
        assertThat(exposed).as("every metric the dashboard and the alerts read, scraped from the service").containsAll(fromTheService);
        String operations = Files.readString(Path.of("docs", "operations.md"));
        assertThat(fromTheService).as("listed in docs/operations.md (a timer by its base name)")
                .allMatch(name -> operations.contains("`" + name + "`") || operations.contains("`" + name.replaceAll("_(count|sum|max)$", "") + "`"));

        // The tags people filter by, each counted after its flow.
        assertThat(series).anyMatch(s -> counted(s, "connector_oauth_callbacks_total{outcome=\"connected\",partner=\"default\"}"))
                .anyMatch(s -> counted(s, "connector_oauth_callbacks_total{outcome=\"state_unknown\",partner=\"default\"}"))
                .anyMatch(s -> counted(s, "connector_install_links_issued_total{partner=\"default\"}"))
                .anyMatch(s -> counted(s, "connector_install_links_used_total{partner=\"default\"}"))
                .anyMatch(s -> counted(s, "connector_console_sign_ins_total{outcome=\"success\",partner=\"default\"}"))
                .anyMatch(s -> counted(s, "connector_console_sign_ins_total{outcome=\"wrong\",partner=\"default\"}"))
                .anyMatch(s -> counted(s, "connector_console_sign_ins_total{outcome=\"locked\",partner=\"default\"}"))
                .anyMatch(s -> counted(s, "connector_stripe_proxy_seconds_count{outcome=\"2xx\"}"));
        for (String change : List.of("connected", "refreshed", "revoked")) {
            assertThat(series).as("connections " + change)
                    .anyMatch(s -> counted(s, "connector_connection_changes_total{change=\"" + change + "\",partner=\"default\"}"));
        }
        for (String call : List.of("exchange", "verify", "refresh", "deauthorize", "proxy")) {
            assertThat(series).as("Stripe's answers to " + call).anyMatch(s -> counted(s, "connector_stripe_answers_total{call=\"" + call + "\","));
        }
        assertThat(series).as("a Stripe refusal is counted in its class")
                .anyMatch(s -> counted(s, "connector_stripe_answers_total{call=\"exchange\",class=\"grant_refused\"}"));
        // Accounts are never a tag: neither the installation's account id nor Stripe's appears in any series.
        assertThat(series).noneMatch(s -> s.contains(ACCOUNT) || s.contains(Flows.STRIPE_USER_ID));
    }

    private void driveEveryFlow() {
        EventReceiver receiver = EventReceiver.start();
        try {
            receiver.answer(204);
            receiver.subscribe("*");
            Flows.consoleSetup();
            // Install, issue a link and connect through Stripe's callback (exchange, callback connected).
            Flows.connect(stripe, ACCOUNT);
            // An install link opened by the person (used), then a callback whose code Stripe refuses.
            String setupUrl = json("{}").post("/api/v1/accounts/" + ACCOUNT + "/connector/authorize").then().statusCode(200)
                    .extract().path("setupUrl");
            String authorizeUrl = given().redirects().follow(false).get(setupUrl.substring(setupUrl.indexOf("/connector/setup/")))
                    .then().statusCode(302).extract().header("Location");
            StripeStubs.tokenAnswers(stripe, 400, "token-invalid-grant.json");
            given().redirects().follow(false).queryParam("code", "ac_Refused1").queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                    .get("/connector/callback").then().statusCode(400);
            // A callback with a state the service never issued.
            given().redirects().follow(false).queryParam("code", "ac_Whatever").queryParam("state", "A".repeat(43))
                    .get("/connector/callback").then().statusCode(400);
            Flows.reconnect(stripe, ACCOUNT);
            // Refresh, verify, the proxy.
            StripeStubs.tokenAnswers(stripe, 200, "token-refreshed.json");
            api().post("/api/v1/accounts/" + ACCOUNT + "/connector/refresh").then().statusCode(200);
            // Stripe says the platform lost access (the platform's own key still works): a confirmed revocation.
            stripe.stubFor(get(urlPathEqualTo("/v1/account")).withHeader("Stripe-Account", matching(".+")).willReturn(aResponse()
                    .withStatus(403).withHeader("Content-Type", "application/json").withBody(fixture("account-revoked.json"))));
            api().post("/api/v1/accounts/" + ACCOUNT + "/connector/verify").then().statusCode(200).body("status", equalTo("revoked"));
            // Stripe answers again: verified, connected again.
            StripeStubs.accountAnswers(stripe, 200, "account.json");
            api().post("/api/v1/accounts/" + ACCOUNT + "/connector/verify").then().statusCode(200);
            stripe.stubFor(get(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(fixture("customers.json"))));
            api().get("/api/v1/accounts/" + ACCOUNT + "/stripe/v1/customers").then().statusCode(200);
            // Console sign-ins: one that works, then one name's guesses used up (a lock-out).
            ConsoleSession.admin();
            for (int guess = 0; guess < 6; guess++) {
                ConsoleSession.signInAttempt("nobody-" + ACCOUNT, "wrong password").then().statusCode(302);
            }
            // Deliveries of the events so far, then the disconnect (deauthorize).
            receiver.await("a delivered event", received -> received.stream().anyMatch(EventReceiver.Delivery::accepted));
            StripeStubs.deauthorizeAnswers(stripe, 200, "deauthorize-success.json");
            api().delete("/api/v1/accounts/" + ACCOUNT + "/connector").then().statusCode(200);
            // The maintenance jobs: re-encryption and the retention purge, each run once.
            given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY).post("/api/v1/maintenance/re-encrypt").then().statusCode(202);
            given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY).post("/api/v1/maintenance/purge").then().statusCode(200);
        } finally {
            receiver.close();
        }
    }

    /** Whether {@code line} is the series {@code prefix} (name and its first tags) with a count above zero. */
    static boolean counted(String line, String prefix) {
        return line.startsWith(prefix) && PrometheusText.value(line) > 0;
    }

    /** Each series of the scrape, as {@code name{labels} value}. */
    private Set<String> scrape() {
        String text = given().get(metrics).then().statusCode(200).extract().asString();
        return text.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
            "group_left", "group_right", "inf", "nan");

    /**
     * The metric names of a PromQL expression, read simply: strings, label matchers, ranges and groupings taken
     * out, what is left is identifiers that are functions (followed by a parenthesis), keywords or metric names.
     */
    static Set<String> metricNames(String expression) {
        String plain = STRINGS.matcher(expression).replaceAll("\"\"");
        plain = plain.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        plain = GROUPING.matcher(plain).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(plain);
        while (matcher.find()) {
            String name = matcher.group(1);
            if (matcher.group(2) == null && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    @Test
    void thePromQlReaderFindsMetricsAndNothingElse() {
        assertThat(metricNames("sum by (partner, outcome) (rate(a_total{partner=~\"$partner\",x=\"b_c\"}[$__rate_interval])) / ignoring(x) "
                + "max(b_seconds_max) > 0.2 and on(pod) time() - c > 3600 or absent(d{name=\"max_connections\"})"))
                .containsExactly("a_total", "b_seconds_max", "c", "d");
        List<String> none = new ArrayList<>(metricNames("time() > 5"));
        assertThat(none).isEmpty();
    }
}
