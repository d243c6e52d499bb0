package dev.stripeconnector.console;

import dev.stripeconnector.audit.AuditEntry;
import dev.stripeconnector.audit.AuditRecords;
import dev.stripeconnector.common.InvalidInput;
import dev.stripeconnector.security.Callers;
import dev.stripeconnector.security.ConsolePrincipal;
import dev.stripeconnector.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The console's audit trail: the partner's changes, newest first, filtered by installation and actor; the same reads as {@code GET /api/v1/audit}. */
@Path("/console/audit")
@RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
@Produces(MediaType.TEXT_HTML)
public class ConsoleAuditResource {

    static final int PAGE_SIZE = 50;

    private final AuditRecords records;
    private final ConsolePages pages;
    private final SecurityIdentity identity;

    public ConsoleAuditResource(AuditRecords records, ConsolePages pages, SecurityIdentity identity) {
        this.records = records;
        this.pages = pages;
        this.identity = identity;
    }

    @GET
    public Response audit(@QueryParam("accountId") String accountId, @QueryParam("actor") String actor, @QueryParam("cursor") String cursor) {
        String account = accountId == null ? "" : accountId.strip();
        String who = actor == null ? "" : actor.strip();
        Map<String, Object> data = new HashMap<>();
        data.put("accountId", account);
        data.put("actor", who);
        List<Map<String, Object>> rows = List.of();
        int status = 200;
        try {
            AuditRecords.Page page = records.page(Callers.partnerOf(identity),
                    new AuditRecords.Query(account, who, null, null, String.valueOf(PAGE_SIZE), cursor));
            rows = page.items().stream().map(ConsoleAuditResource::row).toList();
            if (page.nextCursor() != null) {
                data.put("next", "/console/audit?accountId=" + encode(account) + "&actor=" + encode(who) + "&cursor=" + encode(page.nextCursor()));
            }
        } catch (InvalidInput invalid) {
            data.put("problem", "Nothing to show: " + String.join("; ", invalid.errors().stream()
                    .map(e -> ("accountId".equals(e.field()) ? "the account id" : e.field()) + " " + e.message()).toList()));
            status = 400;
        }
        data.put("items", rows);
        data.put("filtered", !account.isEmpty() || !who.isEmpty());
        return pages.render(status, "audit", ConsolePrincipal.username(identity), data);
    }

    private static Map<String, Object> row(AuditEntry entry) {
        Map<String, Object> row = new HashMap<>();
        row.put("when", ConsolePages.when(entry.occurredAt()));
        row.put("actorKind", entry.actorKind().label());
        row.put("actor", entry.actor());
        row.put("action", entry.action());
        row.put("accountId", entry.accountId() == null ? "" : entry.accountId());
        row.put("subject", entry.subject() == null ? "" : entry.subject());
        row.put("fields", String.join(", ", entry.fields()));
        row.put("detail", entry.detail() == null ? "" : entry.detail());
        row.put("address", entry.clientAddress() == null ? "" : entry.clientAddress());
        return row;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
