package dev.stripeconnector.support;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A console user's browser, over plain HTTP: the session cookie, the form token, the service's Origin. */
public final class ConsoleSession {

    public static final String ORIGIN = "https://" + TestKeys.SERVICE_DOMAIN;
    public static final String COOKIE = "connector-console";
    private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String cookie;

    private ConsoleSession(String cookie) {
        this.cookie = cookie;
    }

    /** Posts the sign-in form; the answer, not followed. */
    public static Response signInAttempt(String username, String password) {
        return given().redirects().follow(false).header("Origin", ORIGIN)
                .formParam("j_username", username).formParam("j_password", password)
                .post("/console/j_security_check");
    }

    public static ConsoleSession signIn(String username, String password) {
        Response answer = signInAttempt(username, password);
        assertThat(answer.statusCode()).as("sign-in answer").isEqualTo(302);
        assertThat(answer.header("Location")).endsWith("/console/settings");
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
        return given().redirects().follow(false).cookie(COOKIE, cookie);
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
