package dev.stripeconnector.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;

import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.ConsoleSession;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.TestPartners;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console of each partner on its own domain, and the operators' console on the service's: two
 * partners with a user of the same name, each signing in only on its own domain, a session worth
 * nothing on another domain, guesses counted per domain, a disabled partner's users stopped at once,
 * and an operator who lists the partners, creates and disables one, and looks at a partner's console
 * without being able to change anything in it.
 */
@QuarkusTest
class PartnerConsoleTest {

    private static final String ACME = "acme.test.example";
    private static final String GLOBEX = "globex.test.example";
    private static final String ACME_PASSWORD = "acme-admin-password-1";
    private static final String GLOBEX_PASSWORD = "globex-admin-password-1";
    /** connector.console.sign-in.max-guesses, left at its default in the tests. */
    private static final int MAX_GUESSES = 5;

    @Inject
    PublicOrigins origins;

    private String acmeAdminKey;
    private String globexAdminKey;

    @BeforeEach
    void twoPartners() {
        Api.resetDatabase();
        Api.update("delete from api_key");
        Api.deletePartnersButDefault();
        Api.update("delete from sign_in_attempt");
        Api.update("delete from console_user where username not in (?, ?)", TestKeys.CONSOLE_ADMIN, TestKeys.CONSOLE_OPERATOR);
        origins.refresh();
        acmeAdminKey = partnerWithAdmin("acme", ACME, ACME_PASSWORD);
        globexAdminKey = partnerWithAdmin("globex", GLOBEX, GLOBEX_PASSWORD);
    }

    /** Leaves partner default alone, as the tests that follow expect the deployment before partners. */
    @AfterEach
    void onlyPartnerDefault() {
        Api.update("delete from api_key");
        Api.deletePartnersButDefault();
        origins.refresh();
    }

    /** The operator's first steps for a partner: the partner, an admin key, and with it the first console user "admin". */
    private static String partnerWithAdmin(String id, String domain, String password) {
        TestPartners.create(id, domain);
        String key = TestPartners.issueKey(id, "console-admin", "admin");
        withKey(key).contentType(ContentType.JSON).body(Map.of("password", password)).put("/api/v1/console-users/admin").then().statusCode(200);
        return key;
    }

    private static RequestSpecification operatorApi(Object body) {
        return given().header("Authorization", "Bearer " + TestKeys.OPERATOR_KEY).contentType(ContentType.JSON).body(body);
    }

    private static RequestSpecification withKey(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    private static String reason(Response answer) {
        assertThat(answer.statusCode()).isEqualTo(302);
        return ConsoleSession.refusal(answer);
    }

    private static ConsoleSession operator() {
        return ConsoleSession.signIn(TestKeys.CONSOLE_OPERATOR, TestKeys.CONSOLE_OPERATOR_PASSWORD);
    }

    // ---- each partner's users, on its own domain ----

    @Test
    void twoPartnersUsersOfOneNameEachSignInOnlyOnTheirOwnDomainAndNamesOnTheServiceDomainAreUnique() {
        // Each partner's API lists its own users only.
        withKey(acmeAdminKey).get("/api/v1/console-users").then().statusCode(200).body("username", contains("admin"));
        withKey(globexAdminKey).get("/api/v1/console-users").then().statusCode(200).body("username", contains("admin"));
        withKey(TestKeys.OPS_API_KEY).get("/api/v1/console-users").then().statusCode(200)
                .body("username", contains(TestKeys.CONSOLE_ADMIN));
        assertThat(Api.queryString("select count(*) from console_user where username = 'admin'")).isEqualTo("2");

        ConsoleSession acme = ConsoleSession.signIn(ACME, "admin", ACME_PASSWORD);
        ConsoleSession globex = ConsoleSession.signIn(GLOBEX, "admin", GLOBEX_PASSWORD);
        assertThat(acme.get("/console/settings").then().statusCode(200).extract().asString()).contains("Signed in as admin · partner acme");
        assertThat(globex.get("/console/settings").then().statusCode(200).extract().asString()).contains("Signed in as admin · partner globex");
        // One partner's password is not the other's, and neither partner's user exists on the service's own domain.
        assertThat(reason(ConsoleSession.signInAttempt(GLOBEX, "admin", ACME_PASSWORD))).isEqualTo("wrong");
        assertThat(reason(ConsoleSession.signInAttempt(ACME, "admin", GLOBEX_PASSWORD))).isEqualTo("wrong");
        assertThat(reason(ConsoleSession.signInAttempt("admin", ACME_PASSWORD))).isEqualTo("wrong");
        // Partner default's administrator does not sign in on a partner's domain.
        assertThat(reason(ConsoleSession.signInAttempt(ACME, TestKeys.CONSOLE_ADMIN, TestKeys.CONSOLE_PASSWORD))).isEqualTo("wrong");
        // Partner default's users and the operators sign in on one page: a name one has is refused to the other.
        Response clash = given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY).contentType(ContentType.JSON)
                .body(Map.of("password", "another-password-1")).put("/api/v1/console-users/" + TestKeys.CONSOLE_OPERATOR);
        assertThat(clash.statusCode()).isEqualTo(400);
        assertThat(clash.asString()).contains("operator");
        // A partner with its own domain may have a user of that name.
        withKey(acmeAdminKey).contentType(ContentType.JSON).body(Map.of("password", "another-password-1"))
                .put("/api/v1/console-users/" + TestKeys.CONSOLE_OPERATOR).then().statusCode(200);
        assertThat(Api.queryString("select count(*) from console_user where username = ?", TestKeys.CONSOLE_OPERATOR)).isEqualTo("2");
        // An operator's key acts for no partner: it manages no partner's console users.
        given().header("Authorization", "Bearer " + TestKeys.OPERATOR_KEY).get("/api/v1/console-users").then().statusCode(403);
    }

    @Test
    void aConsoleWithoutUsersSaysOnItsSignInPageHowTheFirstAdministratorComesToExist() {
        TestPartners.create("initech", "initech.test.example");
        origins.refresh();
        String page = given().header("Host", "initech.test.example").get("/console/login").then().statusCode(200).extract().asString();
        assertThat(page).contains("id=\"first-run\"", "this console has no user yet", "PUT /api/v1/console-users/{name}",
                "API keys that has the admin role");

        // Once its first administrator exists, and on a console that has users, the form is alone.
        String key = TestPartners.issueKey("initech", "initech-admin", "admin");
        withKey(key).contentType(ContentType.JSON).body(Map.of("password", "initech-admin-password-1")).put("/api/v1/console-users/admin")
                .then().statusCode(200);
        assertThat(given().header("Host", "initech.test.example").get("/console/login").then().statusCode(200).extract().asString())
                .doesNotContain("first-run");
        assertThat(given().header("Host", ACME).get("/console/login").then().statusCode(200).extract().asString()).doesNotContain("first-run");
        assertThat(given().header("Host", TestKeys.SERVICE_DOMAIN).get("/console/login").then().statusCode(200).extract().asString())
                .doesNotContain("first-run");
    }

    @Test
    void aSessionCookieOfOneDomainIsWorthNothingOnAnother() {
        ConsoleSession acme = ConsoleSession.signIn(ACME, "admin", ACME_PASSWORD);
        for (String domain : List.of(GLOBEX, TestKeys.SERVICE_DOMAIN)) {
            Response elsewhere = acme.on(domain).get("/console/settings");
            assertThat(elsewhere.statusCode()).as(domain).isEqualTo(302);
            assertThat(elsewhere.header("Location")).as(domain).isEqualTo("https://" + domain + "/console/login");
        }
        Response post = acme.on(GLOBEX).post("/console/settings", Map.of("clientId", "ca_FromAcme"), acme.token());
        assertThat(post.statusCode()).isEqualTo(302);
        assertThat(Api.queryString("select count(*) from connector_settings where client_id is not null")).isEqualTo("0");
        // Partner default's session is worth nothing on a partner's domain either; on its own, its console is as before partners.
        ConsoleSession admin = ConsoleSession.admin();
        assertThat(admin.on(ACME).get("/console/settings").statusCode()).isEqualTo(302);
        assertThat(admin.get("/console/settings").then().statusCode(200).extract().asString())
                .contains("Signed in as " + TestKeys.CONSOLE_ADMIN + "</span>").doesNotContain("Partners</a>").doesNotContain("id=\"read-only\"");
        acme.get("/console/settings").then().statusCode(200);
    }

    @Test
    void guessesAreCountedPerDomainAndName() {
        for (int i = 0; i < MAX_GUESSES; i++) {
            assertThat(reason(ConsoleSession.signInAttempt(ACME, "admin", "wrong-password-" + i))).isEqualTo("wrong");
        }
        assertThat(reason(ConsoleSession.signInAttempt(ACME, "admin", ACME_PASSWORD))).isEqualTo("locked");
        // Globex's admin, of the same name, is not locked out by guesses on Acme's domain.
        ConsoleSession.signIn(GLOBEX, "admin", GLOBEX_PASSWORD);
        assertThat(Api.queryString("select string_agg(partner_id || ':' || subject || ':' || failures, ',') from sign_in_attempt"))
                .isEqualTo("acme:admin:" + MAX_GUESSES);
    }

    @Test
    void aDisabledPartnersUsersAreRefusedAtOnce() {
        ConsoleSession acme = ConsoleSession.signIn(ACME, "admin", ACME_PASSWORD);
        operatorApi(Map.of("status", "disabled")).patch("/api/v1/partners/acme").then().statusCode(200);
        // The open session stops at its next request; no password is checked or counted while disabled.
        assertThat(acme.get("/console/settings").statusCode()).isEqualTo(302);
        assertThat(reason(ConsoleSession.signInAttempt(ACME, "admin", ACME_PASSWORD))).isEqualTo("disabled");
        given().header("Host", ACME).get("/console/login?error=true&reason=disabled").then().statusCode(403)
                .body(org.hamcrest.Matchers.containsString("This console is disabled"));
        assertThat(Api.queryString("select count(*) from sign_in_attempt")).isEqualTo("0");
        ConsoleSession.signIn(GLOBEX, "admin", GLOBEX_PASSWORD).get("/console/settings").then().statusCode(200);
        operatorApi(Map.of("status", "active")).patch("/api/v1/partners/acme").then().statusCode(200);
        ConsoleSession.signIn(ACME, "admin", ACME_PASSWORD).get("/console/settings").then().statusCode(200);
    }

    // ---- the operators' console ----

    @Test
    void anOperatorListsThePartnersWithTheirInstallationsCounted() {
        install("acme", "shop-1", "CONNECTED");
        install("acme", "shop-2", "CONNECTED");
        install("acme", "shop-3", "REVOKED");
        install("globex", "shop-1", "CONNECTED");
        ConsoleSession operator = operator();
        Response landing = operator.get("/console/settings");
        assertThat(landing.statusCode()).isEqualTo(303);
        assertThat(landing.header("Location")).isEqualTo(ConsoleSession.ORIGIN + "/console/partners");
        String page = operator.get("/console/partners").then().statusCode(200).extract().asString();
        assertThat(row(page, "acme")).contains(ACME).contains("active").contains("connected 2 · revoked 1");
        assertThat(row(page, "globex")).contains(GLOBEX).contains("connected 1");
        assertThat(row(page, "default")).contains(TestKeys.SERVICE_DOMAIN).contains("none").doesNotContain("Disable");
        assertThat(page).contains("Signed in as " + TestKeys.CONSOLE_OPERATOR + " (operator)");
        // An operator signs in on the service's own domain only.
        assertThat(reason(ConsoleSession.signInAttempt(ACME, TestKeys.CONSOLE_OPERATOR, TestKeys.CONSOLE_OPERATOR_PASSWORD))).isEqualTo("wrong");
        // A partner's administrator has no operators' console.
        assertThat(ConsoleSession.signIn(ACME, "admin", ACME_PASSWORD).get("/console/partners").statusCode()).isEqualTo(403);
        assertThat(ConsoleSession.admin().get("/console/partners").statusCode()).isEqualTo(403);
    }

    @Test
    void anOperatorCreatesDisablesAndEnablesAPartner() {
        ConsoleSession operator = operator();
        String token = operator.token("/console/partners");
        // Refused: 303 back to the list, which shows each error next to its field and the values typed, also on a reload.
        Response invalid = operator.post("/console/partners", Map.of("id", "Not A Slug", "name", "", "serviceDomain", "not a domain"), token);
        assertThat(operator.formAgain(invalid, "/console/partners").then().statusCode(200).extract().asString()).contains("id-error")
                .contains("name-error").contains("serviceDomain-error").contains("value=\"Not A Slug\"");
        assertThat(Api.queryString("select count(*) from partner")).isEqualTo("3");

        Response created = operator.post("/console/partners", Map.of("id", "initech", "name", "Initech", "serviceDomain", "initech.test.example"), token);
        assertThat(created.statusCode()).isEqualTo(303);
        assertThat(created.header("Set-Cookie")).startsWith("console-partners-form=;").contains("Max-Age=0");
        assertThat(Api.queryString("select name || ' ' || service_domain || ' ' || status from partner where id = 'initech'"))
                .isEqualTo("Initech initech.test.example ACTIVE");
        assertThat(operator.formAgain(operator.post("/console/partners", Map.of("id", "initech", "name", "Again", "serviceDomain",
                "other.test.example"), token), "/console/partners").asString()).contains("Nothing was created.").contains("value=\"Again\"");

        ConsoleSession acme = ConsoleSession.signIn(ACME, "admin", ACME_PASSWORD);
        assertThat(operator.post("/console/partners/acme/status", Map.of("status", "disabled"), token).statusCode()).isEqualTo(303);
        assertThat(Api.queryString("select status from partner where id = 'acme'")).isEqualTo("DISABLED");
        assertThat(acme.get("/console/settings").statusCode()).isEqualTo(302);
        assertThat(row(operator.get("/console/partners").asString(), "acme")).contains("disabled").contains("Enable");
        assertThat(operator.post("/console/partners/acme/status", Map.of("status", "active"), token).statusCode()).isEqualTo(303);
        assertThat(Api.queryString("select status from partner where id = 'acme'")).isEqualTo("ACTIVE");
        // Partner default cannot be disabled, whatever the form says; a forged form changes nothing.
        assertThat(operator.formAgain(operator.post("/console/partners/default/status", Map.of("status", "disabled"), token), "/console/partners")
                .asString()).contains("Nothing was changed");
        assertThat(operator.post("/console/partners/acme/status", Map.of("status", "disabled"), "forged").statusCode()).isEqualTo(403);
        assertThat(Api.queryString("select string_agg(status, ',' order by id) from partner")).isEqualTo("ACTIVE,ACTIVE,ACTIVE,ACTIVE");
        // In acme's audit trail, by the operator's console user (forwarded addresses are off here: the sender's own): two changes, no refused one.
        assertThat(Api.queryString("select string_agg(action || ' ' || actor_kind || ' ' || actor_name || ' ' || fields || ' ' || client_address, ';'"
                + " order by occurred_at) from audit_record where partner_id = 'acme' and action = 'partner.update'"))
                .isEqualTo("partner.update user operator " + TestKeys.CONSOLE_OPERATOR + " status 127.0.0.1;partner.update user operator "
                        + TestKeys.CONSOLE_OPERATOR + " status 127.0.0.1");
    }

    @Test
    void anOperatorOpensAPartnersConsoleReadOnlyAndItsPostsAreRefused() {
        ConsoleSession operator = operator();
        Response opened = operator.post("/console/partners/acme/open", Map.of(), operator.token("/console/partners"));
        assertThat(opened.statusCode()).isEqualTo(303);
        assertThat(opened.header("Location")).isEqualTo(ConsoleSession.ORIGIN + "/console/settings");
        String view = opened.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("connector-console-partner=acme;"))
                .findFirst().orElseThrow();
        assertThat(view).contains("HttpOnly").contains("Secure").contains("SameSite=Strict");
        ConsoleSession viewing = operator.with("connector-console-partner", "acme");
        for (String path : List.of("/console/settings", "/console/installations", "/console/events", "/console/audit")) {
            String page = viewing.get(path).then().statusCode(200).extract().asString();
            assertThat(page).as(path).contains("Partner <strong>acme</strong>'s console, read-only");
            // Every form that posts is disabled, but signing out.
            assertThat(page.split("<form method=\"post\"", -1).length - 1).as(path)
                    .isEqualTo(page.split("<fieldset disabled class=\"read-only\">", -1).length - 1 + 1);
        }
        String token = ConsoleSession.tokenOf(viewing.get("/console/settings").asString());
        for (Map.Entry<String, Map<String, String>> post : Map.of(
                "/console/settings", Map.of("clientId", "ca_ByTheOperator"),
                "/console/installations", Map.of("accountId", "shop-9"),
                "/console/events", Map.of("url", "https://receiver.example/hook")).entrySet()) {
            Response refused = viewing.post(post.getKey(), post.getValue(), token);
            assertThat(refused.statusCode()).as(post.getKey()).isEqualTo(403);
            assertThat(refused.asString()).as(post.getKey()).contains("An operator cannot change a partner");
        }
        assertThat(Api.queryString("select count(*) from connector_settings where client_id is not null")).isEqualTo("0");
        assertThat(Api.queryString("select count(*) from account_connector")).isEqualTo("0");
        assertThat(Api.queryString("select count(*) from event_subscription")).isEqualTo("0");
        // Back on the list the partner's console closes; the operator still signs out.
        Response list = viewing.get("/console/partners");
        assertThat(list.headers().getValues("Set-Cookie")).anyMatch(c -> c.startsWith("connector-console-partner=;") && c.contains("Max-Age=0"));
        // A partner that does not exist opens nothing; the cookie naming one is ignored.
        assertThat(operator.post("/console/partners/nobody/open", Map.of(), token).statusCode()).isEqualTo(404);
        assertThat(operator.with("connector-console-partner", "nobody").get("/console/settings").statusCode()).isEqualTo(303);
        // The cookie means nothing to a partner's own user: they act for their partner only.
        String own = ConsoleSession.signIn(GLOBEX, "admin", GLOBEX_PASSWORD).with("connector-console-partner", "acme")
                .get("/console/settings").then().statusCode(200).extract().asString();
        assertThat(own).contains("partner globex").doesNotContain("id=\"read-only\"").doesNotContain("disabled class=\"read-only\"");
        Response out = viewing.post("/console/logout", Map.of(), token);
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.header("Location")).isEqualTo(ConsoleSession.ORIGIN + "/console/login?signedOut=true");
    }

    private static void install(String partner, String accountId, String status) {
        OffsetDateTime now = OffsetDateTime.now();
        Api.update("insert into account_connector (id, partner_id, account_id, status, created_at, updated_at, version) values (?, ?, ?, ?, ?, ?, 0)",
                UUID.randomUUID(), partner, accountId, status, now, now);
    }

    /** The partners page's row of one partner. */
    private static String row(String page, String partner) {
        int start = page.indexOf("<tr id=\"partner-" + partner + "\">");
        assertThat(start).as("the row of " + partner).isNotNegative();
        return page.substring(start, page.indexOf("</tr>", start));
    }
}
