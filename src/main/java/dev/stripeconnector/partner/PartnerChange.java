package dev.stripeconnector.partner;

import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code PATCH /api/v1/partners/{partnerId}}: an omitted field keeps its value. */
@Schema(name = "PartnerChange")
public class PartnerChange {

    @Schema(maxLength = Partner.MAX_NAME, example = "Acme Integrations Ltd")
    public Optional<String> name;

    @Schema(maxLength = ServiceDomains.MAX_LENGTH, example = "connect.acme.example",
            description = "a new domain: the partner registers the new redirect URI at Stripe (partner default's is configured, not changed here)")
    public Optional<String> serviceDomain;

    @Schema(enumeration = {"active", "disabled"},
            description = "disabled: none of the partner's keys, users, links or callbacks work, at once; active again restores them")
    public Optional<String> status;
}
