package dev.stripeconnector.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.PackagedApp;
import dev.stripeconnector.support.ServiceHost;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The restore drill of docs/operations.md, on the packaged application and real PostgreSQL tools: a
 * {@code pg_dump} of a database holding a console key, an account's override key and a connection's
 * tokens is restored with {@code pg_restore} into a fresh server, and the service started on it with
 * the same CONNECTOR_ENCRYPTION_KEYS reads every secret back; with another key it refuses them.
 * Needs PostgreSQL 15's server binaries (the embedded test PostgreSQL has no pg_dump); without them
 * the test is skipped, saying so loudly.
 */
class RestoreDrillIT {

    static final String ROLE = "stripe_connector";
    static final String ROLE_PASSWORD = "restore-drill-password";
    static final String DATABASE = "stripe_connector";
    static final String ACCOUNT = "drill-1";
    static final String OVERRIDE_SECRET = "sk_test_AccountOverrideSecret7777";
    /** Another 32-byte key under the same key id: what an operator restoring with the wrong key has. */
    static final String WRONG_KEY = "k1:d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktISE=";
    static final Duration READY = Duration.ofSeconds(120);

    @Test
    void aDumpRestoredIntoAFreshServerServesEverySecretWithTheSameKeysAndNoneWithAnother() throws Exception {
        // In the test itself, not in a @BeforeAll: the report then counts it as skipped, with the reason.
        LocalPostgres.assumeInstalled();
        ServiceHost.install();
        Instant started = Instant.now();
        WireMockServer stripe = StripeStubs.newServer();
        LocalPostgres original = null;
        LocalPostgres restored = null;
        try {
            // 1. The service in production: its database, a console setup, an override, a connection.
            original = LocalPostgres.start("original");
            createRoleAndDatabase(original);
            try (PackagedApp app = start(original, TestKeys.ENCRYPTION_KEY_1, stripe)) {
                api(app).contentType(ContentType.JSON).body(Map.of("clientId", Flows.CLIENT_ID, "clientSecret", Flows.SECRET))
                        .put("/api/v1/connector").then().statusCode(200);
                api(app).contentType(ContentType.JSON).body(Map.of("name", "Drill shop", "clientSecret", OVERRIDE_SECRET))
                        .put("/api/v1/accounts/" + ACCOUNT + "/connector").then().statusCode(201);
                connect(app, stripe);
                assertEverySecretReadsBack(app);
            }
            String rowsBefore = counts(original);

            // 2. The backup: a dump in PostgreSQL's custom format. The keys are NOT in it (only ciphertext is).
            Path dump = original.directory().resolve(DATABASE + ".dump");
            original.tool("pg_dump", "--format=custom", "--file=" + dump, "--dbname=" + DATABASE);
            assertThat(original.psql(DATABASE, "select client_secret from connector_settings").strip()).startsWith("v1:k1:");
            original.stop();

            // 3. The restore, into a server that never saw the original: role, empty database, pg_restore.
            restored = LocalPostgres.start("restored");
            createRoleAndDatabase(restored);
            restored.tool("pg_restore", "--dbname=" + DATABASE, "--no-owner", "--role=" + ROLE, "--single-transaction",
                    "--exit-on-error", dump.toString());
            assertThat(counts(restored)).as("rows per table after the restore").isEqualTo(rowsBefore);

            // 4. The service on the restored database with the same keys: every secret, no migration to run.
            try (PackagedApp app = start(restored, TestKeys.ENCRYPTION_KEY_1, stripe)) {
                assertEverySecretReadsBack(app);
                assertThat(app.log()).contains("no migration to run").doesNotContain("org.fly");
            }

            // 5. With another key the service refuses the stored secrets: a problem, never garbage, never the value.
            assertRefusedWith(restored, WRONG_KEY, stripe);
        } finally {
            try {
                if (restored != null) {
                    restored.close();
                }
            } finally {
                try {
                    if (original != null) {
                        original.close();
                    }
                } finally {
                    stripe.stop();
                }
            }
        }
        System.out.println("RestoreDrillIT: backup, restore into a fresh server and both checks took "
                + Duration.between(started, Instant.now()).toSeconds() + " s");
    }

    static void createRoleAndDatabase(LocalPostgres server) throws Exception {
        server.psql("postgres",
                "create role " + ROLE + " login password '" + ROLE_PASSWORD + "'",
                "create database " + DATABASE + " owner " + ROLE);
    }

    /** Rows in each of the service's tables, as one comparable text. */
    static String counts(LocalPostgres server) throws Exception {
        return server.psql(DATABASE, "select string_agg(relname || '=' || n, ',' order by relname) from ("
                + " select c.relname, (xpath('/row/n/text()', query_to_xml('select count(*) as n from ' || quote_ident(c.relname), false, true, '')))[1]::text as n"
                + " from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = 'public' and c.relkind = 'r') t").strip();
    }

    static PackagedApp start(LocalPostgres server, String encryptionKeys, WireMockServer stripe) throws Exception {
        return PackagedApp.start(environment(server, encryptionKeys, stripe), PackagedApp.freePort()).awaitReady(READY);
    }

    static Map<String, String> environment(LocalPostgres server, String encryptionKeys, WireMockServer stripe) {
        Map<String, String> env = PackagedApp.productionEnvironment();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", server.jdbcUrl(DATABASE));
        env.put("QUARKUS_DATASOURCE_USERNAME", ROLE);
        env.put("QUARKUS_DATASOURCE_PASSWORD", ROLE_PASSWORD);
        env.put("CONNECTOR_ENCRYPTION_KEYS", encryptionKeys);
        env.put("QUARKUS_REST_CLIENT_STRIPE_CONNECT_URL", stripe.baseUrl());
        env.put("QUARKUS_REST_CLIENT_STRIPE_API_URL", stripe.baseUrl());
        return env;
    }

    static RequestSpecification api(PackagedApp app) {
        return given().baseUri(app.baseUrl()).header("Authorization", "Bearer " + TestKeys.API_KEY);
    }

    static RequestSpecification reader(PackagedApp app) {
        return given().baseUri(app.baseUrl()).header("Authorization", "Bearer " + TestKeys.READER_API_KEY);
    }

    /** The real OAuth flow: an authorize link, Stripe's redirect to the callback, the code exchanged (Stripe stubbed). */
    static void connect(PackagedApp app, WireMockServer stripe) {
        StripeStubs.tokenAnswers(stripe, 200, "token-success.json");
        String authorizeUrl = api(app).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/accounts/" + ACCOUNT + "/connector/authorize").then().statusCode(200).extract().path("authorizeUrl");
        given().baseUri(app.baseUrl()).redirects().follow(false)
                .queryParam("code", "ac_RestoreDrill1").queryParam("state", StripeStubs.param(authorizeUrl, "state"))
                .get("/connector/callback").then().statusCode(200);
        stripe.verify(1, StripeStubs.tokenRequests());
        stripe.resetAll();
    }

    static void assertEverySecretReadsBack(PackagedApp app) {
        api(app).get("/api/v1/connector").then().statusCode(200)
                .body("clientSecret.set", equalTo(true))
                .body("clientSecret.last4", equalTo(Flows.SECRET.substring(Flows.SECRET.length() - 4)));
        api(app).get("/api/v1/accounts/" + ACCOUNT + "/connector").then().statusCode(200)
                .body("status", equalTo("connected"))
                .body("clientSecret.source", equalTo("account"))
                .body("clientSecret.last4", equalTo(OVERRIDE_SECRET.substring(OVERRIDE_SECRET.length() - 4)));
        reader(app).get("/api/v1/accounts/" + ACCOUNT + "/connector/credentials").then().statusCode(200)
                .body("stripeUserId", equalTo(Flows.STRIPE_USER_ID))
                .body("accessToken", equalTo(Flows.ACCESS_TOKEN));
    }

    /**
     * The service with a wrong key either refuses to start (a start-up check of the stored key ids may do that)
     * or starts and answers each read of a secret with a problem: never a value.
     */
    static void assertRefusedWith(LocalPostgres server, String encryptionKeys, WireMockServer stripe) throws Exception {
        try (PackagedApp app = PackagedApp.start(environment(server, encryptionKeys, stripe), PackagedApp.freePort())) {
            if (!readyOrExited(app, READY)) {
                int status = app.awaitExit(Duration.ofSeconds(30));
                assertThat(status).as("the service refused to start with another key:\n" + app.log()).isNotZero();
                assertThat(app.log()).doesNotContain(Flows.ACCESS_TOKEN, Flows.SECRET, OVERRIDE_SECRET);
                System.out.println("RestoreDrillIT: with another key the service refused to start (exit " + status + ")");
                return;
            }
            List<Response> answers = List.of(
                    api(app).get("/api/v1/connector"),
                    api(app).get("/api/v1/accounts/" + ACCOUNT + "/connector"),
                    reader(app).get("/api/v1/accounts/" + ACCOUNT + "/connector/credentials"));
            for (Response answer : answers) {
                assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(500);
                assertThat(answer.contentType()).startsWith("application/problem+json");
                assertThat(answer.asString()).doesNotContain(Flows.ACCESS_TOKEN, Flows.SECRET, OVERRIDE_SECRET, "7777", "accessToken");
            }
            assertThat(app.log()).contains("failed authentication").doesNotContain(Flows.ACCESS_TOKEN, Flows.SECRET, OVERRIDE_SECRET);
            System.out.println("RestoreDrillIT: with another key the service started and refused every secret (500 problem+json)");
        }
    }

    /** True once the app reports ready; false when it exited first (PackagedApp.awaitReady says which). */
    static boolean readyOrExited(PackagedApp app, Duration timeout) throws Exception {
        try {
            app.awaitReady(timeout);
            return true;
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("The application exited with")) {
                return false;
            }
            throw e;
        }
    }
}
