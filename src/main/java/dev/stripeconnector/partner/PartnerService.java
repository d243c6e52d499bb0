package dev.stripeconnector.partner;

import dev.stripeconnector.audit.AuditTrail;
import dev.stripeconnector.common.Cursors;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.partner.PartnerProblems.AlreadyExists;
import dev.stripeconnector.partner.PartnerProblems.InvalidState;
import dev.stripeconnector.partner.PartnerProblems.NotFound;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Operators' management of partners: create, read, change, disable and delete. Each change is one transaction. */
@ApplicationScoped
public class PartnerService {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 200;

    private final Partners partners;
    private final ServiceClock clock;
    private final PublicOrigins origins;
    private final AuditTrail audit;

    public PartnerService(Partners partners, ServiceClock clock, PublicOrigins origins, AuditTrail audit) {
        this.audit = audit;
        this.partners = partners;
        this.clock = clock;
        this.origins = origins;
    }

    @Schema(name = "PartnerPage")
    public record Page(List<PartnerView> items,
                       @Schema(nullable = true, description = "the cursor of the next page; null on the last page") String nextCursor) {
    }

    /** What a deletion removed: rows per table, the partner's own row included. */
    @Schema(name = "PartnerDeleted")
    public record Deleted(@Schema(required = true, example = "acme") String partnerId,
                          @Schema(required = true, description = "rows deleted per table that held any", example = "{\"account_connector\": 120, \"api_key\": 3, \"connector_settings\": 1, \"partner\": 1}")
                          Map<String, Long> deleted) {
    }

    public PartnerView create(NewPartner body) {
        NewPartner partner = body != null ? body : new NewPartner();
        Fields fields = new Fields();
        if (partner.id == null || partner.id.isEmpty()) {
            fields.add("id", "is required");
        } else if (!PartnerId.valid(partner.id)) {
            fields.add("id", PartnerId.MESSAGE);
        }
        checkName(fields, partner.name);
        String domain = domain(fields, partner.serviceDomain);
        fields.orThrow();
        PartnerId id = new PartnerId(partner.id);
        PartnerView answer = QuarkusTransaction.requiringNew().call(() -> {
            if (Partner.findByIdOptional(id.value()).isPresent()) {
                throw new AlreadyExists("A partner with the id '" + id + "' exists already");
            }
            refuseTakenDomain(domain, id);
            Instant now = clock.now();
            Partner created = new Partner();
            created.id = id.value();
            created.name = partner.name.strip();
            created.status = PartnerStatus.ACTIVE;
            created.serviceDomain = domain;
            created.createdAt = now;
            created.updatedAt = now;
            created.persist();
            flush(id, domain);
            // The partner's console settings start empty, as partner default's did (its row comes from the first migration).
            Partner.getEntityManager().createNativeQuery("insert into connector_settings (partner_id) values (?)")
                    .setParameter(1, id.value()).executeUpdate();
            audit.record(id, "partner.create", null, id.value(), List.of("name", "serviceDomain"));
            return view(created);
        });
        origins.refresh();
        return answer;
    }

    public Page list(String status, String limit, String cursor) {
        Fields fields = new Fields();
        PartnerStatus only = null;
        if (status != null && !status.isEmpty()) {
            only = PartnerStatus.parse(status);
            if (only == null) {
                fields.add("status", "must be active or disabled");
            }
        }
        int size = fields.limit("limit", limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        String after = Cursors.keyOf(fields, "cursor", cursor, PartnerId::valid);
        fields.orThrow();
        // One row more than asked tells whether another page follows without a count query.
        List<Partners.Row> rows = partners.page(after, only, size + 1);
        List<PartnerView> items = rows.stream().limit(size).map(this::view).toList();
        String next = rows.size() > size ? Cursors.of(items.get(items.size() - 1).id()) : null;
        return new Page(items, next);
    }

    public PartnerView get(PartnerId id) {
        return partners.find(id).map(this::view).orElseThrow(() -> NotFound.partner(id));
    }

    /** Changes what the body names; disabling takes effect at the partner's next request, on every replica. */
    public PartnerView change(PartnerId id, PartnerChange body) {
        PartnerChange change = body != null ? body : new PartnerChange();
        Fields fields = new Fields();
        String name = null;
        if (change.name != null) {
            name = change.name.orElse(null);
            checkName(fields, name);
        }
        String domain = null;
        if (change.serviceDomain != null) {
            if (id.isDefault()) {
                fields.add("serviceDomain", "of partner default is the configured CONNECTOR_SERVICE_DOMAIN: change it there");
            } else {
                domain = domain(fields, change.serviceDomain.orElse(null));
            }
        }
        PartnerStatus status = null;
        if (change.status != null) {
            status = PartnerStatus.parse(change.status.orElse(null));
            if (status == null) {
                fields.add("status", "must be active or disabled");
            } else if (status == PartnerStatus.DISABLED && id.isDefault()) {
                fields.add("status", "of partner default cannot be disabled: the configured keys (CONNECTOR_API_KEYS) are its");
            }
        }
        fields.orThrow();
        String newName = name == null ? null : name.strip();
        String newDomain = domain;
        PartnerStatus newStatus = status;
        PartnerView answer = QuarkusTransaction.requiringNew().call(() -> {
            Partner partner = Partner.lock(id).orElseThrow(() -> NotFound.partner(id));
            List<String> changed = new java.util.ArrayList<>();
            if (newName != null && !newName.equals(partner.name)) {
                partner.name = newName;
                changed.add("name");
            }
            if (newDomain != null && !newDomain.equals(partner.serviceDomain)) {
                refuseTakenDomain(newDomain, id);
                partner.serviceDomain = newDomain;
                changed.add("serviceDomain");
            }
            if (newStatus != null && newStatus != partner.status) {
                partner.status = newStatus;
                changed.add("status");
            }
            if (!changed.isEmpty()) {
                partner.updatedAt = clock.now();
                flush(id, newDomain);
                audit.record(id, "partner.update", null, id.value(), changed);
            }
            return view(partner);
        });
        // This replica serves the new domain at once; the others within their next refresh.
        origins.refresh();
        return answer;
    }

    /**
     * Deletes a disabled partner and everything it holds, in one transaction ({@link PartnerData} lists
     * what goes); {@code confirm} must repeat the partner's id, so no slip of a script deletes the wrong one.
     */
    public Deleted delete(PartnerId id, String confirm) {
        if (!id.value().equals(confirm)) {
            new Fields().add("confirm", confirm == null || confirm.isEmpty()
                    ? "is required: repeat the partner's id (confirm=" + id + ") to delete the partner and all its data"
                    : "must be the partner's id, '" + id + "'").orThrow();
        }
        Deleted gone = QuarkusTransaction.requiringNew().call(() -> {
            Partner partner = Partner.lock(id).orElseThrow(() -> NotFound.partner(id));
            if (id.isDefault()) {
                throw new InvalidState("Partner default cannot be deleted: it holds the deployment's configured keys and settings");
            }
            if (partner.status != PartnerStatus.DISABLED) {
                throw new InvalidState("Partner '" + id + "' is active: disable it first (PATCH {\"status\": \"disabled\"}), then delete it");
            }
            Map<String, Long> deleted = new LinkedHashMap<>();
            for (PartnerData.Step step : PartnerData.TABLES) {
                long rows = Partner.getEntityManager().createNativeQuery(step.delete()).setParameter(1, id.value()).executeUpdate();
                if (rows > 0) {
                    deleted.put(step.table(), rows);
                }
            }
            partner.delete();
            Partner.flush();
            deleted.put("partner", 1L);
            // The partner's own records went with its data; the operators' trail keeps who removed it.
            audit.record(null, "partner.remove", null, id.value(), List.of());
            return new Deleted(id.value(), deleted);
        });
        origins.refresh();
        return gone;
    }

    private PartnerView view(Partners.Row row) {
        return view(row.id(), row.name(), row.status(), row.serviceDomain(), row.createdAt(), row.updatedAt());
    }

    private PartnerView view(Partner partner) {
        return view(partner.partnerId(), partner.name, partner.status, partner.serviceDomain, partner.createdAt, partner.updatedAt);
    }

    /** Partner default's domain and redirect URI are the configured ones; every other partner's follow from its domain. */
    private PartnerView view(PartnerId id, String name, PartnerStatus status, String domain, Instant createdAt, Instant updatedAt) {
        boolean configured = domain == null;
        return new PartnerView(id.value(), name, status.api(), configured ? origins.primary().serviceDomain() : domain,
                configured ? origins.primary().redirectUri() : ServiceDomains.redirectUri(domain), createdAt, updatedAt);
    }

    private static void checkName(Fields fields, String name) {
        if (name == null || name.isBlank()) {
            fields.add("name", "is required");
        } else {
            fields.text("name", name, Partner.MAX_NAME);
        }
    }

    /** The normalized domain, refused when it is the service's own (partner default's). */
    private String domain(Fields fields, String value) {
        String domain = ServiceDomains.normalize(fields, "serviceDomain", value);
        if (domain != null && Objects.equals(domain, ServiceDomains.normalize(new Fields(), "serviceDomain", origins.primary().serviceDomain()))) {
            fields.add("serviceDomain", "is the service's own domain (CONNECTOR_SERVICE_DOMAIN), which is partner default's");
            return null;
        }
        return domain;
    }

    private static void refuseTakenDomain(String domain, PartnerId id) {
        Optional<Partner> owner = Partner.<Partner>find("serviceDomain", domain).firstResultOptional();
        if (owner.isPresent() && !owner.get().id.equals(id.value())) {
            throw new AlreadyExists("The service domain " + domain + " belongs to partner '" + owner.get().id + "' already");
        }
    }

    /** Writes now, so that a twin created at the same moment on another replica is answered 409, not 500. */
    private static void flush(PartnerId id, String domain) {
        try {
            Partner.flush();
        } catch (PersistenceException e) {
            String constraint = uniqueConstraint(e);
            if ("partner_pkey".equals(constraint)) {
                throw new AlreadyExists("A partner with the id '" + id + "' exists already");
            }
            if ("partner_service_domain_key".equals(constraint)) {
                throw new AlreadyExists("The service domain " + domain + " belongs to another partner already");
            }
            throw e;
        }
    }

    private static String uniqueConstraint(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException violation && "23505".equals(violation.getSQLState())) {
                return violation.getConstraintName();
            }
        }
        return null;
    }
}
