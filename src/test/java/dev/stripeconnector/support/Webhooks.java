package dev.stripeconnector.support;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Stripe's side of a webhook delivery. */
public final class Webhooks {

    private Webhooks() {
    }

    /** Signs like Stripe does: HMAC-SHA256 of "{t}.{body}" with the endpoint secret, hex. */
    public static String sign(String secret, long timestamp, String body) {
        return sign(secret, timestamp, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The same over a body of raw bytes (one that is not UTF-8 text, say). */
    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stripe's deauthorization event of the test account and platform, created now (as a real one is). */
    public static String deauthorized() {
        return StripeStubs.fixture("event-deauthorized.json").replace("1764331200", Long.toString(Instant.now().getEpochSecond()));
    }

    /** A deauthorization of {@code account} by the application {@code clientId}, created now. */
    public static String deauthorized(String eventId, String account, String clientId) {
        return deauthorized().replace("evt_1DeauthorizedEvent01", eventId).replace("acct_1ConnectedAcct0001", account)
                .replace("ca_PlatformClient42", clientId);
    }

    /**
     * Stripe's event of the fixture {@code fixture} (an event of the test's connected account) as event {@code id}
     * about {@code account}, created at {@code created} (Unix seconds), pretty-printed as Stripe sends them.
     */
    public static String event(String fixture, String id, String account, long created) {
        return StripeStubs.fixture(fixture).replaceFirst("\"id\": \"evt_[A-Za-z0-9]+\"", "\"id\": \"" + id + "\"")
                .replace("acct_1ConnectedAcct0001", account).replace("1764331200", Long.toString(created));
    }

    /** The same, created now. */
    public static String event(String fixture, String id, String account) {
        return event(fixture, id, account, Instant.now().getEpochSecond());
    }

    /** A delivery of {@code body} signed now with the current secret. */
    public static RequestSpecification signed(String body) {
        long t = Instant.now().getEpochSecond();
        return given().contentType("application/json")
                .header("Stripe-Signature", "t=" + t + ",v1=" + sign(TestKeys.WEBHOOK_SECRET, t, body))
                .body(body);
    }
}
