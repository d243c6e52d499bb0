package dev.stripeconnector.console;

import static dev.stripeconnector.support.Api.api;
import static dev.stripeconnector.support.Api.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.Concurrently;
import dev.stripeconnector.support.ConsoleSession;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.StripeStubs;
import dev.stripeconnector.support.TestKeys;
import dev.stripeconnector.support.WireMockResource.InjectWireMock;
import dev.stripeconnector.support.hostile.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The partner's console over HTTP: who gets in, what every form refuses, and what each page changes. */
@QuarkusTest
class ConsoleTest {

    /** connector.console.sign-in.max-guesses, left at its default in the tests. */
    private static final int MAX_GUESSES = 5;

    @InjectWireMock
    WireMockServer stripe;

    @BeforeEach
    void fresh() {
        Api.resetDatabase();
        Api.update("delete from sign_in_attempt");
        Api.update("delete from console_user where username not in (?, ?)", TestKeys.CONSOLE_ADMIN, TestKeys.CONSOLE_OPERATOR);
        stripe.resetAll();
    }

    /** A request with the admin role's API key, with a JSON body. */
    static io.restassured.specification.RequestSpecification ops(Object body) {
        return given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY).contentType("application/json").body(body);
    }

    // ---- who gets in ----

    @Test
    void nothingUnderTheConsoleWithoutSigningIn() {
        for (String path : List.of("/console", "/console/settings", "/console/installations", "/console/installations/shop-1",
                "/console/installations/shop-1/remove", "/console/nope")) {
            Response answer = given().redirects().follow(false).get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(302);
            assertThat(answer.header("Location")).as(path).endsWith("/console/login");
            assertThat(answer.asString()).as(path).doesNotContain("Settings");
        }
        Response post = given().redirects().follow(false).header("Origin", ConsoleSession.ORIGIN)
                .contentType("application/x-www-form-urlencoded").formParam("clientId", "ca_Forged1")
                .post("/console/settings");
        assertThat(post.statusCode()).isEqualTo(302);
        api().get("/api/v1/connector").then().statusCode(200).body("clientId", org.hamcrest.Matchers.nullValue());
        // An API key is not a console session, and a console session is not an API key.
        assertThat(api().redirects().follow(false).get("/console/settings").statusCode()).isEqualTo(302);
        ConsoleSession admin = ConsoleSession.admin();
        admin.get("/api/v1/connector").then().statusCode(401);
        // The sign-in page and the console's script are public.
        given().get("/console/login").then().statusCode(200).contentType(org.hamcrest.Matchers.containsString("text/html"));
        given().get("/console/assets/console.js").then().statusCode(200);
    }

    @Test
    void signingInGivesAnEncryptedHttpOnlyStrictCookieScopedToTheConsole() {
        Response answer = ConsoleSession.signInAttempt(TestKeys.CONSOLE_ADMIN, TestKeys.CONSOLE_PASSWORD);
        assertThat(answer.statusCode()).isEqualTo(302);
        String setCookie = answer.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("connector-console=")).findFirst()
                .orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/console")
                // The tests' public base URL is https: the cookie is Secure even over this plain-HTTP test connection.
                .contains("Secure")
                .doesNotContain(TestKeys.CONSOLE_ADMIN);
        ConsoleSession admin = ConsoleSession.admin();
        String page = admin.get("/console/settings").then().statusCode(200).extract().asString();
        assertThat(page).contains("Signed in as " + TestKeys.CONSOLE_ADMIN).contains("https://" + TestKeys.SERVICE_DOMAIN + "/connector/callback");
        assertThat(admin.get("/console/settings").header("Content-Security-Policy")).contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(admin.get("/console/settings").header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void aWrongPasswordIsRefusedAndRepeatedFailuresLockTheNameAcrossReplicas() {
        ops(Map.of("password", "another-password-123")).put("/api/v1/console-users/locked-out").then().statusCode(200);
        for (int i = 0; i < MAX_GUESSES; i++) {
            Response answer = ConsoleSession.signInAttempt("locked-out", "wrong-password-" + i);
            assertThat(answer.statusCode()).isEqualTo(302);
            assertThat(ConsoleSession.refusal(answer)).isEqualTo("wrong");
            assertThat(ConsoleSession.keptName(answer)).as("the name, kept").isEqualTo("locked-out");
            assertThat(answer.cookie(ConsoleSession.COOKIE)).isNull();
        }
        // The page says the password was wrong, and keeps the name in its field.
        String wrong = given().cookie(dev.stripeconnector.security.SignInForm.NAME_COOKIE,
                        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("locked-out".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .get("/console/login?error=true&reason=wrong").then().statusCode(401).extract().asString();
        assertThat(signInMessage(wrong)).isEqualTo("Wrong user name or password.");
        assertThat(wrong).contains("name=\"j_username\" value=\"locked-out\"");
        // Now even the right password is refused unchecked, because the count lives in PostgreSQL, shared by every replica.
        assertThat(Api.queryString("select failures from sign_in_attempt where subject = 'locked-out'")).isEqualTo(String.valueOf(MAX_GUESSES));
        assertThat(Api.queryString("select locked_until > now() + interval '14 minutes' from sign_in_attempt where subject = 'locked-out'"))
                .isEqualTo("t");
        Response locked = ConsoleSession.signInAttempt("Locked-Out", "another-password-123");
        assertThat(ConsoleSession.refusal(locked)).isEqualTo("locked");
        assertThat(ConsoleSession.keptName(locked)).isEqualTo("Locked-Out");
        // The page says for how long (the lock runs 15 minutes from the last failure, rounded up), not that the password was wrong.
        String page = ConsoleSession.following(locked).get(path(locked)).then().statusCode(429).extract().asString();
        assertThat(signInMessage(page)).isEqualTo("This user name is locked for 15 more minutes after too many sign-in attempts. No password was checked.");
        assertThat(page).contains("value=\"Locked-Out\"").doesNotContain("Wrong user name");
        // The minutes are what is left, read when the page is shown: 3 minutes 20 seconds are 4 more minutes.
        Api.update("update sign_in_attempt set window_started_at = now() - interval '14 minutes', locked_until = now() + interval '200 seconds'"
                + " where subject = 'locked-out'");
        assertThat(signInMessage(ConsoleSession.following(locked).get(path(locked)).then().statusCode(429).extract().asString()))
                .startsWith("This user name is locked for 4 more minutes");
        // Once the lock has passed, the page says so, and the right password works again and clears the count.
        Api.update("update sign_in_attempt set locked_until = now() - interval '1 second', window_started_at = now() - interval '1 hour' where subject = 'locked-out'");
        assertThat(signInMessage(ConsoleSession.following(locked).get(path(locked)).then().statusCode(429).extract().asString()))
                .isEqualTo("This user name is not locked any more: sign in again.");
        ConsoleSession.signIn("locked-out", "another-password-123");
        assertThat(Api.queryString("select count(*) from sign_in_attempt where subject = 'locked-out'")).isEqualTo("0");
    }

    @Test
    void anUnknownNameIsCountedAndLockedExactlyAsAUserIsSoNothingTellsWhichNamesExist() {
        ops(Map.of("password", "someone-password-123")).put("/api/v1/console-users/someone").then().statusCode(200);
        for (String name : List.of("someone", "no-one-by-that-name")) {
            for (int i = 0; i < MAX_GUESSES; i++) {
                Response answer = ConsoleSession.signInAttempt(name, "wrong-password-" + i);
                assertThat(ConsoleSession.refusal(answer)).isEqualTo("wrong");
                assertThat(ConsoleSession.keptName(answer)).isEqualTo(name);
            }
            assertThat(Api.queryString("select failures from sign_in_attempt where subject = ?", name)).isEqualTo(String.valueOf(MAX_GUESSES));
        }
        Response user = ConsoleSession.signInAttempt("someone", "someone-password-123");
        Response nobody = ConsoleSession.signInAttempt("no-one-by-that-name", "someone-password-123");
        assertThat(ConsoleSession.refusal(user)).isEqualTo("locked");
        assertThat(ConsoleSession.refusal(nobody)).isEqualTo("locked");
        assertThat(nobody.header("Location")).isEqualTo(user.header("Location"));
        String userPage = ConsoleSession.following(user).get(path(user)).then().statusCode(429).extract().asString();
        String nobodyPage = ConsoleSession.following(nobody).get(path(nobody)).then().statusCode(429).extract().asString();
        assertThat(signInMessage(nobodyPage)).isEqualTo(signInMessage(userPage)).contains("locked for 15 more minutes");
        assertThat(nobodyPage.replace("no-one-by-that-name", "NAME")).isEqualTo(userPage.replace("someone", "NAME"));
    }

    @Test
    void theUserNameComesBackEscapedInItsField() {
        String name = "<b>\"x\"&amp;";
        Response answer = ConsoleSession.signInAttempt(name, "wrong-password-1");
        String page = ConsoleSession.following(answer).get(path(answer)).then().statusCode(401).extract().asString();
        assertThat(page).contains("value=\"&lt;b&gt;&quot;x&quot;&amp;amp;\"").doesNotContain("<b>\"x");
        assertThat(SignInResource.minutes(java.time.Duration.ofSeconds(14 * 60 + 1))).isEqualTo(15);
        assertThat(SignInResource.minutes(java.time.Duration.ofMillis(1))).isEqualTo(1);
        assertThat(SignInResource.minutes(java.time.Duration.ofMinutes(15))).isEqualTo(15);
    }

    /** The path and query of a redirect, to follow it on the service's own domain. */
    private static String path(Response redirect) {
        java.net.URI location = java.net.URI.create(redirect.header("Location"));
        return location.getRawPath() + "?" + location.getRawQuery();
    }

    /** The sign-in page's error message. */
    private static String signInMessage(String page) {
        java.util.regex.Matcher message = java.util.regex.Pattern.compile("<p class=\"flash problem\" role=\"alert\">([^<]*)</p>").matcher(page);
        assertThat(message.find()).as("an error message on the sign-in page").isTrue();
        return message.group(1);
    }

    @Test
    void fiftySimultaneousWrongPasswordsAtAFreshNameHaveExactlyTheAllowedGuessesChecked() throws Exception {
        List<Response> answers = Concurrently.run(50, i -> ConsoleSession.signInAttempt("fresh-name", "wrong-password-" + i));
        Map<String, Long> reasons = reasons(answers);
        // The wrong answers are the passwords that were checked; the others were refused before any check.
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of("wrong", (long) MAX_GUESSES, "locked", 50L - MAX_GUESSES));
        assertThat(Api.queryString("select failures from sign_in_attempt where subject = 'fresh-name'")).isEqualTo(String.valueOf(MAX_GUESSES));
        assertThat(Api.queryString("select locked_until > now() from sign_in_attempt where subject = 'fresh-name'")).isEqualTo("t");
    }

    @Test
    void theRightPasswordFiredAmongWrongOnesIsCheckedOnlyWithinTheAllowedGuesses() throws Exception {
        ops(Map.of("password", "the-right-password-1")).put("/api/v1/console-users/guessed").then().statusCode(200);
        long seed = Long.getLong("signin.seed", 19L);
        System.out.println("[sign-in race] seed " + seed + " (-Dsignin.seed to replay)");
        java.util.Random random = new java.util.Random(seed);
        int attempts = 16;
        int rounds = 4;
        int gotIn = 0;
        for (int round = 0; round < rounds; round++) {
            Api.update("delete from sign_in_attempt");
            int right = random.nextInt(attempts);
            List<Response> answers = Concurrently.run(attempts,
                    i -> ConsoleSession.signInAttempt("guessed", i == right ? "the-right-password-1" : "wrong-password-" + i));
            Map<String, Long> reasons = reasons(answers);
            long wrong = reasons.getOrDefault("wrong", 0L);
            long signedIn = reasons.getOrDefault("signed-in", 0L);
            assertThat(reasons.keySet()).as("round %d: %s", round, reasons).isSubsetOf("wrong", "locked", "signed-in");
            if (signedIn == 0) {
                assertThat(reasons).as("round %d", round).containsEntry("wrong", (long) MAX_GUESSES).containsEntry("locked", (long) attempts - MAX_GUESSES);
                continue;
            }
            gotIn++;
            // A success clears the count; guesses that came after it are counted afresh (and stay stored). So the guesses
            // checked before the right one, with it, are the wrong answers less the stored count, plus one.
            String stored = Api.queryString("select failures from sign_in_attempt where subject = 'guessed'");
            long after = stored == null ? 0 : Long.parseLong(stored);
            assertThat(after).as("round %d: guesses checked after the right one got in (%s)", round, reasons).isLessThanOrEqualTo(MAX_GUESSES);
            assertThat(wrong - after + 1).as("round %d: guesses checked until the right one got in (%s)", round, reasons)
                    .isBetween(1L, (long) MAX_GUESSES);
            assertThat(reasons.getOrDefault("locked", 0L)).as("round %d: refused unchecked", round).isEqualTo(attempts - 1 - wrong);
        }
        System.out.printf("[sign-in race] the right password got in %d of %d rounds (its share: %d of %d guesses)%n", gotIn, rounds,
                MAX_GUESSES, attempts);
    }

    /** How many sign-in answers went which way: signed in, or the reason the sign-in page gives. */
    private static Map<String, Long> reasons(List<Response> answers) {
        return answers.stream().collect(java.util.stream.Collectors.groupingBy(answer -> {
            String location = String.valueOf(answer.header("Location"));
            if (answer.statusCode() == 302 && location.endsWith("/console/settings")) {
                return "signed-in";
            }
            return answer.statusCode() + " " + (location.contains("reason=") ? ConsoleSession.refusal(answer) : location);
        }, java.util.stream.Collectors.counting())).entrySet().stream().collect(java.util.stream.Collectors.toMap(
                e -> e.getKey().startsWith("302 ") ? e.getKey().substring(4) : e.getKey(), Map.Entry::getValue));
    }

    @Test
    void aSignInFormThatCannotBeOneGetsTheSignInPageWithAnErrorAndNothingIsChecked() throws Exception {
        String name = "j_username=" + TestKeys.CONSOLE_ADMIN;
        String password = "j_password=" + TestKeys.CONSOLE_PASSWORD;
        try (LogCapture logs = LogCapture.start(false)) {
            // A chunked form is read whole by the sign-in, like any other.
            assertThat(rawSignIn(true, "application/x-www-form-urlencoded", name + "&" + password)).startsWith("HTTP/1.1 302")
                    .containsPattern("(?i)location: \\S*/console/settings\r\n").contains("connector-console=");
            Map<String, String> invalid = new java.util.LinkedHashMap<>();
            invalid.put("chunked, one field over the form limits", name + "&" + password + "&pad=" + "x".repeat(100_000));
            invalid.put("chunked, over 4 KiB in small fields", name + "&" + password + ("&pad=" + "x".repeat(100)).repeat(60));
            invalid.put("chunked, more fields than the form decoder takes", name + "&" + password + "&a".repeat(300));
            invalid.put("chunked, no password", name);
            invalid.put("chunked, NUL in the name", "j_username=a%00b&" + password);
            for (Map.Entry<String, String> form : invalid.entrySet()) {
                assertThat(rawSignIn(true, "application/x-www-form-urlencoded", form.getValue())).as(form.getKey())
                        .startsWith("HTTP/1.1 302").contains("/console/login?error=true&reason=invalid").doesNotContain("connector-console=");
            }
            assertThat(rawSignIn(false, "application/x-www-form-urlencoded", name + "&" + password + "&pad=" + "x".repeat(100_000)))
                    .as("a declared length over the limit").startsWith("HTTP/1.1 302").contains("/console/login?error=true&reason=invalid");
            assertThat(rawSignIn(false, "application/json", "{\"j_username\":\"a\"}")).as("not a form")
                    .startsWith("HTTP/1.1 302").contains("reason=invalid");
            assertThat(rawSignIn(false, null, name + "&" + password)).as("no content type").startsWith("HTTP/1.1 302").contains("reason=invalid");
            assertThat(rawSignIn(false, "application/x-www-form-urlencoded", name)).as("no password").contains("reason=invalid");
            Map<String, String[]> fields = Map.of(
                    "NUL in the name", new String[] {"a\u0000b", "whatever-password"},
                    "NUL in the password", new String[] {TestKeys.CONSOLE_ADMIN, "test-console\u0000password-42"},
                    "a name over 64 characters", new String[] {"n".repeat(65), "whatever-password"},
                    "a password over 200 characters", new String[] {TestKeys.CONSOLE_ADMIN, "p".repeat(201)},
                    "an empty name", new String[] {"", "whatever-password"});
            fields.forEach((what, values) -> {
                Response answer = ConsoleSession.signInAttempt(values[0], values[1]);
                assertThat(answer.statusCode()).as(what).isEqualTo(302);
                assertThat(ConsoleSession.refusal(answer)).as(what).isEqualTo("invalid");
            });
            String page = given().get("/console/login?error=true&reason=invalid").then().statusCode(400).extract().asString();
            assertThat(page).contains("The sign-in form could not be read").contains("No password was checked");
            assertThat(logs.entries()).filteredOn(e -> e.isError() || e.hasThrown()).extracting(LogCapture.Entry::text).isEmpty();
        }
        // No guess was taken for any of them (the one chunked sign-in with the right password cleared its own).
        assertThat(Api.queryString("select count(*) from sign_in_attempt")).isEqualTo("0");
    }

    /** Posts a sign-in form over a plain socket (chunked, or with its length declared) and answers the status line and headers. */
    private static String rawSignIn(boolean chunked, String contentType, String form) throws java.io.IOException {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST /console/j_security_check HTTP/1.1\r\nHost: " + TestKeys.SERVICE_DOMAIN + "\r\nOrigin: " + ConsoleSession.ORIGIN
                + "\r\nConnection: close\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append(chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: " + body.length + "\r\n\r\n");
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            try {
                if (chunked) {
                    for (int from = 0; from < body.length; from += 1000) {
                        int length = Math.min(1000, body.length - from);
                        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body, from, length);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    out.write(body);
                }
                out.flush();
            } catch (java.io.IOException closed) {
                // The service answered and closed before the whole body was sent: its answer is still there to read.
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = answer.indexOf("\r\n\r\n");
            return end < 0 ? answer : answer.substring(0, end);
        }
    }

    @Test
    void aPasswordChangeOrADisableEndsEveryOpenSessionOfThatUser() {
        ops(Map.of("password", "colleague-password-1")).put("/api/v1/console-users/colleague").then().statusCode(200);
        ConsoleSession before = ConsoleSession.signIn("colleague", "colleague-password-1");
        ConsoleSession admin = ConsoleSession.admin();
        before.get("/console/installations").then().statusCode(200);

        ops(Map.of("password", "colleague-password-2")).put("/api/v1/console-users/colleague").then().statusCode(200);
        Response ended = before.get("/console/installations");
        assertThat(ended.statusCode()).isEqualTo(302);
        assertThat(ended.header("Location")).endsWith("/console/login");
        // Another user's session goes on; the new password opens a new one.
        admin.get("/console/installations").then().statusCode(200);
        ConsoleSession after = ConsoleSession.signIn("colleague", "colleague-password-2");
        after.get("/console/installations").then().statusCode(200);

        // Disabling ends it too, and enabling again does not bring it back.
        ops(Map.of("enabled", false)).put("/api/v1/console-users/colleague").then().statusCode(200);
        assertThat(after.get("/console/installations").header("Location")).endsWith("/console/login");
        ops(Map.of("enabled", true)).put("/api/v1/console-users/colleague").then().statusCode(200);
        assertThat(after.get("/console/installations").header("Location")).endsWith("/console/login");
        ConsoleSession.signIn("colleague", "colleague-password-2").get("/console/installations").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("Signed in as colleague"));
    }

    @Test
    void aSignInFormPostedFromAnotherSiteIsRefused() {
        Response forged = given().redirects().follow(false).header("Origin", "https://evil.example")
                .formParam("j_username", TestKeys.CONSOLE_ADMIN).formParam("j_password", TestKeys.CONSOLE_PASSWORD)
                .post("/console/j_security_check");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.cookie(ConsoleSession.COOKIE)).isNull();
        assertThat(forged.asString()).contains("This form came from another site");
        Response noOrigin = given().redirects().follow(false)
                .formParam("j_username", TestKeys.CONSOLE_ADMIN).formParam("j_password", TestKeys.CONSOLE_PASSWORD)
                .post("/console/j_security_check");
        assertThat(noOrigin.statusCode()).isEqualTo(403);
    }

    @Test
    void aDisabledUserLosesAccessAtTheNextRequest() {
        ops(Map.of("password", "colleague-password-1")).put("/api/v1/console-users/colleague").then().statusCode(200)
                .body("enabled", org.hamcrest.Matchers.equalTo(true))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("password")));
        ConsoleSession colleague = ConsoleSession.signIn("colleague", "colleague-password-1");
        colleague.get("/console/installations").then().statusCode(200);
        ops(Map.of("enabled", false)).put("/api/v1/console-users/colleague").then().statusCode(200)
                .body("enabled", org.hamcrest.Matchers.equalTo(false));
        Response after = colleague.get("/console/installations");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(after.header("Location")).endsWith("/console/login");
        assertThat(ConsoleSession.refusal(ConsoleSession.signInAttempt("colleague", "colleague-password-1"))).isEqualTo("wrong");
        // The list never shows a password or its hash.
        String users = given().header("Authorization", "Bearer " + TestKeys.OPS_API_KEY).get("/api/v1/console-users").then().statusCode(200).extract().asString();
        assertThat(users).contains("colleague").doesNotContain("colleague-password-1").doesNotContain("$2a$");
        assertThat(Api.queryString("select password from console_user where username = 'colleague'")).startsWith("$2");
    }

    @Test
    void consoleUsersAreManagedOnlyWithTheAdminRoleAndValidated() {
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/console-users").then().statusCode(403);
        ops(Map.of("password", "short")).put("/api/v1/console-users/newcomer").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("password"));
        ops(Map.of("enabled", true)).put("/api/v1/console-users/newcomer").then().statusCode(400);
        ops(Map.of("password", "long-enough-password")).put("/api/v1/console-users/bad%20name").then().statusCode(400);
    }

    @Test
    void signingOutEndsTheSessionInTheBrowser() {
        ConsoleSession admin = ConsoleSession.admin();
        Response out = admin.post("/console/logout", Map.of());
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.header("Location")).endsWith("/console/login?signedOut=true");
        String cleared = out.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("connector-console=")).findFirst()
                .orElseThrow();
        assertThat(cleared).containsIgnoringCase("Max-Age=0");
        given().get("/console/login?signedOut=true").then().statusCode(200).body(org.hamcrest.Matchers.containsString("You are signed out"));
    }

    // ---- forms ----

    @Test
    void everyFormNeedsTheUsersTokenAndTheServicesOrigin() {
        ConsoleSession admin = ConsoleSession.admin();
        Response noToken = admin.request().header("Origin", ConsoleSession.ORIGIN).contentType("application/x-www-form-urlencoded")
                .formParam("clientId", "ca_NoToken1").post("/console/settings");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.asString()).contains("nothing was changed");
        Response wrongToken = admin.request().header("Origin", ConsoleSession.ORIGIN).contentType("application/x-www-form-urlencoded")
                .formParam("clientId", "ca_WrongToken1").formParam("_csrf", "forged").post("/console/settings");
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        Response crossSite = admin.request().header("Origin", "https://evil.example").contentType("application/x-www-form-urlencoded")
                .formParam("clientId", "ca_CrossSite1").formParam("_csrf", admin.token()).post("/console/settings");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        api().get("/api/v1/connector").then().statusCode(200).body("clientId", org.hamcrest.Matchers.nullValue());
        // Another user's token does not fit this user.
        ops(Map.of("password", "colleague-password-1")).put("/api/v1/console-users/colleague").then().statusCode(200);
        String colleagueToken = ConsoleSession.signIn("colleague", "colleague-password-1").token();
        assertThat(colleagueToken).isNotEqualTo(admin.token());
    }

    @Test
    void settingsShowErrorsNextToTheirFieldsKeepTheValuesAndSaveNothingUntilValid() {
        ConsoleSession admin = ConsoleSession.admin();
        Response invalid = admin.post("/console/settings", Map.of("clientId", "not-a-client-id", "clientSecret", "pk_test_NotASecret",
                "defaultScope", "read_write", "accountType", "standard"));
        // Post, then 303 back to the settings page, which shows the problems; reloading it shows them again.
        String page = admin.formAgain(invalid, "/console/settings").then().statusCode(200).extract().asString();
        assertThat(admin.formAgain(invalid, "/console/settings").asString()).contains("id=\"clientId-error\"").doesNotContain("Saved.");
        assertThat(invalid.cookie("console-settings-form")).doesNotContain("pk_test_NotASecret");
        assertThat(page).contains("id=\"clientId-error\"").contains("id=\"clientSecret-error\"")
                .contains("value=\"not-a-client-id\"").doesNotContain("pk_test_NotASecret");
        api().get("/api/v1/connector").then().body("clientId", org.hamcrest.Matchers.nullValue())
                .body("clientSecret.set", org.hamcrest.Matchers.equalTo(false));

        Response saved = admin.post("/console/settings", Map.of("clientId", Flows.CLIENT_ID, "clientSecret", Flows.SECRET,
                "defaultScope", "read_only", "accountType", "express"));
        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(saved.header("Location")).endsWith("/console/settings?saved=true");
        // The earlier problems are cleared with the save.
        assertThat(saved.header("Set-Cookie")).startsWith("console-settings-form=;").contains("Max-Age=0");
        api().get("/api/v1/connector").then().body("clientId", org.hamcrest.Matchers.equalTo(Flows.CLIENT_ID))
                .body("clientSecret.last4", org.hamcrest.Matchers.equalTo("9999"))
                .body("defaultScope", org.hamcrest.Matchers.equalTo("read_only"))
                .body("accountType", org.hamcrest.Matchers.equalTo("express"));
        String after = admin.get("/console/settings?saved=true").asString();
        assertThat(after).contains("Saved.").contains("ending in <code>9999</code>").contains("test mode").doesNotContain(Flows.SECRET);

        // The support contact: validated, kept (escaped) on an error, saved as the API shows it.
        Response badContact = admin.post("/console/settings", Map.of("clientId", Flows.CLIENT_ID, "defaultScope", "read_only",
                "accountType", "express", "supportContact", "javascript:alert(\"x\")"));
        assertThat(admin.formAgain(badContact, "/console/settings").asString()).contains("id=\"supportContact-error\"").contains("The support contact must be an email address")
                .contains("value=\"javascript:alert(&quot;x&quot;)\"").contains("maxlength=\"200\"");
        api().get("/api/v1/connector").then().body("supportContact", org.hamcrest.Matchers.nullValue());
        admin.post("/console/settings", Map.of("clientId", Flows.CLIENT_ID, "defaultScope", "read_only", "accountType", "express",
                "supportContact", " help@partner.example ")).then().statusCode(303);
        api().get("/api/v1/connector").then().body("supportContact", org.hamcrest.Matchers.equalTo("help@partner.example"));
        assertThat(admin.get("/console/settings").asString()).contains("value=\"help@partner.example\"");

        // An empty secret keeps the stored one; the checkbox clears it.
        admin.post("/console/settings", Map.of("clientId", Flows.CLIENT_ID, "clientSecret", "", "defaultScope", "read_write",
                "accountType", "standard")).then().statusCode(303);
        api().get("/api/v1/connector").then().body("clientSecret.set", org.hamcrest.Matchers.equalTo(true));
        admin.post("/console/settings", Map.of("clientId", "", "clearClientSecret", "true", "defaultScope", "read_write",
                "accountType", "standard")).then().statusCode(303);
        api().get("/api/v1/connector").then().body("clientId", org.hamcrest.Matchers.nullValue())
                .body("clientSecret.set", org.hamcrest.Matchers.equalTo(false));
    }

    @Test
    void aSettingsChangeThatWouldStrandConnectionsIsRefusedOnThePage() {
        Flows.consoleSetup();
        Flows.connect(stripe, "shop-1");
        ConsoleSession admin = ConsoleSession.admin();
        Response refused = admin.post("/console/settings", Map.of("clientId", "", "defaultScope", "read_write", "accountType", "standard"));
        assertThat(admin.formAgain(refused, "/console/settings").asString()).contains("Nothing was saved").contains("value=\"\"");
        api().get("/api/v1/connector").then().body("clientId", org.hamcrest.Matchers.equalTo(Flows.CLIENT_ID));
    }

    // ---- installations ----

    @Test
    void installationsAreListedFilteredSearchedAndPaged() {
        Flows.consoleSetup();
        ConsoleSession admin = ConsoleSession.admin();
        // With nothing installed and no filter, the page says what to do rather than that nothing matched.
        assertThat(admin.get("/console/installations").asString()).contains("No installations yet: install the connector")
                .doesNotContain("No installation matches");
        Flows.connect(stripe, "shop-connected");
        json("{\"name\":\"Blue Bakery\"}").put("/api/v1/accounts/shop-named/connector").then().statusCode(201);
        for (int i = 0; i < 55; i++) {
            json("{}").put("/api/v1/accounts/bulk-" + String.format("%03d", i) + "/connector").then().statusCode(201);
        }
        String all = admin.get("/console/installations").then().statusCode(200).extract().asString();
        assertThat(all).contains("bulk-000").contains("50 shown of 57").contains("Next page").doesNotContain("Previous page");
        String connected = admin.get("/console/installations?status=connected").asString();
        assertThat(connected).contains("shop-connected").contains(Flows.STRIPE_USER_ID).doesNotContain("bulk-000").contains("1 shown of 1");
        // The search finds a part of the account id, the name or the Stripe account id, whatever the case.
        String searched = admin.get("/console/installations?q=BULK-05").asString();
        assertThat(searched).contains("bulk-050").contains("bulk-054").doesNotContain("bulk-049").doesNotContain("shop-connected")
                .contains("5 shown of 5");
        assertThat(admin.get("/console/installations?q=bakery").asString()).contains("shop-named").contains("1 shown of 1");
        assertThat(admin.get("/console/installations?q=" + Flows.STRIPE_USER_ID.toLowerCase(java.util.Locale.ROOT)).asString())
                .contains("shop-connected").contains("1 shown of 1");
        assertThat(admin.get("/console/installations?q=connectedacct").asString()).contains("shop-connected").doesNotContain("bulk-000");
        // The next page link carries on where the first ended; its previous link goes back to the first.
        java.util.regex.Matcher next = java.util.regex.Pattern.compile("href=\"(/console/installations\\?[^\"]+cursor=[^\"]+)\" rel=\"next\"").matcher(all);
        assertThat(next.find()).isTrue();
        String second = admin.get(next.group(1).replace("&amp;", "&")).then().statusCode(200).extract().asString();
        assertThat(second).contains("bulk-050").contains("shop-connected").doesNotContain("bulk-049").contains("7 shown of 57")
                .doesNotContain("Next page");
        java.util.regex.Matcher previous = java.util.regex.Pattern.compile("href=\"(/console/installations\\?[^\"]+cursor=[^\"]+)\" rel=\"prev\"")
                .matcher(second);
        assertThat(previous.find()).isTrue();
        String back = admin.get(previous.group(1).replace("&amp;", "&")).then().statusCode(200).extract().asString();
        assertThat(back).contains("bulk-000").contains("bulk-049").doesNotContain("bulk-050").contains("50 shown of 57")
                .doesNotContain("Previous page");
        // An empty result names the filter, escaped.
        admin.get("/console/installations?status=error&q=<script>").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("No installation matches status error and “&lt;script&gt;”."))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("<script>")));
        // A search that cannot be one is answered on the page, not as an error page.
        admin.get("/console/installations?q=" + "x".repeat(256)).then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("Nothing to show"));
        admin.get("/console/installations?status=bogus").then().statusCode(400);
    }

    @Test
    void theInstallationPageWarnsOfAClientIdAndSecretKeyFromDifferentSources() {
        json(Map.of("clientId", "ca_ConsoleMix1")).put("/api/v1/connector").then().statusCode(200);
        json(Map.of("clientSecret", "sk_test_ShopOwnKey4444")).put("/api/v1/accounts/shop-mix/connector").then().statusCode(201);
        String page = ConsoleSession.admin().get("/console/installations/shop-mix").then().statusCode(200).extract().asString();
        assertThat(page).contains("<p class=\"flash problem\">The client ID comes from the console but the secret key from the account")
                .contains("owns client ID ca_ConsoleMix1: enter both on the account, or neither");
    }

    @Test
    void aKeyOfAnotherPlatformThanTheClientIdsIsRefusedOnTheInstallationPage() {
        Flows.consoleSetup();
        Flows.connect(stripe, "shop-first");
        StripeStubs.keyBelongsTo(stripe, "sk_test_OtherPlatformKey3333", "acct_1OtherPlatform000");
        json("{}").put("/api/v1/accounts/shop-two/connector").then().statusCode(201);
        ConsoleSession admin = ConsoleSession.admin();
        Response refused = admin.post("/console/installations/shop-two", Map.of("name", "Shop Two", "clientId", "",
                "clientSecret", "sk_test_OtherPlatformKey3333"));
        assertThat(admin.formAgain(refused, "/console/installations/shop-two").asString())
                .contains("belongs to the Stripe platform acct_1OtherPlatform000")
                .contains("enter the secret key of the platform " + Flows.PLATFORM_ACCOUNT).doesNotContain("OtherPlatformKey3333");
        api().get("/api/v1/accounts/shop-two/connector").then().body("clientSecret.source", org.hamcrest.Matchers.equalTo("console"));
    }

    @Test
    void anAccountIsInstalledFromTheConsoleAndGetsAConnectionLinkShownAfterTheRedirect() {
        ConsoleSession admin = ConsoleSession.admin();
        // Refused: 303 back to the list, which shows the error next to the field and the values typed, also on a reload.
        Response bad = admin.post("/console/installations", Map.of("accountId", "no spaces allowed", "name", "Shop"));
        for (int reload = 0; reload < 2; reload++) {
            assertThat(admin.formAgain(bad, "/console/installations").then().statusCode(200).extract().asString())
                    .contains("id=\"accountId-error\"").contains("value=\"no spaces allowed\"").contains("Nothing was installed");
        }
        assertThat(Api.queryString("select count(*) from account_connector")).isEqualTo("0");
        Response installed = admin.post("/console/installations", Map.of("accountId", "shop-7", "name", "Shop Seven"));
        assertThat(installed.statusCode()).isEqualTo(303);
        assertThat(installed.header("Location")).endsWith("/console/installations/shop-7?done=installed");
        assertThat(installed.header("Set-Cookie")).startsWith("console-installations-form=;").contains("Max-Age=0");
        String page = admin.get("/console/installations/shop-7?done=installed").then().statusCode(200).extract().asString();
        assertThat(page).contains("Shop Seven").contains("needs_credentials").contains("the Client ID and the Client Secret");
        // An expected state, not an error: an informational notice, gone once the values are complete.
        assertThat(page).contains("<p class=\"flash notice\" id=\"missing-notice\" role=\"status\">The account must still supply")
                .doesNotContain("flash problem");

        // Post, then redirect: the link is on the installation's page, carried there by a sealed cookie of that page only,
        // so a reload or a Back shows it again and makes no other link; the link is in no URL and not readable in the cookie.
        Response link = admin.post("/console/installations/shop-7/link", Map.of());
        assertThat(link.statusCode()).isEqualTo(303);
        assertThat(link.header("Location")).endsWith("/console/installations/shop-7?done=linked");
        String flash = link.cookie("console-link");
        assertThat(link.header("Set-Cookie")).contains("Path=/console/installations/shop-7").contains("HttpOnly").contains("Secure")
                .contains("Max-Age=600");
        assertThat(Api.queryString("select count(*) from authorization_request")).isEqualTo("1");
        ConsoleSession browser = admin.with("console-link", flash);
        String shown = browser.get("/console/installations/shop-7?done=linked").then().statusCode(200).extract().asString();
        java.util.regex.Matcher url = java.util.regex.Pattern.compile("id=\"connection-link\">(https://[^<]+)<").matcher(shown);
        assertThat(url.find()).isTrue();
        assertThat(url.group(1)).startsWith("https://" + TestKeys.SERVICE_DOMAIN + "/connector/setup/");
        assertThat(shown).contains("A connection link was created.");
        String token = url.group(1).substring(url.group(1).lastIndexOf('/') + 1);
        assertThat(flash).doesNotContain(token);
        // The cookie is v1.keyId.base64url(sealed bytes): neither readable as it is nor once decoded.
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(flash.substring(flash.lastIndexOf('.') + 1)),
                java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(token);
        // Reloaded: the same link again, no other made.
        assertThat(browser.get("/console/installations/shop-7?done=linked").asString()).contains(url.group(1));
        assertThat(Api.queryString("select count(*) from authorization_request")).isEqualTo("1");
        // Without the cookie (another browser, or after ten minutes), or with it altered, the link is not shown.
        assertThat(admin.get("/console/installations/shop-7?done=linked").asString()).doesNotContain(url.group(1))
                .doesNotContain("A connection link was created.");
        assertThat(admin.with("console-link", "x" + flash.substring(1)).get("/console/installations/shop-7").then().statusCode(200)
                .extract().asString()).doesNotContain(url.group(1));
        // The same browser signed in as another user of the partner (after a sign-out): the link is not theirs to see.
        ops(Map.of("password", "next-user-password-1")).put("/api/v1/console-users/next-user").then().statusCode(200);
        assertThat(ConsoleSession.signIn("next-user", "next-user-password-1").with("console-link", flash)
                .get("/console/installations/shop-7?done=linked").then().statusCode(200).extract().asString())
                .doesNotContain(url.group(1)).doesNotContain("A connection link was created.");
        // The link works: it asks for the values the console leaves empty.
        given().get(java.net.URI.create(url.group(1)).getPath()).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("clientSecret"));
        admin.get("/console/installations/nobody-here").then().statusCode(404);
        // Once the values are complete (here: the console's), the notice is gone.
        Flows.consoleSetup();
        assertThat(admin.get("/console/installations/shop-7").asString()).doesNotContain("missing-notice").doesNotContain("must still supply");
    }

    @Test
    void overridesAreSavedWithErrorsNextToTheirFieldsAndShownWithTheirSource() {
        Flows.consoleSetup();
        json("{}").put("/api/v1/accounts/shop-8/connector").then().statusCode(201);
        ConsoleSession admin = ConsoleSession.admin();
        String before = admin.get("/console/installations/shop-8").asString();
        assertThat(before).contains(Flows.CLIENT_ID).contains("from the console");
        Response invalid = admin.post("/console/installations/shop-8", Map.of("name", "Shop Eight", "clientId", "bogus", "clientSecret", ""));
        assertThat(admin.formAgain(invalid, "/console/installations/shop-8").asString()).contains("id=\"clientId-error\"")
                .contains("value=\"bogus\"");
        Response saved = admin.post("/console/installations/shop-8", Map.of("name", "Shop Eight", "clientId", "ca_OwnPlatform88",
                "clientSecret", "sk_test_OwnPlatformKey8888"));
        assertThat(saved.statusCode()).isEqualTo(303);
        String after = admin.get("/console/installations/shop-8?done=saved").asString();
        assertThat(after).contains("Saved.").contains("ca_OwnPlatform88").contains("from the account").contains("8888")
                .doesNotContain("sk_test_OwnPlatformKey8888")
                .contains("/webhooks/stripe/ca_OwnPlatform88")
                .contains("Use the console's secret key again").doesNotContain("Stop accepting the previous signing secret now");
        // The platform's webhook secret rolled (the old one kept for a while), then the old one ended at once with the checkbox.
        Map<String, String> form = Map.of("name", "Shop Eight", "clientId", "ca_OwnPlatform88", "clientSecret", "");
        for (String secret : List.of("whsec_ConsoleOwnWebhook0001", "whsec_ConsoleOwnWebhook0002")) {
            Map<String, String> roll = new java.util.HashMap<>(form);
            roll.put("webhookSecret", secret);
            assertThat(admin.post("/console/installations/shop-8", roll).statusCode()).isEqualTo(303);
        }
        assertThat(Api.queryString("select count(*) from platform_webhook where client_id = 'ca_OwnPlatform88'"
                + " and previous_signing_secret is not null and previous_secret_expires_at > now()")).isEqualTo("1");
        assertThat(admin.get("/console/installations/shop-8").asString()).contains("Stop accepting the previous signing secret now");
        Map<String, String> expire = new java.util.HashMap<>(form);
        expire.put("expirePreviousWebhookSecret", "true");
        assertThat(admin.post("/console/installations/shop-8", expire).statusCode()).isEqualTo(303);
        assertThat(Api.queryString("select count(*) from platform_webhook where client_id = 'ca_OwnPlatform88'"
                + " and previous_signing_secret is null and previous_secret_expires_at is null")).isEqualTo("1");
        assertThat(api().get("/api/v1/accounts/shop-8/connector").then().statusCode(200).extract().jsonPath().getString("name"))
                .isEqualTo("Shop Eight");
        // Without a console key there is nothing to go back to: the choice is not offered.
        Api.update("update connector_settings set client_secret = null");
        assertThat(admin.get("/console/installations/shop-8").asString()).contains("from the account")
                .doesNotContain("Use the console's secret key again");
    }

    @Test
    void aConnectedInstallationIsVerifiedRefreshedDisconnectedAndRemovedAfterConfirmation() {
        Flows.consoleSetup();
        Flows.connect(stripe, "shop-9");
        dev.stripeconnector.support.StripeStubs.accountAnswers(stripe, 200, "account.json");
        ConsoleSession admin = ConsoleSession.admin();
        // Connected: Verify is the main button, a new link a secondary one; the callback does not learn the business name.
        assertThat(admin.get("/console/installations/shop-9").asString()).contains("<button type=\"submit\" id=\"verify\">")
                .contains("<button class=\"secondary\" type=\"submit\" id=\"create-link\">").contains("— (Verify to fetch)");
        assertThat(admin.post("/console/installations/shop-9/verify", Map.of()).header("Location")).endsWith("?done=verified");
        assertThat(admin.get("/console/installations/shop-9?done=verified").asString()).contains("Verified with Stripe.")
                .contains("Walkthrough Coffee Roasters").doesNotContain("Verify to fetch");

        dev.stripeconnector.support.StripeStubs.tokenAnswers(stripe, 200, "token-refreshed.json");
        assertThat(admin.post("/console/installations/shop-9/refresh", Map.of()).header("Location")).endsWith("?done=refreshed");

        // Credential reads show up on the page, with the API key's name.
        given().header("Authorization", "Bearer " + TestKeys.READER_API_KEY).get("/api/v1/accounts/shop-9/connector/credentials")
                .then().statusCode(200);
        assertThat(admin.get("/console/installations/shop-9").asString()).contains("<td>reader</td>");

        // Disconnect: no confirmation needed, the installation stays and the page offers a new link.
        String page = admin.get("/console/installations/shop-9").asString();
        assertThat(page).contains("id=\"disconnect\"").contains("id=\"remove\"");
        stripe.resetAll();
        dev.stripeconnector.support.StripeStubs.deauthorizeAnswers(stripe, 503, null);
        Response refused = admin.post("/console/installations/shop-9/disconnect", Map.of());
        // Stripe fails: the connection is left as it was, and the page offers to disconnect here anyway.
        assertThat(admin.formAgain(refused, "/console/installations/shop-9").asString()).contains("the connection was left as it was").contains("id=\"force-disconnect\"");
        api().get("/api/v1/accounts/shop-9/connector").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("connected"));
        stripe.resetAll();
        dev.stripeconnector.support.StripeStubs.deauthorizeAnswers(stripe, 200, "deauthorize-success.json");
        Response disconnected = admin.post("/console/installations/shop-9/disconnect", Map.of());
        assertThat(disconnected.statusCode()).isEqualTo(303);
        assertThat(disconnected.header("Location")).endsWith("/console/installations/shop-9?done=disconnected");
        String after = admin.get("/console/installations/shop-9?done=disconnected").asString();
        assertThat(after).contains("Disconnected at Stripe; the tokens were wiped.").contains("badge disconnected")
                .doesNotContain(Flows.STRIPE_USER_ID).doesNotContain("id=\"disconnect\"").contains("id=\"create-link\"");
        api().get("/api/v1/accounts/shop-9/connector").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("disconnected"));
        // The list's filter offers the new status, and finds it.
        String list = admin.get("/console/installations?status=disconnected").asString();
        assertThat(list).contains("<option value=\"disconnected\" selected").contains("shop-9");

        // Remove: a confirmation page (a plain form, no script), then the installation is gone.
        String confirm = admin.get("/console/installations/shop-9/remove").then().statusCode(200).extract().asString();
        assertThat(confirm).contains("Remove shop-9?").contains("id=\"confirm-remove\"").contains("action=\"/console/installations/shop-9/remove\"");
        api().get("/api/v1/accounts/shop-9/connector").then().statusCode(200);
        Response removed = admin.post("/console/installations/shop-9/remove", Map.of());
        assertThat(removed.statusCode()).isEqualTo(303);
        assertThat(admin.get(removed.header("Location").replace("https://" + TestKeys.SERVICE_DOMAIN, "")).asString())
                .contains("The installation of shop-9 was removed.");
        api().get("/api/v1/accounts/shop-9/connector").then().statusCode(404);
    }

    @Test
    void removingAConnectedInstallationDisconnectsItAtStripeFirstAndOffersToForceWhenStripeFails() {
        Flows.consoleSetup();
        Flows.connect(stripe, "shop-10");
        ConsoleSession admin = ConsoleSession.admin();
        String confirm = admin.get("/console/installations/shop-10/remove").then().statusCode(200).extract().asString();
        assertThat(confirm).contains("Remove shop-10?").contains(Flows.STRIPE_USER_ID);
        dev.stripeconnector.support.StripeStubs.deauthorizeAnswers(stripe, 503, null);
        Response failed = admin.post("/console/installations/shop-10/remove", Map.of());
        assertThat(admin.formAgain(failed, "/console/installations/shop-10/remove").asString()).contains("id=\"force\"").contains("nothing was removed");
        api().get("/api/v1/accounts/shop-10/connector").then().statusCode(200);
        stripe.resetAll();
        dev.stripeconnector.support.StripeStubs.deauthorizeAnswers(stripe, 200, "deauthorize-success.json");
        Response removed = admin.post("/console/installations/shop-10/remove", Map.of());
        assertThat(admin.get(removed.header("Location").replace("https://" + TestKeys.SERVICE_DOMAIN, "")).asString())
                .contains("The installation of shop-10 was removed; its Stripe account was disconnected at Stripe.");
        api().get("/api/v1/accounts/shop-10/connector").then().statusCode(404);
    }

    // ---- every form: POST, then redirect ----

    /** A form that succeeded: 303 to the page {@code location} names. */
    private static void succeeds(ConsoleSession session, String path, Map<String, String> form, String location) {
        succeeds(session, path, session.token(), form, location);
    }

    private static void succeeds(ConsoleSession session, String path, String token, Map<String, String> form, String location) {
        Response answer = session.post(path, form, token);
        assertThat(answer.statusCode()).as("POST " + path + " that succeeds").isEqualTo(303);
        assertThat(answer.header("Location")).as("POST " + path + " that succeeds").isEqualTo(ConsoleSession.ORIGIN + location);
    }

    /** A form refused: 303 back to its page, which says so ({@code says}), also on a reload. */
    private static void refused(ConsoleSession session, String path, Map<String, String> form, String page, String says) {
        refused(session, path, session.token(), form, page, says);
    }

    private static void refused(ConsoleSession session, String path, String token, Map<String, String> form, String page, String says) {
        Response answer = session.post(path, form, token);
        for (int reload = 0; reload < 2; reload++) {
            assertThat(session.follow(answer).then().statusCode(200).extract().asString()).as("POST " + path + " refused").contains(says);
        }
        assertThat(answer.header("Location")).as("POST " + path + " refused").isEqualTo(ConsoleSession.ORIGIN + page);
    }

    @jakarta.inject.Inject
    dev.stripeconnector.connector.PublicOrigins origins;

    /**
     * Every POST route of the console's resources (read from the classes, so a new form is in here or fails this test) answers
     * 303 to a page that can be reloaded and gone back to, when it succeeds and when it is refused; only an unknown target or
     * a form token that does not fit answers a page directly.
     */
    @Test
    void everyConsolePostAnswers303OnSuccessAndOnRefusal() {
        Flows.consoleSetup();
        Flows.connect(stripe, "prg-connected");
        Flows.connect(stripe, "prg-remove");
        json("{\"name\":\"PRG\"}").put("/api/v1/accounts/prg-pending/connector").then().statusCode(201);
        ConsoleSession admin = ConsoleSession.admin();
        ConsoleSession operator = ConsoleSession.signIn(TestKeys.CONSOLE_OPERATOR, TestKeys.CONSOLE_OPERATOR_PASSWORD);
        String op = operator.token("/console/partners");
        String one = "/console/installations/prg-pending";
        Map<String, Runnable> cases = new java.util.LinkedHashMap<>();
        try (dev.stripeconnector.support.EventReceiver receiver = dev.stripeconnector.support.EventReceiver.start()) {
            cases.put("/console/settings", () -> {
                succeeds(admin, "/console/settings", Map.of("clientId", Flows.CLIENT_ID, "defaultScope", "read_write", "accountType", "standard"),
                        "/console/settings?saved=true");
                refused(admin, "/console/settings", Map.of("clientId", "not-a-client-id", "defaultScope", "read_write", "accountType", "standard"),
                        "/console/settings", "id=\"clientId-error\"");
            });
            cases.put("/console/installations", () -> {
                succeeds(admin, "/console/installations", Map.of("accountId", "prg-new"), "/console/installations/prg-new?done=installed");
                refused(admin, "/console/installations", Map.of("accountId", "no spaces"), "/console/installations", "id=\"accountId-error\"");
            });
            cases.put("/console/installations/{accountId}", () -> {
                succeeds(admin, one, Map.of("name", "PRG two"), one + "?done=saved");
                refused(admin, one, Map.of("clientId", "not-a-client-id"), one, "id=\"clientId-error\"");
            });
            cases.put("/console/installations/{accountId}/link", () -> {
                // A link can be made for every installation there is: no refusal a form can cause.
                succeeds(admin, one + "/link", Map.of(), one + "?done=linked");
            });
            cases.put("/console/installations/{accountId}/verify", () -> {
                dev.stripeconnector.support.StripeStubs.accountAnswers(stripe, 200, "account.json");
                succeeds(admin, "/console/installations/prg-connected/verify", Map.of(), "/console/installations/prg-connected?done=verified");
                refused(admin, one + "/verify", Map.of(), one, "class=\"flash problem\" role=\"alert\"");
            });
            cases.put("/console/installations/{accountId}/refresh", () -> {
                dev.stripeconnector.support.StripeStubs.tokenAnswers(stripe, 200, "token-refreshed.json");
                succeeds(admin, "/console/installations/prg-connected/refresh", Map.of(), "/console/installations/prg-connected?done=refreshed");
                refused(admin, one + "/refresh", Map.of(), one, "class=\"flash problem\" role=\"alert\"");
            });
            cases.put("/console/installations/{accountId}/disconnect", () -> {
                stripe.resetAll();
                dev.stripeconnector.support.StripeStubs.deauthorizeAnswers(stripe, 503, null);
                refused(admin, "/console/installations/prg-connected/disconnect", Map.of(), "/console/installations/prg-connected",
                        "id=\"force-disconnect\"");
                stripe.resetAll();
                dev.stripeconnector.support.StripeStubs.deauthorizeAnswers(stripe, 200, "deauthorize-success.json");
                succeeds(admin, "/console/installations/prg-connected/disconnect", Map.of(), "/console/installations/prg-connected?done=disconnected");
            });
            cases.put("/console/installations/{accountId}/remove", () -> {
                stripe.resetAll();
                dev.stripeconnector.support.StripeStubs.deauthorizeAnswers(stripe, 503, null);
                refused(admin, "/console/installations/prg-remove/remove", Map.of(), "/console/installations/prg-remove/remove", "id=\"force\"");
                stripe.resetAll();
                succeeds(admin, "/console/installations/prg-new/remove", Map.of(), "/console/installations?removed=prg-new&notified=false");
            });
            cases.put("/console/events", () -> {
                succeeds(admin, "/console/events", Map.of("url", receiver.url("/prg"), "eventTypes", "*"), "/console/events?done=subscribed");
                refused(admin, "/console/events", Map.of("url", "http://events.example.com/hooks", "eventTypes", "*"), "/console/events",
                        "id=\"url-error\"");
            });
            java.util.function.Supplier<String> subscription = () -> dev.stripeconnector.support.EventReceiver.admin()
                    .get("/api/v1/event-subscriptions").then().statusCode(200).extract().path("[0].id");
            cases.put("/console/events/{id}/rotate", () -> {
                succeeds(admin, "/console/events/" + subscription.get() + "/rotate", Map.of("overlap", "PT0S"), "/console/events?done=rotated");
                refused(admin, "/console/events/" + subscription.get() + "/rotate", Map.of("overlap", "P1Y"), "/console/events",
                        "Choose one of the listed overlaps");
            });
            cases.put("/console/events/{id}/test", () -> {
                succeeds(admin, "/console/events/" + subscription.get() + "/test", Map.of(), "/console/events?done=tested");
                // A receiver that does not take it: the page the same redirect leads to says so.
                receiver.answer(500);
                assertThat(admin.follow(admin.post("/console/events/" + subscription.get() + "/test", Map.of())).asString())
                        .contains("did not take it");
                receiver.answer(204);
            });
            cases.put("/console/events/{id}/delete", () -> {
                // Deleting refuses nothing but an unknown subscription (a 404 page).
                String id = subscription.get();
                succeeds(admin, "/console/events/" + id + "/delete", Map.of(), "/console/events?deleted=" + id);
            });
            cases.put("/console/partners", () -> {
                succeeds(operator, "/console/partners", op, Map.of("id", "prg-partner", "name", "PRG", "serviceDomain", "prg.test.example"),
                        "/console/partners?done=created&partner=prg-partner");
                refused(operator, "/console/partners", op, Map.of("id", "Not A Slug", "name", "PRG", "serviceDomain", "prg2.test.example"),
                        "/console/partners", "id=\"id-error\"");
            });
            cases.put("/console/partners/{partnerId}/status", () -> {
                succeeds(operator, "/console/partners/prg-partner/status", op, Map.of("status", "disabled"),
                        "/console/partners?done=disabled&partner=prg-partner");
                refused(operator, "/console/partners/default/status", op, Map.of("status", "disabled"), "/console/partners", "Nothing was changed");
            });
            cases.put("/console/partners/{partnerId}/open", () -> {
                // Opening refuses nothing but an unknown partner (a 404 page).
                succeeds(operator, "/console/partners/prg-partner/open", op, Map.of(), "/console/settings");
            });
            cases.put("/console/logout", () -> {
                ConsoleSession leaving = ConsoleSession.admin();
                Response forged = leaving.post("/console/logout", Map.of(), "forged");
                assertThat(forged.statusCode()).isEqualTo(303);
                assertThat(forged.header("Location")).isEqualTo(ConsoleSession.ORIGIN + "/console/settings");
                succeeds(leaving, "/console/logout", Map.of(), "/console/login?signedOut=true");
            });

            java.util.Set<String> served = new java.util.TreeSet<>();
            dev.stripeconnector.support.BrowserRoutes.fromResources().stream()
                    .filter(r -> r.method().equals("POST") && r.template().startsWith("/console")).forEach(r -> served.add(r.template()));
            assertThat(served).as("the console's POST routes, each with its case here (add one for a new form)")
                    .containsExactlyInAnyOrderElementsOf(cases.keySet());
            cases.values().forEach(Runnable::run);
        } finally {
            Api.deletePartnersButDefault();
            origins.refresh();
        }
    }

    // ---- event subscriptions ----

    /** The subscribe form as the browser posts it: the event types ticked, each a value of eventTypes. */
    static Response subscribe(ConsoleSession admin, String url, String description, String... types) {
        var form = admin.request().header("Origin", ConsoleSession.ORIGIN).contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", admin.token()).formParam("url", url).formParam("description", description);
        if (types.length > 0) {
            form.formParam("eventTypes", (Object[]) types);
        }
        return form.post("/console/events");
    }

    static String shownSecret(String page) {
        java.util.regex.Matcher secret = java.util.regex.Pattern.compile("id=\"signing-secret\">(scsec_[A-Za-z0-9_-]+)<").matcher(page);
        assertThat(secret.find()).as("the signing secret on the page").isTrue();
        return secret.group(1);
    }

    @Test
    void aRefusedFormWithALongValueStillShowsItsProblem() {
        ConsoleSession admin = ConsoleSession.admin();
        // A refused subscription with a long line of Stripe event types: the problem is shown, the long value dropped, and said so.
        StringBuilder types = new StringBuilder();
        for (int i = 0; types.length() < 5398; i++) {
            types.append(i == 0 ? "" : ", ").append(i % 2 == 0 ? "charge.succeeded" : "customer.subscription.updated");
        }
        Response refused = admin.request().header("Origin", ConsoleSession.ORIGIN).contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", admin.token()).formParam("url", "http://events.example.com/hooks").formParam("eventTypes", "*")
                .formParam("stripeEventTypes", types.toString()).post("/console/events");
        assertThat(refused.cookie(ConsoleEventsResource.EVENTS_FORM).length()).isLessThanOrEqualTo(dev.stripeconnector.crypto.FlashCookies.MAX_VALUE);
        assertThat(admin.formAgain(refused, "/console/events").asString()).contains("id=\"url-error\"").contains("The URL must use https")
                .contains("Nothing was saved").contains(ConsoleForms.TOO_LONG).contains("value=\"http://events.example.com/hooks\"");
        assertThat(Api.queryString("select count(*) from event_subscription")).isEqualTo("0");
    }

    @Test
    void theSecretOfAReceiverWithTheLongestUrlIsShownAfterARotation() {
        ConsoleSession admin = ConsoleSession.admin();
        // A receiver URL of the longest length allowed: the secret a rotation makes is shown, for that URL.
        try (dev.stripeconnector.support.EventReceiver receiver = dev.stripeconnector.support.EventReceiver.start()) {
            String base = receiver.url("/hooks?pad=");
            String url = base + "p".repeat(dev.stripeconnector.events.ReceiverPolicy.MAX_URL - base.length());
            Response created = subscribe(admin, url, "", "*");
            assertThat(shownSecret(admin.follow(created).asString())).startsWith("scsec_");
            String id = Api.queryString("select id from event_subscription");
            Response rotated = admin.post("/console/events/" + id + "/rotate", Map.of());
            assertThat(rotated.cookie(ConsoleEventsResource.EVENTS_RESULT).length()).isLessThanOrEqualTo(dev.stripeconnector.crypto.FlashCookies.MAX_VALUE);
            String page = admin.follow(rotated).asString();
            String secret = shownSecret(page);
            assertThat(page).contains("The signing secret of <code>" + url + "</code>");
            dev.stripeconnector.support.EventReceiver.admin().get("/api/v1/event-subscriptions/" + id).then()
                    .body("secretLast4", org.hamcrest.Matchers.equalTo(secret.substring(secret.length() - 4)));
            admin.post("/console/events/" + id + "/delete", Map.of());
        }
    }

    @Test
    void eventSubscriptionsAreCreatedWithTheSecretShownOnceRotatedAndDeletedAfterConfirmation() {
        Response anonymous = given().redirects().follow(false).get("/console/events");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.header("Location")).endsWith("/console/login");
        ConsoleSession admin = ConsoleSession.admin();
        assertThat(admin.get("/console/settings").asString()).contains("<a href=\"/console/events\">Event subscriptions</a>");
        assertThat(admin.get("/console/events").then().statusCode(200).extract().asString()).contains("No receiver is subscribed yet")
                .contains("value=\"installation.revoked\"").contains("value=\"connector.settings_changed\"");

        // Refused field by field, the values kept, nothing saved.
        // (Each form posts, then 303s back to the page, which shows what the post came to, also on a reload or a Back.)
        Response noTypes = subscribe(admin, "https://events.example.com/hooks", "billing");
        assertThat(admin.formAgain(noTypes, "/console/events").asString()).contains("id=\"eventTypes-error\"")
                .contains("value=\"https://events.example.com/hooks\"");
        Response http = subscribe(admin, "http://events.example.com/hooks", "", "*");
        assertThat(admin.formAgain(http, "/console/events").asString()).contains("id=\"url-error\"").contains("The URL must use https")
                .contains("id=\"type-all\" name=\"eventTypes\" value=\"*\" checked");
        Response metadata = subscribe(admin, "https://169.254.169.254/latest/meta-data/", "", "installation.created");
        assertThat(admin.formAgain(metadata, "/console/events").asString()).contains("link-local")
                .contains("name=\"eventTypes\" value=\"installation.created\" checked");
        // A form without the user's token, or from another site, changes nothing.
        Response forged = admin.request().header("Origin", ConsoleSession.ORIGIN).contentType("application/x-www-form-urlencoded")
                .formParam("url", "https://events.example.com/hooks").formParam("eventTypes", "*").post("/console/events");
        assertThat(forged.statusCode()).isEqualTo(403);
        Response crossSite = admin.request().header("Origin", "https://evil.example").contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", admin.token()).formParam("url", "https://events.example.com/hooks").formParam("eventTypes", "*")
                .post("/console/events");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(Api.queryString("select count(*) from event_subscription")).isEqualTo("0");

        // Subscribed: the secret is on the answer, once, and the receiver gets signed events.
        try (dev.stripeconnector.support.EventReceiver receiver = dev.stripeconnector.support.EventReceiver.start()) {
            Response created = subscribe(admin, receiver.url("/hooks"), "Billing <script>", "connector.settings_changed",
                    "installation.revoked");
            assertThat(created.header("Location")).endsWith("/console/events?done=subscribed");
            assertThat(created.header("Location")).doesNotContain("scsec_");
            assertThat(created.headers().getValues("Set-Cookie")).anyMatch(c -> c.startsWith("console-events-result=")
                    && c.contains("Path=/console/events") && c.contains("HttpOnly") && c.contains("Max-Age=600"));
            String shownPage = admin.follow(created).then().statusCode(200).extract().asString();
            String secret = shownSecret(shownPage);
            assertThat(created.cookie("console-events-result")).doesNotContain(secret);
            // A reload shows it again; another user, or the page without the redirect's ?done, does not.
            assertThat(shownSecret(admin.follow(created).asString())).isEqualTo(secret);
            assertThat(admin.with("console-events-result", created.cookie("console-events-result")).get("/console/events").asString())
                    .doesNotContain(secret);
            ops(Map.of("password", "colleague-password-2")).put("/api/v1/console-users/colleague2").then().statusCode(200);
            assertThat(ConsoleSession.signIn("colleague2", "colleague-password-2").follow(created).asString()).doesNotContain(secret)
                    .doesNotContain("The receiver is subscribed.");
            assertThat(shownPage).contains("The receiver is subscribed.").contains("Billing &lt;script&gt;")
                    .doesNotContain("Billing <script>");
            var listed = dev.stripeconnector.support.EventReceiver.admin().get("/api/v1/event-subscriptions").then().statusCode(200)
                    .extract().jsonPath();
            String id = listed.getString("[0].id");
            assertThat(listed.getList("[0].eventTypes", String.class)).containsExactly("connector.settings_changed", "installation.revoked");
            assertThat(listed.getString("[0].secretLast4")).isEqualTo(secret.substring(secret.length() - 4));

            Flows.consoleSetup();
            dev.stripeconnector.support.EventReceiver.Delivery delivery = receiver.awaitAccepted(1).get(0);
            assertThat(dev.stripeconnector.support.EventReceiver.verify(delivery.signatureHeader(), delivery.body(), secret,
                    java.time.Duration.ofMinutes(5))).isTrue();
            // The recent delivery status, once the attempt is recorded; never the secret again.
            String page = "";
            for (int i = 0; i < 100 && !page.contains("HTTP 204"); i++) {
                dev.stripeconnector.support.EventReceiver.pause(50);
                page = admin.get("/console/events").then().statusCode(200).extract().asString();
            }
            assertThat(page).contains("1 delivered").contains("<span class=\"badge delivered\">delivered</span>")
                    .contains("connector.settings_changed · HTTP 204").contains(receiver.url("/hooks")).doesNotContain(secret);
            // The subscription's recent deliveries, with the receiver's status code; the page names no file or variable of the service.
            assertThat(page).contains("Recent deliveries to <code>" + receiver.url("/hooks") + "</code>")
                    .contains("<td><code>connector.settings_changed</code></td><td><span class=\"badge delivered\">delivered</span></td><td>204</td>")
                    .doesNotContain("docs/events.md").doesNotContain("CONNECTOR_EVENTS_ALLOWED_HOSTS");

            // A test event: signed like every delivery, told apart by its type and flag, answered on the page, not in the feed.
            String feed = Api.queryString("select count(*) from connector_event");
            String attempts = Api.queryString("select count(*) from event_delivery_attempt");
            receiver.forget();
            Response tested = admin.post("/console/events/" + id + "/test", Map.of());
            assertThat(tested.header("Location")).endsWith("/console/events?done=tested");
            assertThat(admin.follow(tested).asString()).contains("The test event ").contains("the receiver answered HTTP 204 in");
            List<dev.stripeconnector.support.EventReceiver.Delivery> got = receiver.received();
            assertThat(got).hasSize(1);
            assertThat(got.get(0).type()).isEqualTo("connector.test");
            assertThat(got.get(0).event().path("test").asBoolean()).isTrue();
            assertThat(dev.stripeconnector.support.EventReceiver.verify(got.get(0).signatureHeader(), got.get(0).body(), secret,
                    java.time.Duration.ofMinutes(5))).isTrue();
            assertThat(Api.queryString("select count(*) from connector_event")).isEqualTo(feed);
            assertThat(Api.queryString("select count(*) from event_delivery_attempt")).isEqualTo(attempts);
            dev.stripeconnector.support.EventReceiver.admin().get("/api/v1/events").then().statusCode(200)
                    .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("connector.test")));
            // A receiver that refuses it: said on the page, with its status.
            receiver.answer(500);
            String refusedTest = admin.follow(admin.post("/console/events/" + id + "/test", Map.of())).then().statusCode(200).extract().asString();
            assertThat(refusedTest).contains("did not take it: answered HTTP 500").contains("Test events are not retried.");
            receiver.answer(204);
            assertThat(admin.post("/console/events/" + java.util.UUID.randomUUID() + "/test", Map.of()).statusCode()).isEqualTo(404);

            // Rotated: a new secret shown once, the old one signing along for the overlap chosen.
            Response rotated = admin.post("/console/events/" + id + "/rotate", Map.of("overlap", "PT1H"));
            assertThat(rotated.header("Location")).endsWith("/console/events?done=rotated");
            String rotatedPage = admin.follow(rotated).asString();
            String newSecret = shownSecret(rotatedPage);
            assertThat(newSecret).isNotEqualTo(secret);
            assertThat(rotatedPage).contains("deliveries are signed with the old one too until").contains("the previous one signs too until");
            dev.stripeconnector.support.EventReceiver.admin().get("/api/v1/event-subscriptions/" + id).then()
                    .body("secretLast4", org.hamcrest.Matchers.equalTo(newSecret.substring(newSecret.length() - 4)))
                    .body("previousSecretExpiresAt", org.hamcrest.Matchers.notNullValue());
            assertThat(admin.get("/console/events").asString()).doesNotContain(newSecret);
            assertThat(admin.formAgain(admin.post("/console/events/" + id + "/rotate", Map.of("overlap", "P1Y")), "/console/events").asString())
                    .contains("Choose one of the listed overlaps. Nothing was changed.");
            assertThat(admin.post("/console/events/" + java.util.UUID.randomUUID() + "/rotate", Map.of()).statusCode()).isEqualTo(404);
            assertThat(admin.post("/console/events/not-an-id/rotate", Map.of()).statusCode()).isEqualTo(404);

            // Deleted after confirmation.
            String confirm = admin.get("/console/events/" + id + "/delete").then().statusCode(200).extract().asString();
            assertThat(confirm).contains("Delete this event subscription?").contains(receiver.url("/hooks"));
            admin.get("/console/events/" + java.util.UUID.randomUUID() + "/delete").then().statusCode(404);
            Response deleted = admin.post("/console/events/" + id + "/delete", Map.of());
            assertThat(deleted.statusCode()).isEqualTo(303);
            assertThat(deleted.header("Location")).endsWith("/console/events?deleted=" + id);
            assertThat(admin.get("/console/events?deleted=" + id).asString()).contains("The subscription was deleted")
                    .contains("No receiver is subscribed yet");
            dev.stripeconnector.support.EventReceiver.admin().get("/api/v1/event-subscriptions/" + id).then().statusCode(404);
            assertThat(admin.post("/console/events/" + id + "/delete", Map.of()).statusCode()).isEqualTo(404);

            // Stripe's event types to forward: a bad pattern next to its field, the line kept; good ones saved and shown.
            Response badPattern = admin.request().header("Origin", ConsoleSession.ORIGIN).contentType("application/x-www-form-urlencoded")
                    .formParam("_csrf", admin.token()).formParam("url", receiver.url("/stripe")).formParam("eventTypes", "stripe.event")
                    .formParam("stripeEventTypes", "charge.*, Payout!").post("/console/events");
            assertThat(admin.formAgain(badPattern, "/console/events").asString()).contains("id=\"stripeEventTypes-error\"")
                    .contains("value=\"charge.*, Payout!\"");
            Response forwarding = admin.request().header("Origin", ConsoleSession.ORIGIN).contentType("application/x-www-form-urlencoded")
                    .formParam("_csrf", admin.token()).formParam("url", receiver.url("/stripe")).formParam("eventTypes", "stripe.event")
                    .formParam("stripeEventTypes", "charge.*, account.updated").post("/console/events");
            assertThat(forwarding.statusCode()).isEqualTo(303);
            assertThat(admin.get("/console/events").asString()).contains("Stripe: charge.*, account.updated");
            dev.stripeconnector.support.EventReceiver.admin().get("/api/v1/event-subscriptions").then().statusCode(200)
                    .body("[0].stripeEventTypes", org.hamcrest.Matchers.equalTo(List.of("charge.*", "account.updated")));
        }
    }
}
