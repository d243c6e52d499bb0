package dev.stripeconnector.events;

import static dev.stripeconnector.support.EventReceiver.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.stripeconnector.crypto.SecretCipher;
import dev.stripeconnector.support.Api;
import dev.stripeconnector.support.EventReceiver;
import dev.stripeconnector.support.Flows;
import dev.stripeconnector.support.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same receiver the other event tests use (WireMock, http on 127.0.0.1), with an empty allow-list,
 * as production runs by default: it cannot be subscribed, and a subscription saved while the
 * allow-list still admitted it (the list was narrowed since) is refused at every connection, with
 * nothing sent.
 */
@QuarkusTest
@TestProfile(ReceiverNotAllowListedTest.EmptyAllowList.class)
class ReceiverNotAllowListedTest {

    public static class EmptyAllowList implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.events.allowed-hosts", "");
        }
    }

    static EventReceiver receiver;

    @BeforeAll
    static void startReceiver() {
        receiver = EventReceiver.start();
        Api.resetDatabase();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
        Api.resetDatabase();
    }

    @Test
    void theLocalReceiverIsRefusedWhenSavedAndWhenConnecting() {
        admin().contentType(ContentType.JSON).body(Map.of("url", receiver.url("/hooks"), "eventTypes", List.of("*")))
                .post("/api/v1/event-subscriptions").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("url")).body("errors[0].message", containsString("must use https"));
        admin().contentType(ContentType.JSON).body(Map.of("url", "https://127.0.0.1:" + receiver.server().port() + "/hooks",
                "eventTypes", List.of("*"))).post("/api/v1/event-subscriptions").then().statusCode(400)
                .body("errors[0].message", containsString("port 443"));

        // Saved under a wider allow-list, before it was narrowed to nothing.
        UUID id = UUID.randomUUID();
        Api.update("insert into event_subscription (id, url, event_types, signing_secret, created_at, updated_at)"
                        + " values (?::uuid, ?, '*', ?, now(), now())", id.toString(), receiver.url("/hooks"),
                SecretCipher.of(TestKeys.ENCRYPTION_KEY_1).encrypt("scsec_SavedBeforeTheAllowListWasNarrowed0000000000"));
        Flows.consoleSetup();

        Instant deadline = Instant.now().plusSeconds(20);
        JsonPath attempts;
        do {
            EventReceiver.pause(50);
            attempts = admin().get("/api/v1/event-subscriptions/" + id + "/attempts").then().statusCode(200).extract().jsonPath();
        } while (attempts.getList("").isEmpty() && Instant.now().isBefore(deadline));
        assertThat(attempts.getString("[0].outcome")).isEqualTo("retrying");
        assertThat(attempts.getString("[0].error")).startsWith("refused: the URL must use https");
        assertThat(attempts.getString("[0].httpStatus")).isNull();
        assertThat(receiver.received()).as("nothing reached the receiver").isEmpty();
    }
}
