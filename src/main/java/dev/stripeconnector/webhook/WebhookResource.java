package dev.stripeconnector.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.common.ApiProblem;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Stripe's webhook endpoint: the raw body is verified before anything reads it. */
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
    @Operation(summary = "Stripe Connect webhooks (account.application.deauthorized), signature-verified")
    public Map<String, Object> receive(@HeaderParam("Stripe-Signature") String signature, byte[] body) {
        if (!verifier.configured()) {
            throw new ApiProblem(503, "webhooks-not-configured", "Webhooks not configured",
                    "CONNECTOR_STRIPE_WEBHOOK_SECRETS is not set, so no webhook can be verified");
        }
        byte[] raw = body == null ? new byte[0] : body;
        String problem = verifier.problemWith(signature, raw);
        if (problem != null) {
            throw new ApiProblem(400, "invalid-signature", "Invalid signature", "The event was not accepted: " + problem);
        }
        JsonNode event;
        try {
            event = json.readTree(raw);
        } catch (IOException e) {
            throw ApiProblem.badRequest("The event is not valid JSON");
        }
        if (event == null || !event.path("id").isTextual() || !event.path("type").isTextual()) {
            throw ApiProblem.badRequest("The event has no id or type");
        }
        String account = event.path("account").isTextual() ? event.path("account").asText() : null;
        WebhookService.Result result = service.handle(event.get("id").asText(), event.get("type").asText(), account);
        return Map.of("received", true, "result", result.name().toLowerCase());
    }
}
