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
 * them, which must change nothing), the session cookie, the form token, the Origin of the domain it
 * is on (the service's own, or a partner's). Every answer is checked as a browser would depend on it:
 * a redirect goes to https on that domain, and every console cookie it sets is {@code Secure}.
 */
public final class ConsoleSession {

    public static final String ORIGIN = "https://" + TestKeys.SERVICE_DOMAIN;
    public static final String COOKIE = "connector-console";
    public static final String RETURN_COOKIE = "quarkus-redirect-location";
    private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** The ingress's headers on the way in; the checks above on the way out, for the service's own domain. */
    public static final Filter BEHIND_INGRESS = behindIngress(ORIGIN);

    /** The ingress's headers on the way in; the checks above on the way out, for the domain of {@code origin}. */
    public static Filter behindIngress(String origin) {
        return (request, response, context) -> {
            request.header("X-Forwarded-Proto", "https").header("X-Forwarded-Port", "443").header("X-Forwarded-For", "203.0.113.7")
                    .header("X-Forwarded-Host", "evil.example");
            Response answer = context.next(request, response);
            String what = request.getMethod() + " " + request.getURI();
            if (answer.statusCode() >= 300 && answer.statusCode() < 400) {
                assertThat(answer.header("Location")).as("the redirect of " + what).startsWith(origin + "/console/");
            }
            for (String cookie : answer.headers().getValues("Set-Cookie")) {
                if (cookie.startsWith(COOKIE + "=") || cookie.startsWith(RETURN_COOKIE + "=") || cookie.startsWith("console-")) {
                    assertThat(cookie).as("a cookie set by " + what).contains("Secure");
                }
                if (cookie.startsWith(RETURN_COOKIE + "=") && !cookie.startsWith(RETURN_COOKIE + "=;")) {
                    assertThat(cookie).as("the page to return to, set by " + what).startsWith(RETURN_COOKIE + "=" + origin + "/console");
                }
            }
            return answer;
        };
    }

    private final String domain;
    private final String cookie;
    private final Map<String, String> others;

    private ConsoleSession(String domain, String cookie, Map<String, String> others) {
        this.domain = domain;
        this.cookie = cookie;
        this.others = others;
    }

    /** Posts the sign-in form on the service's own domain; the answer, not followed. */
    public static Response signInAttempt(String username, String password) {
        return signInAttempt(TestKeys.SERVICE_DOMAIN, username, password);
    }

    /** Posts the sign-in form on {@code domain}; the answer, not followed. */
    public static Response signInAttempt(String domain, String username, String password) {
        return given().header("Host", domain).filter(behindIngress("https://" + domain)).redirects().follow(false)
                .header("Origin", "https://" + domain).formParam("j_username", username).formParam("j_password", password)
                .post("/console/j_security_check");
    }

    /** The query parameter {@code name} of a sign-in's redirect to the sign-in page (the reason, the user name kept); null when absent. */
    public static String refusal(Response answer, String name) {
        String location = answer.header("Location");
        assertThat(location).as("a redirect to the sign-in page").contains("/console/login?error=true");
        for (String pair : java.net.URI.create(location).getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(equals + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The user name a refused sign-in carries back to the sign-in page (in its cookie, never the URL); null when none. */
    public static String keptName(Response answer) {
        assertThat(answer.header("Location")).as("the name is in no URL").doesNotContain("username");
        String cookie = answer.cookie(dev.stripeconnector.security.SignInForm.NAME_COOKIE);
        return dev.stripeconnector.security.SignInForm.nameFrom(cookie);
    }

    /** Follows a refused sign-in's redirect to the sign-in page, as a browser would: with the cookie it was given. */
    public static io.restassured.specification.RequestSpecification following(Response answer) {
        io.restassured.specification.RequestSpecification request = given().urlEncodingEnabled(false);
        String cookie = answer.cookie(dev.stripeconnector.security.SignInForm.NAME_COOKIE);
        return cookie == null ? request : request.cookie(dev.stripeconnector.security.SignInForm.NAME_COOKIE, cookie);
    }

    /** Why a sign-in was refused, as its redirect tells the sign-in page. */
    public static String refusal(Response answer) {
        return refusal(answer, "reason");
    }

    public static ConsoleSession signIn(String username, String password) {
        return signIn(TestKeys.SERVICE_DOMAIN, username, password);
    }

    public static ConsoleSession signIn(String domain, String username, String password) {
        Response answer = signInAttempt(domain, username, password);
        assertThat(answer.statusCode()).as("sign-in answer").isEqualTo(302);
        assertThat(answer.header("Location")).isEqualTo("https://" + domain + "/console/settings");
        String cookie = answer.cookie(COOKIE);
        assertThat(cookie).as("session cookie").isNotBlank();
        return new ConsoleSession(domain, cookie, Map.of());
    }

    public static ConsoleSession admin() {
        return signIn(TestKeys.CONSOLE_ADMIN, TestKeys.CONSOLE_PASSWORD);
    }

    /** This browser's session cookie presented on another domain (as a stolen cookie would be). */
    public ConsoleSession on(String otherDomain) {
        return new ConsoleSession(otherDomain, cookie, others);
    }

    /** This session with one more cookie the browser holds (set by an answer: {@code name=value}). */
    public ConsoleSession with(String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(others);
        more.put(name, value);
        return new ConsoleSession(domain, cookie, Map.copyOf(more));
    }

    public String cookie() {
        return cookie;
    }

    public RequestSpecification request() {
        return given().header("Host", domain).filter(behindIngress("https://" + domain)).redirects().follow(false)
                .cookies(others).cookie(COOKIE, cookie);
    }

    public Response get(String path) {
        return request().get(path);
    }

    /** Posts a console form the way the browser would: with the page's token and its domain's Origin. */
    public Response post(String path, Map<String, String> form) {
        return post(path, form, token());
    }

    /** Posts a console form with {@code token} (one rendered for this user, or another). */
    public Response post(String path, Map<String, String> form, String token) {
        return request().header("Origin", "https://" + domain).contentType("application/x-www-form-urlencoded")
                .formParams(form).formParam("_csrf", token).post(path);
    }

    /**
     * The page a refused form's answer leads to, as the browser gets it: the answer is a 303 to the form's own page, which
     * the browser then GETs with the cookie the answer set (the problems and typed values, sealed); that page.
     */
    public Response formAgain(Response answer, String page) {
        assertThat(answer.statusCode()).as("a refused form's answer: a redirect to its page").isEqualTo(303);
        assertThat(answer.header("Location")).isEqualTo("https://" + domain + page);
        ConsoleSession browser = this;
        for (java.util.Map.Entry<String, String> cookie : answer.cookies().entrySet()) {
            if (!cookie.getValue().isEmpty()) {
                browser = browser.with(cookie.getKey(), cookie.getValue());
            }
        }
        return browser.get(page);
    }

    /**
     * The page any console form's answer leads to, as the browser gets it: the answer is a 303 to a page of this domain,
     * which the browser then GETs with the cookies the answer set; that page.
     */
    public Response follow(Response answer) {
        assertThat(answer.statusCode()).as("a form's answer: a redirect to a page").isEqualTo(303);
        String location = answer.header("Location");
        assertThat(location).startsWith("https://" + domain + "/console/");
        ConsoleSession browser = this;
        for (java.util.Map.Entry<String, String> cookie : answer.cookies().entrySet()) {
            if (!cookie.getValue().isEmpty()) {
                browser = browser.with(cookie.getKey(), cookie.getValue());
            }
        }
        return browser.get(location.substring(("https://" + domain).length()));
    }

    /** The form token the console renders for this user. */
    public String token() {
        return token("/console/settings");
    }

    /** The form token on the page at {@code path}. */
    public String token(String path) {
        return tokenOf(get(path).then().statusCode(200).extract().asString());
    }

    public static String tokenOf(String html) {
        Matcher matcher = TOKEN.matcher(html);
        assertThat(matcher.find()).as("a form token on the page").isTrue();
        return matcher.group(1);
    }
}
