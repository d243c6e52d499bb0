package dev.stripeconnector.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.support.StripeStubs;
import java.nio.charset.StandardCharsets;
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
}
