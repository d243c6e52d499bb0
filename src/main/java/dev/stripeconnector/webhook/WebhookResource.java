package dev.stripeconnector.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.account.PlatformWebhook;
import dev.stripeconnector.crypto.Secret;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Stripe's webhook endpoints: one for the console's platform, signed with
 * {@code CONNECTOR_STRIPE_WEBHOOK_SECRETS}, and one for each platform an account brings itself
 * ({@code /webhooks/stripe/{client ID}}), signed with the secret stored for it. The raw body is
 * verified before anything reads it, and an event can only affect connections of the platform
 * whose endpoint received it.
 */
@Path("/webhooks/stripe")
@Tag(name = "Webhooks")
public class WebhookResource {

    private final SignatureVerifier verifier;
    private final WebhookService service;
    private final ObjectMapper json;

    public WebhookResource(SignatureVerifier verifier, WebhookService service, ObjectMapper json) {
        this.verifier = verifier;
        this.service = service;
        this.json = json;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stripe Connect webhooks of the console's platform (account.application.deauthorized), signature-verified")
    public Map<String, Object> receive(@HeaderParam("Stripe-Signature") String signature, byte[] body) {
        if (!verifier.configured()) {
            throw new WebhooksNotConfigured("CONNECTOR_STRIPE_WEBHOOK_SECRETS is not set, so no webhook can be verified");
        }
        byte[] raw = body == null ? new byte[0] : body;
        String problem = verifier.problemWith(signature, raw);
        if (problem != null) {
            throw new InvalidSignature(problem);
        }
        return answer(service.handle(StripeEvent.parse(json, raw), WebhookService.Endpoint.console()));
    }

    @POST
    @Path("/{platform}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stripe Connect webhooks of a platform an account brings itself, signature-verified with its own secret")
    public Map<String, Object> receiveForPlatform(@PathParam("platform") @Pattern(regexp = "ca_[A-Za-z0-9]{1,250}",
            message = "must be the client ID of an account's own platform") String platform,
                                                  @HeaderParam("Stripe-Signature") String signature, byte[] body) {
        List<byte[]> secrets = QuarkusTransaction.requiringNew().call(() -> PlatformWebhook.forPlatform(platform)
                .map(webhook -> webhook.activeSecrets().stream().map(Secret::reveal).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList())
                .orElse(List.of()));
        if (secrets.isEmpty()) {
            throw new WebhooksNotConfigured("No webhook signing secret is set for the platform " + platform
                    + ": set webhookSecret on an installation that uses it");
        }
        byte[] raw = body == null ? new byte[0] : body;
        String problem = verifier.problemWith(signature, raw, secrets);
        if (problem != null) {
            throw new InvalidSignature(problem);
        }
        return answer(service.handle(StripeEvent.parse(json, raw), WebhookService.Endpoint.platform(platform)));
    }

    private static Map<String, Object> answer(WebhookService.Result result) {
        return Map.of("received", true, "result", result.name().toLowerCase());
    }
}
