package dev.stripeconnector.partner;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/v1/partners}. */
@Schema(name = "NewPartner")
public class NewPartner {

    @Schema(required = true, pattern = PartnerId.PATTERN, example = "acme",
            description = "the partner's id: lower-case letters, digits and '-', chosen once and never changed")
    public String id;

    @Schema(required = true, maxLength = Partner.MAX_NAME, example = "Acme Integrations")
    public String name;

    @Schema(required = true, maxLength = ServiceDomains.MAX_LENGTH, example = "stripe.acme.example",
            description = "host[:port] where the partner's people and Stripe reach the service; unique across partners, lower-cased")
    public String serviceDomain;
}
