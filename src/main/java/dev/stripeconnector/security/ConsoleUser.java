package dev.stripeconnector.security;

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

/** A person who signs in to the console; the password is kept only as a bcrypt hash. */
@Entity
@Table(name = "console_user")
@UserDefinition
public class ConsoleUser extends PanacheEntityBase {

    public static final int MAX_USERNAME = 64;
    public static final int MIN_PASSWORD = 12;
    public static final int MAX_PASSWORD = 200;

    @Id
    public UUID id;

    @Username
    @Column(nullable = false, unique = true)
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

    public static Optional<ConsoleUser> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    public static ConsoleUser create(String username, String password, Instant now) {
        ConsoleUser user = new ConsoleUser();
        user.id = UUID.randomUUID();
        user.username = username;
        user.password = BcryptUtil.bcryptHash(password);
        user.role = dev.stripeconnector.security.Roles.ADMIN;
        user.enabled = true;
        user.createdAt = now;
        user.updatedAt = now;
        user.persist();
        return user;
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
