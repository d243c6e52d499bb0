package dev.stripeconnector.stripe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The facts of {@code GET /v1/account} that the connector keeps. */
// Read and written with Jackson outside of Quarkus REST: registered for the native image.
@io.quarkus.runtime.annotations.RegisterForReflection(targets = {StripeAccount.class, StripeAccount.BusinessProfile.class, StripeAccount.Settings.class, StripeAccount.Dashboard.class})
@JsonIgnoreProperties(ignoreUnknown = true)
public record StripeAccount(
        @JsonProperty("id") String id,
        @JsonProperty("email") String email,
        @JsonProperty("country") String country,
        @JsonProperty("charges_enabled") Boolean chargesEnabled,
        @JsonProperty("payouts_enabled") Boolean payoutsEnabled,
        @JsonProperty("business_profile") BusinessProfile businessProfile,
        @JsonProperty("settings") Settings settings) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BusinessProfile(@JsonProperty("name") String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Settings(@JsonProperty("dashboard") Dashboard dashboard) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Dashboard(@JsonProperty("display_name") String displayName) {
    }

    /**
     * {@code account} when it is {@code expectedId}'s and its facts fit where they are kept (the checks of an answer of
     * {@code GET /v1/account}, for the same object arriving in an event); else a {@link StripeFailure}.
     */
    public static StripeAccount checked(StripeAccount account, String expectedId) {
        return StripeAnswers.account(account, expectedId);
    }

    /** The business name where Stripe has one: the business profile's, else the dashboard's display name. */
    public String businessName() {
        if (businessProfile != null && businessProfile.name() != null) {
            return businessProfile.name();
        }
        return settings != null && settings.dashboard() != null ? settings.dashboard().displayName() : null;
    }
}
