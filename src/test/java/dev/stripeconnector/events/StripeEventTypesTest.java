package dev.stripeconnector.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The patterns a subscription chooses Stripe's events with: a * is one segment, a trailing * the rest. */
class StripeEventTypesTest {

    static boolean matches(String pattern, String type) {
        return StripeEventTypes.matches(pattern, type);
    }

    @Test
    void aStarIsOneSegmentAndATrailingStarTheRest() {
        assertThat(matches("charge.succeeded", "charge.succeeded")).isTrue();
        assertThat(matches("charge.succeeded", "charge.succeeded.extra")).isFalse();
        assertThat(matches("charge.succeeded", "charge")).isFalse();
        assertThat(matches("charge.*", "charge.succeeded")).isTrue();
        assertThat(matches("charge.*", "charge.dispute.created")).isTrue();
        assertThat(matches("charge.*", "charge")).isFalse();
        assertThat(matches("charge.*", "chargeback.created")).isFalse();
        assertThat(matches("*.updated", "account.updated")).isTrue();
        assertThat(matches("*.updated", "customer.subscription.updated")).isFalse();
        assertThat(matches("customer.*.updated", "customer.subscription.updated")).isTrue();
        assertThat(matches("customer.*.updated", "customer.updated")).isFalse();
        assertThat(matches("*", "v1.billing.meter.error_report_triggered")).isTrue();
        assertThat(matches("payout.failed,charge.*", "charge.refunded")).as("any of the stored patterns").isTrue();
        assertThat(matches(null, "charge.succeeded")).as("none stored: nothing").isFalse();
        assertThat(matches("*", null)).isFalse();
    }

    @Test
    void patternsAreStoredOnceEachInTheirOrderOrRefused() {
        List<String> problems = new ArrayList<>();
        assertThat(StripeEventTypes.stored(List.of("charge.*", "account.updated", "charge.*"), problems)).isEqualTo("charge.*,account.updated");
        assertThat(StripeEventTypes.stored(List.of(), problems)).isNull();
        assertThat(StripeEventTypes.stored(null, problems)).isNull();
        assertThat(problems).isEmpty();
        assertThat(StripeEventTypes.stored(List.of("charge.**"), problems)).isNull();
        assertThat(StripeEventTypes.stored(java.util.Collections.nCopies(101, "charge.*"), problems)).isNull();
        assertThat(problems).hasSize(2);
    }
}
