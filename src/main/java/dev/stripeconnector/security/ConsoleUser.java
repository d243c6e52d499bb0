package dev.stripeconnector.security;

import dev.stripeconnector.partner.PartnerId;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.security.jpa.Password;
import io.quarkus.security.jpa.Roles;
import io.quarkus.security.jpa.UserDefinition;
import io.quarkus.security.jpa.Username;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A person who signs in to the console: one partner's user (names unique within the partner), or an
 * operator ({@code partner_id} null; names unique among operators and, checked when created, against
 * partner default's users, since both sign in on the service's own domain). The password is kept only
 * as a bcrypt hash.
 */
@Entity
@Table(name = "console_user")
@UserDefinition
public class ConsoleUser extends PanacheEntityBase {

    public static final int MAX_USERNAME = 64;
    public static final int MIN_PASSWORD = 12;
    public static final int MAX_PASSWORD = 200;

    @Id
    public UUID id;

    /** The partner the user belongs to; null for an operator. */
    @Column(name = "partner_id")
    public String partnerId;

    @Username
    @Column(nullable = false)
    public String username;

    @Password
    @Column(nullable = false)
    public String password;

    @Roles
    @Column(nullable = false)
    public String role;

    /** A disabled user cannot sign in, and an open session stops working at its next request. */
    @Column(nullable = false)
    public boolean enabled;

    /**
     * Moves on when the password changes or the user is disabled: a session names the epoch it was
     * opened in ({@link ConsolePrincipal}), so every session opened before stops working.
     */
    @Column(name = "session_epoch", nullable = false)
    public long sessionEpoch;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** A partner's user, or with {@code partner} null an operator. */
    public static Optional<ConsoleUser> find(PartnerId partner, String username) {
        return partner == null ? find("partnerId is null and username = ?1", username).firstResultOptional()
                : find("partnerId = ?1 and username = ?2", partner.value(), username).firstResultOptional();
    }

    /**
     * Who signs in with {@code username} on the service's own domain: partner default's user or the operator
     * of that name (creating either refuses a name the other has, so there is at most one).
     */
    public static Optional<ConsoleUser> findOnServiceDomain(String username) {
        return find("(partnerId is null or partnerId = ?1) and username = ?2", PartnerId.DEFAULT.value(), username).firstResultOptional();
    }

    public static java.util.List<ConsoleUser> listOf(PartnerId partner) {
        return list("partnerId = ?1 order by username", partner.value());
    }

    /** A new user of {@code partner} with the admin role, or with {@code partner} null an operator. */
    public static ConsoleUser create(PartnerId partner, String username, String password, Instant now) {
        ConsoleUser user = new ConsoleUser();
        user.id = UUID.randomUUID();
        user.partnerId = partner == null ? null : partner.value();
        user.username = username;
        user.password = BcryptUtil.bcryptHash(password);
        user.role = partner == null ? dev.stripeconnector.security.Roles.OPERATOR : dev.stripeconnector.security.Roles.ADMIN;
        user.enabled = true;
        user.createdAt = now;
        user.updatedAt = now;
        user.persist();
        return user;
    }

    /** The partner the user belongs to; null for an operator. */
    public PartnerId partner() {
        return partnerId == null ? null : new PartnerId(partnerId);
    }

    public boolean passwordMatches(String candidate) {
        return BcryptUtil.matches(candidate, password);
    }

    /** A new password ends every session opened with the old one. */
    public void setPassword(String newPassword, Instant now) {
        password = BcryptUtil.bcryptHash(newPassword);
        sessionEpoch++;
        updatedAt = now;
    }

    /** Enables or disables the user; disabling ends every open session, and enabling again does not revive them. */
    public void setEnabled(boolean enable, Instant now) {
        if (enabled && !enable) {
            sessionEpoch++;
        }
        enabled = enable;
        updatedAt = now;
    }
}
