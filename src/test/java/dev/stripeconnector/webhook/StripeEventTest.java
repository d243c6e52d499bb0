package dev.stripeconnector.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.support.StripeStubs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is read of a verified Stripe event, and the text of its data.object that is forwarded. */
class StripeEventTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theObjectIsForwardedAsTheVeryTextStripeSent() throws Exception {
        String body = StripeStubs.fixture("event-charge-succeeded.json");
        StripeEvent event = StripeEvent.parse(JSON, body.getBytes(StandardCharsets.UTF_8));
        assertThat(event.type()).isEqualTo("charge.succeeded");
        assertThat(event.account()).isEqualTo("acct_1ConnectedAcct0001");
        assertThat(event.livemode()).isFalse();
        String expected = body.substring(body.indexOf("\"object\": {", body.indexOf("\"data\"")) + "\"object\": ".length(),
                body.indexOf("\n    }\n  },") + "\n    }".length());
        assertThat(event.rawObject()).isEqualTo(expected).contains("caf\\u00e9", "1.10");
        assertThat(JSON.readTree(event.rawObject())).isEqualTo(JSON.readTree(body).path("data").path("object"));
    }

    @Test
    void anObjectWhoseKeysComeInAnyOrderOrContainOtherObjectsNamedObjectIsCutWhole() throws Exception {
        String body = "{\"type\":\"x.y\",\"data\":{\"previous_attributes\":{\"object\":{\"a\":1}},\"object\":{\"object\":\"thing\","
                + "\"nested\":{\"object\":{}},\"s\":\"}\\\"{\",\"n\":1E+2}},\"id\":\"evt_1\",\"account\":\"acct_1Abc\"}";
        StripeEvent event = StripeEvent.parse(JSON, body.getBytes(StandardCharsets.UTF_8));
        assertThat(event.rawObject()).isEqualTo("{\"object\":\"thing\",\"nested\":{\"object\":{}},\"s\":\"}\\\"{\",\"n\":1E+2}");
        assertThat(StripeEvent.parse(JSON, "{\"id\":\"evt_2\",\"type\":\"x.y\",\"data\":{\"object\":null}}".getBytes(StandardCharsets.UTF_8))
                .rawObject()).isNull();
        String multiByte = "{\"id\":\"evt_3\",\"type\":\"x.y\",\"description\":\"Müller — ☕\",\"data\":{\"object\":{\"name\":\"Café ☕\"}}}";
        assertThat(StripeEvent.parse(JSON, multiByte.getBytes(StandardCharsets.UTF_8)).rawObject()).isEqualTo("{\"name\":\"Café ☕\"}");
    }

    static String object(String event) {
        return StripeEvent.parse(JSON, event.getBytes(StandardCharsets.UTF_8)).rawObject();
    }

    @Test
    void theSecretsOfStripesObjectsAreReplacedAtAnyDepthAndEveryOtherByteIsKept() throws Exception {
        // A PaymentIntent's client secret, and the one a redirect URL carries as a query parameter; previous_attributes is not kept.
        String intent = "{\"id\":\"evt_1\",\"type\":\"payment_intent.requires_action\",\"data\":{\"object\":{\"id\":\"pi_1\","
                + "\"object\":\"payment_intent\", \"amount\": 1.10, \"client_secret\":\"pi_1_secret_Abc\",\"next_action\":{\"redirect_to_url\":"
                + "{\"url\":\"https://hooks.stripe.com/3ds?payment_intent=pi_1&payment_intent_client_secret=pi_1_secret_Abc&x=1\"}},"
                + "\"metadata\":{\"note\":\"caf\\u00e9\"}},\"previous_attributes\":{\"client_secret\":\"pi_1_secret_Old\"}}}";
        assertThat(object(intent)).isEqualTo("{\"id\":\"pi_1\",\"object\":\"payment_intent\", \"amount\": 1.10, \"client_secret\":\"redacted\","
                + "\"next_action\":{\"redirect_to_url\":{\"url\":\"https://hooks.stripe.com/3ds?payment_intent=pi_1"
                + "&payment_intent_client_secret=redacted&x=1\"}},\"metadata\":{\"note\":\"caf\\u00e9\"}}");
        // A Source inside a charge, with its redirect URL; an ephemeral key's secret (escaped in the text); a null secret stays null.
        String nested = "{\"id\":\"evt_2\",\"type\":\"charge.succeeded\",\"data\":{\"object\":{\"object\":\"charge\",\"source\":"
                + "{\"object\":\"source\",\"client_secret\":\"src_client_secret_Xyz\",\"redirect\":{\"url\":"
                + "\"https://hooks.stripe.com/redirect/authenticate/src_1?client_secret=src_client_secret_Xyz\"}},"
                + "\"keys\":[{\"object\":\"ephemeral_key\",\"secret\":\"ek_test_\\u0041bc\"},{\"secret\":null}]}}}";
        assertThat(object(nested)).isEqualTo("{\"object\":\"charge\",\"source\":{\"object\":\"source\",\"client_secret\":\"redacted\","
                + "\"redirect\":{\"url\":\"https://hooks.stripe.com/redirect/authenticate/src_1?client_secret=redacted\"}},"
                + "\"keys\":[{\"object\":\"ephemeral_key\",\"secret\":\"redacted\"},{\"secret\":null}]}");
        // A customer portal session's URL signs its customer in, whichever comes first of it and the object's type; another URL stays.
        String portal = "{\"id\":\"evt_3\",\"type\":\"billing_portal.session.created\",\"data\":{\"object\":{\"url\":"
                + "\"https://billing.stripe.com/p/session/live_Secret\",\"object\":\"billing_portal.session\",\"return_url\":\"https://shop.example/account\","
                + "\"flow\":{\"url\":\"https://shop.example/kept\"}}}}";
        assertThat(object(portal)).isEqualTo("{\"url\":\"redacted\",\"object\":\"billing_portal.session\","
                + "\"return_url\":\"https://shop.example/account\",\"flow\":{\"url\":\"https://shop.example/kept\"}}");
        for (String event : List.of(intent, nested, portal)) {
            assertThat(JSON.readTree(object(event))).as("still JSON").isNotNull();
            assertThat(object(event)).doesNotContain("_secret_", "ek_test", "\\u0041bc", "live_Secret");
        }
        // No secret: the very text, multi-byte characters, escapes and number forms included.
        String plain = StripeStubs.fixture("event-charge-succeeded.json");
        String text = StripeEvent.parse(JSON, plain.getBytes(StandardCharsets.UTF_8)).rawObject();
        assertThat(StripeObjectSecrets.redacted(JSON, text)).isSameAs(text);
        String multiByte = "{\"id\":\"e\",\"type\":\"x.y\",\"data\":{\"object\":{\"name\":\"Caf\u00e9 \u2615\",\"client_secret\":\"seti_1_secret_\u00e9\",\"n\":1E+2}}}";
        assertThat(object(multiByte)).isEqualTo("{\"name\":\"Caf\u00e9 \u2615\",\"client_secret\":\"redacted\",\"n\":1E+2}");
    }

    @Test
    void anEventNotInUtf8IsRefusedAsMalformed() {
        String event = "{\"id\":\"evt_1\",\"type\":\"charge.succeeded\",\"account\":\"acct_1Abc\",\"data\":{\"object\":{\"id\":\"ch_1\"}}}";
        for (java.nio.charset.Charset charset : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, java.nio.charset.Charset.forName("UTF-32"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> StripeEvent.parse(JSON, event.getBytes(charset)))
                    .as(charset.name()).isInstanceOf(dev.stripeconnector.common.MalformedRequest.class);
        }
    }
}
