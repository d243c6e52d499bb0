package dev.stripeconnector.audit;

import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The query of every read of the audit trail (the partner's and the service-wide one), as the caller wrote it. */
public class AuditFilters {

    @Parameter(description = "Only the records of this installation")
    @QueryParam("accountId")
    String accountId;

    @Parameter(description = "Only the records of this actor: a console user's or an API key's name, or stripe, re-encryption, service")
    @QueryParam("actor")
    String actor;

    @Parameter(description = "Only the records at or after this time (ISO-8601 with offset, e.g. 2026-12-07T15:00:00Z)")
    @QueryParam("since")
    String since;

    @Parameter(description = "Only the records before this time (ISO-8601 with offset)")
    @QueryParam("until")
    String until;

    @Parameter(description = "1 to 200 (default 50)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
    @QueryParam("limit")
    String limit;

    @Parameter(description = "a page's nextCursor (the page after it)")
    @QueryParam("cursor")
    String cursor;

    AuditRecords.Query query() {
        return new AuditRecords.Query(accountId, actor, since, until, limit, cursor);
    }
}
