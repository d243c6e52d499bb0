package dev.stripeconnector.partner;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A key just issued: the only answer that ever holds the key itself. */
@Schema(name = "IssuedPartnerApiKey")
public record IssuedPartnerKey(
        @Schema(required = true, example = "sck_acme_Q3vZ…", description = "the key, shown this once: only its hash is stored") String key,
        @Schema(required = true) PartnerKeyView apiKey,
        @Schema(description = "rotation only: the old key, with the time it stops working")
        @JsonInclude(JsonInclude.Include.NON_NULL) PartnerKeyView replaced) {

    @Override
    public String toString() {
        return "IssuedPartnerKey[" + apiKey.prefix() + "…]";
    }
}
