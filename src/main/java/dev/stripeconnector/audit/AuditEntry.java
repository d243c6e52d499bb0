package dev.stripeconnector.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One change in the audit trail, as the API and the console show it. */
public record AuditEntry(
        @Schema(required = true) UUID id,
        @Schema(required = true, description = "when the change was made") Instant occurredAt,
        @Schema(required = true, description = "who made it: a partner's console user (user) or API key (key), the service operator's console"
                + " user (operator-user) or API key (operator-key), or the service (system) for Stripe or a background run")
        Actor.Kind actorKind,
        @Schema(required = true, description = "the console user's name (an operator's as operator {username}) or the API key's name (never the key),"
                + " or stripe, re-encryption, service",
                example = "ci-deploy") String actor,
        @Schema(required = true, example = "connector.update") String action,
        @Schema(nullable = true, description = "the installation changed, if one was") String accountId,
        @Schema(nullable = true, description = "what else was changed: a console user's name, a key's name, a subscription's id, a partner's id,"
                + " the event redelivered, the table a forced purge deleted from")
        String subject,
        @Schema(required = true, description = "the names of the fields changed, never their values", example = "[\"clientId\", \"clientSecret\"]")
        List<String> fields,
        @Schema(nullable = true, description = "what an action that changes rows rather than fields did, in ids and counts (a redelivery's"
                + " deliveries, the rows a purge deleted); never a secret", example = "1000 rows older than 2026-09-08T12:00:00Z (retention P90D)")
        String detail,
        @Schema(nullable = true, description = "the client's address (the forwarded one only from a trusted proxy); null without a request")
        String clientAddress) {
}
