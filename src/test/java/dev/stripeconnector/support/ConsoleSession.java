package dev.stripeconnector.support;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.filter.Filter;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A console user's browser, as the service sees it behind the ingress: over plain HTTP, with the
 * ingress's {@code X-Forwarded-*} headers (the browser spoke https; a forged forwarded host among
 * them, which must change nothing), the session cookie, the form token, the service's Origin. Every
 * answer is checked as a browser would depend on it: a redirect goes to https on the service's
 * domain, and every console cookie it sets is {@code Secure}.
 */
public final class ConsoleSession {

    public static final String ORIGIN = "https://" + TestKeys.SERVICE_DOMAIN;
    public static final String COOKIE = "connector-console";
    public static final String RETURN_COOKIE = "quarkus-redirect-location";
    private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** The ingress's headers on the way in; the checks above on the way out. */
    public static final Filter BEHIND_INGRESS = (request, response, context) -> {
        request.header("X-Forwarded-Proto", "https").header("X-Forwarded-Port", "443").header("X-Forwarded-For", "203.0.113.7")
                .header("X-Forwarded-Host", "evil.example");
        Response answer = context.next(request, response);
        String what = request.getMethod() + " " + request.getURI();
        if (answer.statusCode() >= 300 && answer.statusCode() < 400) {
            assertThat(answer.header("Location")).as("the redirect of " + what).startsWith(ORIGIN + "/console/");
        }
        for (String cookie : answer.headers().getValues("Set-Cookie")) {
            if (cookie.startsWith(COOKIE + "=") || cookie.startsWith(RETURN_COOKIE + "=")) {
                assertThat(cookie).as("a cookie set by " + what).contains("Secure");
            }
            if (cookie.startsWith(RETURN_COOKIE + "=") && !cookie.startsWith(RETURN_COOKIE + "=;")) {
                assertThat(cookie).as("the page to return to, set by " + what).startsWith(RETURN_COOKIE + "=" + ORIGIN + "/console");
            }
        }
        return answer;
    };

    private final String cookie;

    private ConsoleSession(String cookie) {
        this.cookie = cookie;
    }

    /** Posts the sign-in form; the answer, not followed. */
    public static Response signInAttempt(String username, String password) {
        return given().filter(BEHIND_INGRESS).redirects().follow(false).header("Origin", ORIGIN)
                .formParam("j_username", username).formParam("j_password", password)
                .post("/console/j_security_check");
    }

    public static ConsoleSession signIn(String username, String password) {
        Response answer = signInAttempt(username, password);
        assertThat(answer.statusCode()).as("sign-in answer").isEqualTo(302);
        assertThat(answer.header("Location")).isEqualTo(ORIGIN + "/console/settings");
        String cookie = answer.cookie(COOKIE);
        assertThat(cookie).as("session cookie").isNotBlank();
        return new ConsoleSession(cookie);
    }

    public static ConsoleSession admin() {
        return signIn(TestKeys.CONSOLE_ADMIN, TestKeys.CONSOLE_PASSWORD);
    }

    public String cookie() {
        return cookie;
    }

    public RequestSpecification request() {
        return given().filter(BEHIND_INGRESS).redirects().follow(false).cookie(COOKIE, cookie);
    }

    public Response get(String path) {
        return request().get(path);
    }

    /** Posts a console form the way the browser would: with the page's token and the service's Origin. */
    public Response post(String path, Map<String, String> form) {
        return request().header("Origin", ORIGIN).contentType("application/x-www-form-urlencoded")
                .formParams(form).formParam("_csrf", token()).post(path);
    }

    /** The form token the console renders for this user. */
    public String token() {
        return tokenOf(get("/console/settings").then().statusCode(200).extract().asString());
    }

    public static String tokenOf(String html) {
        Matcher matcher = TOKEN.matcher(html);
        assertThat(matcher.find()).as("a form token on the page").isTrue();
        return matcher.group(1);
    }
}
