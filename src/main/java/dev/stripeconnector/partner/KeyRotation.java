package dev.stripeconnector.partner;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/v1/partners/{partnerId}/api-keys/{keyId}/rotate}; every field is optional. */
@Schema(name = "ApiKeyRotation")
public class KeyRotation {

    @Schema(implementation = String.class, format = "date-time",
            description = "until when the old key keeps working, to move every client to the new one (default: now, it stops at once)")
    public Instant oldKeyExpiresAt;

    @Schema(implementation = String.class, format = "date-time", description = "when the new key stops working (default: never)")
    public Instant expiresAt;
}
