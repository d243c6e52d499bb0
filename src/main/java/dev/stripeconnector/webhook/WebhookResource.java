package dev.stripeconnector.webhook;

import jakarta.annotation.security.PermitAll;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.partner.PartnerId;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import dev.stripeconnector.common.ApiDocument;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.common.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Stripe's webhook endpoints, each a partner's: the partner whose service domain the delivery names in
 * its {@code Host} (on the service's own domain, or any other, partner default's). One for the partner's
 * console platform, signed with its console setup's secret (partner default's:
 * {@code CONNECTOR_STRIPE_WEBHOOK_SECRETS}), and one for each platform an account of the partner brings
 * itself ({@code /webhooks/stripe/{client ID}}), signed with the secret stored for it. The raw body is
 * verified before anything reads it, and an event can only affect that partner's connections of the
 * platform whose endpoint received it.
 */
@Path("/webhooks/stripe")
@Tag(name = "Webhooks")
@APIResponse(responseCode = "200", description = "Received: handled, a duplicate, or ignored",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookResource.Receipt.class)))
@APIResponse(responseCode = "400", description = "invalid-signature (so for any client ID without a signing secret here), or a signed"
        + " body that is not a Stripe event",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "413", description = "The body is larger than 1 MiB", content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The console's endpoint has no signing secret (partner default's:"
        + " CONNECTOR_STRIPE_WEBHOOK_SECRETS; another partner's: webhookSecret of its console setup), or the database cannot be reached",
        content = @Content(mediaType = ApiDocument.PROBLEM, schema = @Schema(implementation = Problem.class)))
@PermitAll
public class WebhookResource {

    /** A platform's client ID, as Stripe issues them. */
    static final String PLATFORM_PATTERN = "ca_[A-Za-z0-9]{1,250}";
    static final String PLATFORM_MESSAGE = "must be the client ID of an account's own platform";

    /** What the endpoint answers Stripe. */
    public record Receipt(boolean received, @Schema(enumeration = {"handled", "duplicate", "ignored"}) String result) {
    }

    private final SignatureVerifier verifier;
    private final WebhookSecrets secrets;
    private final PublicOrigins origins;
    private final WebhookService service;
    private final ObjectMapper json;

    public WebhookResource(SignatureVerifier verifier, WebhookSecrets secrets, PublicOrigins origins, WebhookService service, ObjectMapper json) {
        this.verifier = verifier;
        this.secrets = secrets;
        this.origins = origins;
        this.service = service;
        this.json = json;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stripe Connect webhooks of the console's platform, signature-verified: a deauthorization revokes; every event of a"
            + " connected account is forwarded to its installations' subscribers as stripe.event")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
            description = "A Stripe event, verified against Stripe-Signature before it is read")))
    public Receipt receive(@HeaderParam("Stripe-Signature") String signature, byte[] body, @Context HttpServerRequest request) {
        PartnerId partner = origins.of(request).partner();
        List<byte[]> active = secrets.console(partner);
        if (active.isEmpty()) {
            throw new WebhooksNotConfigured(partner.isDefault()
                    ? "CONNECTOR_STRIPE_WEBHOOK_SECRETS is not set, so no webhook can be verified"
                    : "The console setup has no webhook signing secret (webhookSecret), so no webhook can be verified");
        }
        byte[] raw = body == null ? new byte[0] : body;
        String problem = verifier.problemWith(signature, raw, active);
        if (problem != null) {
            throw new InvalidSignature(problem);
        }
        return answer(service.handle(StripeEvent.parse(json, raw), WebhookService.Endpoint.console(partner)));
    }

    @POST
    @Path("/{platform}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stripe Connect webhooks of a platform an account brings itself, signature-verified with its own secret")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
            description = "A Stripe event, verified against Stripe-Signature before it is read")))
    public Receipt receiveForPlatform(@PathParam("platform") @Parameter(description = PLATFORM_MESSAGE,
                                              schema = @Schema(type = SchemaType.STRING, pattern = PLATFORM_PATTERN)) String platform,
                                      @HeaderParam("Stripe-Signature") String signature, byte[] body,
                                      @Context HttpServerRequest request) {
        if (platform == null || !platform.matches(PLATFORM_PATTERN)) {
            throw InvalidInput.of("platform", PLATFORM_MESSAGE);
        }
        // The signature is checked first, and a platform without a secret (unknown, or known but not set up)
        // has none that can match: the answer tells nobody which client IDs exist here (for this partner or another).
        PartnerId partner = origins.of(request).partner();
        byte[] raw = body == null ? new byte[0] : body;
        String problem = verifier.problemWith(signature, raw, secrets.platform(partner, platform));
        if (problem != null) {
            throw new InvalidSignature(problem);
        }
        return answer(service.handle(StripeEvent.parse(json, raw), WebhookService.Endpoint.platform(partner, platform)));
    }

    private static Receipt answer(WebhookService.Result result) {
        // Stripe needs only the 2xx: an event of an account without an installation is "ignored" to it (and counted).
        return new Receipt(true, result == WebhookService.Result.UNATTRIBUTED ? "ignored" : result.name().toLowerCase());
    }
}
