package dev.stripeconnector.partner;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/v1/partners/{partnerId}/api-keys}. */
@Schema(name = "NewPartnerApiKey")
public class NewPartnerKey {

    @Schema(required = true, pattern = "[A-Za-z0-9._-]{1,64}", example = "billing-service",
            description = "what the key is for; audit records (credential reads) show it")
    public String name;

    @Schema(description = "what the key may do (default [\"api\"]): api (the partner's routes), credentials-reader"
            + " (GET …/credentials), admin (console users, event subscriptions, redeliveries)",
            example = "[\"api\"]")
    public List<String> roles;

    @Schema(implementation = String.class, format = "date-time", description = "when the key stops working (default: never)")
    public Instant expiresAt;
}
