package dev.stripeconnector.partner;

import dev.stripeconnector.audit.AuditTrail;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.partner.PartnerProblems.InvalidState;
import dev.stripeconnector.partner.PartnerProblems.NotFound;
import dev.stripeconnector.security.Roles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Operators' management of a partner's API keys: issue (the key is shown once, only its hash kept),
 * list, rotate (a new key; the old one works until a chosen time) and revoke. Every change is one
 * transaction and takes effect at the key's next request on every replica ({@link PartnerKeys#find}).
 */
@ApplicationScoped
public class PartnerKeyService {

    /** The roles a partner's key may hold, in the order they are shown. Never operator or maintenance: those are service-wide. */
    static final List<String> ROLES = List.of(Roles.API, Roles.CREDENTIALS_READER, Roles.ADMIN);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final PartnerKeys keys;
    private final Partners partners;
    private final ServiceClock clock;
    private final AuditTrail audit;

    public PartnerKeyService(PartnerKeys keys, Partners partners, ServiceClock clock, AuditTrail audit) {
        this.audit = audit;
        this.keys = keys;
        this.partners = partners;
        this.clock = clock;
    }

    public IssuedPartnerKey create(PartnerId partner, NewPartnerKey body) {
        NewPartnerKey key = body != null ? body : new NewPartnerKey();
        Instant now = clock.now();
        Fields fields = new Fields();
        if (key.name == null || !NAME.matcher(key.name).matches()) {
            fields.add("name", key.name == null ? "is required" : "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        String roles = roles(fields, key.roles);
        future(fields, "expiresAt", key.expiresAt, now);
        fields.orThrow();
        return QuarkusTransaction.requiringNew().call(() -> {
            // Locked: a deletion of the partner at the same moment waits, or is waited for.
            Partner.lock(partner).orElseThrow(() -> NotFound.partner(partner));
            Issued issued = issue(partner, key.name, roles, key.expiresAt, now);
            audit.record(partner, "api-key.issue", null, subject(issued.entity()),
                    key.expiresAt == null ? List.of("name", "roles") : List.of("name", "roles", "expiresAt"));
            return new IssuedPartnerKey(issued.token().key(), view(issued.entity(), now), null);
        });
    }

    public List<PartnerKeyView> list(PartnerId partner) {
        if (partners.find(partner).isEmpty()) {
            throw NotFound.partner(partner);
        }
        Instant now = clock.now();
        return keys.of(partner).stream().map(key -> PartnerKeyView.of(key, now)).toList();
    }

    public PartnerKeyView get(PartnerId partner, UUID id) {
        return keys.find(partner, id).map(key -> PartnerKeyView.of(key, clock.now())).orElseThrow(() -> notFound(partner, id));
    }

    /**
     * Issues a new key with the old one's name and roles; the old one works until {@code oldKeyExpiresAt}
     * (default: now, so it stops at once), or its own earlier expiry.
     */
    public IssuedPartnerKey rotate(PartnerId partner, UUID id, KeyRotation body) {
        KeyRotation rotation = body != null ? body : new KeyRotation();
        Instant now = clock.now();
        Fields fields = new Fields();
        if (rotation.oldKeyExpiresAt != null && rotation.oldKeyExpiresAt.isBefore(now)) {
            fields.add("oldKeyExpiresAt", "must not be in the past (omit it to end the old key now)");
        }
        future(fields, "expiresAt", rotation.expiresAt, now);
        fields.orThrow();
        return QuarkusTransaction.requiringNew().call(() -> {
            PartnerKey old = PartnerKey.lock(partner, id).orElseThrow(() -> notFound(partner, id));
            if (old.revokedAt != null) {
                throw new InvalidState("The API key " + id + " is revoked: issue a new key instead");
            }
            if (old.expiresAt != null && !old.expiresAt.isAfter(now)) {
                throw new InvalidState("The API key " + id + " has expired: issue a new key instead");
            }
            if (old.replacedBy != null) {
                throw new InvalidState("The API key " + id + " was rotated already: rotate its replacement, " + old.replacedBy);
            }
            Issued issued = issue(partner, old.name, old.roles, rotation.expiresAt, now);
            Instant end = rotation.oldKeyExpiresAt != null ? rotation.oldKeyExpiresAt : now;
            old.expiresAt = old.expiresAt != null && old.expiresAt.isBefore(end) ? old.expiresAt : end;
            old.replacedBy = issued.entity().id;
            audit.record(partner, "api-key.rotate", null, subject(old), List.of("expiresAt", "replacedBy"));
            return new IssuedPartnerKey(issued.token().key(), view(issued.entity(), now), view(old, now));
        });
    }

    /** Revokes the key at once; revoking a revoked key changes nothing. */
    public PartnerKeyView revoke(PartnerId partner, UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            PartnerKey key = PartnerKey.lock(partner, id).orElseThrow(() -> notFound(partner, id));
            Instant now = clock.now();
            if (key.revokedAt == null) {
                key.revokedAt = now;
                audit.record(partner, "api-key.revoke", null, subject(key), List.of("revokedAt"));
            }
            return view(key, now);
        });
    }

    /** How the audit trail names a key: its name and id (never the key, nor its prefix). */
    private static String subject(PartnerKey key) {
        return key.name + " (" + key.id + ")";
    }

    private record Issued(PartnerKeyTokens.Issued token, PartnerKey entity) {
    }

    private static Issued issue(PartnerId partner, String name, String roles, Instant expiresAt, Instant now) {
        PartnerKeyTokens.Issued token = PartnerKeyTokens.issue(partner);
        PartnerKey key = new PartnerKey();
        key.partnerId = partner.value();
        key.id = UUID.randomUUID();
        key.keyHash = token.hash();
        key.name = name;
        key.prefix = token.prefix();
        key.roles = roles;
        key.createdAt = now;
        key.expiresAt = expiresAt;
        key.persist();
        return new Issued(token, key);
    }

    /** The roles as stored (comma-separated, in {@link #ROLES}' order); {@code api} alone when none are named. */
    private static String roles(Fields fields, List<String> requested) {
        if (requested == null) {
            return Roles.API;
        }
        if (requested.isEmpty()) {
            fields.add("roles", "must name at least one of " + String.join(", ", ROLES));
            return null;
        }
        Set<String> named = new LinkedHashSet<>();
        for (String role : requested) {
            if (!ROLES.contains(role)) {
                fields.add("roles", "must each be one of " + String.join(", ", ROLES));
                return null;
            }
            named.add(role);
        }
        return String.join(",", ROLES.stream().filter(named::contains).toList());
    }

    private static void future(Fields fields, String field, Instant value, Instant now) {
        if (value != null && !value.isAfter(now)) {
            fields.add(field, "must be in the future");
        }
    }

    private static PartnerKeyView view(PartnerKey key, Instant now) {
        return PartnerKeyView.of(new PartnerKeys.Row(new PartnerId(key.partnerId), key.id, key.name, key.prefix, List.of(key.roles.split(",")),
                key.createdAt, key.lastUsedAt, key.expiresAt, key.revokedAt, key.replacedBy), now);
    }

    private static NotFound notFound(PartnerId partner, UUID id) {
        return new NotFound("Partner '" + partner + "' has no API key with the id " + id);
    }
}
