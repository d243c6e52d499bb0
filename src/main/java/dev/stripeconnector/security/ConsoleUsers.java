package dev.stripeconnector.security;

import dev.stripeconnector.audit.AuditTrail;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.common.StartupRefusal;
import dev.stripeconnector.partner.PartnerId;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Console users: partner default's first administrator and the first operator from configuration,
 * and changes by a partner's administrators to their own partner's users. Partner default's users and
 * the operators sign in on the same page (the service's own domain), so a name one of them has is
 * refused to the other.
 */
@ApplicationScoped
public class ConsoleUsers {

    private static final Logger LOG = Logger.getLogger(ConsoleUsers.class);
    private static final String NAME = "[A-Za-z0-9._@-]{1,64}";

    private final ConsoleConfig config;
    private final ServiceClock clock;
    private final AuditTrail audit;

    public ConsoleUsers(ConsoleConfig config, ServiceClock clock, AuditTrail audit) {
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    /** What the API shows of a console user: never the password or its hash. */
    public record View(String username, String role, boolean enabled, java.time.Instant createdAt, java.time.Instant updatedAt) {
        static View of(ConsoleUser user) {
            return new View(user.username, user.role, user.enabled, user.createdAt, user.updatedAt);
        }
    }

    /** Body of {@code PUT /api/v1/console-users/{username}}: omitted keeps. */
    public static class Change {
        public Optional<String> password;
        public Optional<Boolean> enabled;
    }

    void createFirstUsers(@Observes StartupEvent start) {
        createFromConfiguration(PartnerId.DEFAULT, config.adminUsername(), config.adminPassword(), "CONNECTOR_CONSOLE_ADMIN", "administrator");
        createFromConfiguration(null, config.operatorUsername(), config.operatorPassword(), "CONNECTOR_CONSOLE_OPERATOR", "operator");
    }

    /** Creates a configured first user (of {@code partner}, or an operator) unless one of that name exists already. */
    private void createFromConfiguration(PartnerId partner, Optional<String> name, Optional<String> secret, String setting, String what) {
        if (name.isEmpty() || secret.isEmpty()) {
            return;
        }
        String username = name.get().strip();
        String password = secret.get();
        if (!username.matches(NAME) || !acceptablePassword(password)) {
            throw new StartupRefusal(setting + "_USERNAME or " + setting + "_PASSWORD is malformed: a name of"
                    + " letters, digits, '.', '_', '@' or '-', and a password of " + ConsoleUser.MIN_PASSWORD + " to "
                    + ConsoleUser.MAX_PASSWORD + " characters without control characters");
        }
        boolean created = QuarkusTransaction.requiringNew().call(() -> {
            lockServiceDomainName(partner, username);
            if (ConsoleUser.find(partner, username).isPresent()) {
                return false;
            }
            if (clashesOnServiceDomain(partner, username)) {
                throw new StartupRefusal(setting + "_USERNAME '" + username + "' is already the name of "
                        + (partner == null ? "one of partner default's console users" : "an operator")
                        + ": both sign in on the service's own domain, so their names must differ");
            }
            ConsoleUser.create(partner, username, password, clock.now());
            audit.record(partner, "console-user.create", null, username, List.of("password"));
            return true;
        });
        if (created) {
            LOG.infof("Created the console's first %s '%s' from configuration", what, username);
        }
    }

    /** The same rule everywhere a password is set, so that every password set can also be signed in with. */
    private static boolean acceptablePassword(String password) {
        return password != null && password.length() >= ConsoleUser.MIN_PASSWORD && password.length() <= ConsoleUser.MAX_PASSWORD
                && !Fields.hasControlCharacter(password);
    }

    public List<View> list(PartnerId partner) {
        return QuarkusTransaction.requiringNew().call(() -> ConsoleUser.listOf(partner).stream().map(View::of).toList());
    }

    /** Creates or changes one of {@code partner}'s console users; a new one needs a password. */
    public View put(PartnerId partner, String username, Change change) {
        Change body = change == null ? new Change() : change;
        Fields fields = new Fields();
        if (!username.matches(NAME)) {
            fields.add("username", "must be 1-64 letters, digits, '.', '_', '@' or '-'");
        }
        String password = body.password == null ? null : body.password.orElse(null);
        if (body.password != null && !acceptablePassword(password)) {
            fields.add("password", "must be " + ConsoleUser.MIN_PASSWORD + " to " + ConsoleUser.MAX_PASSWORD
                    + " characters without control characters");
        }
        fields.orThrow();
        return QuarkusTransaction.requiringNew().call(() -> {
            lockServiceDomainName(partner, username);
            ConsoleUser user = ConsoleUser.find(partner, username).orElse(null);
            boolean created = false;
            List<String> changed = new java.util.ArrayList<>();
            if (user == null) {
                if (password == null) {
                    new Fields().add("password", "is required for a new console user").orThrow();
                }
                if (clashesOnServiceDomain(partner, username)) {
                    new Fields().add("username", "is an operator's name: partner default's users and the operators sign in on the same"
                            + " page, so choose another").orThrow();
                }
                user = ConsoleUser.create(partner, username, password, clock.now());
                created = true;
                changed.add("password");
            } else if (password != null) {
                user.setPassword(password, clock.now());
                changed.add("password");
            }
            if (body.enabled != null && body.enabled.isPresent()) {
                if (user.enabled != body.enabled.get()) {
                    changed.add("enabled");
                }
                user.setEnabled(body.enabled.get(), clock.now());
            }
            if (created || !changed.isEmpty()) {
                audit.record(partner, created ? "console-user.create" : "console-user.update", null, username, changed);
            }
            return View.of(user);
        });
    }

    /**
     * Whether a new user of {@code partner} (null: an operator) would share its name with someone who signs in
     * on the same page: an operator for partner default's, partner default's user for an operator.
     */
    private static boolean clashesOnServiceDomain(PartnerId partner, String username) {
        if (partner == null) {
            return ConsoleUser.find(PartnerId.DEFAULT, username).isPresent();
        }
        return partner.isDefault() && ConsoleUser.find(null, username).isPresent();
    }

    /**
     * Holds, to the end of the transaction, the name on the service's own domain: no unique index spans
     * operators and partner default's users, so two creations of one name there, on any replicas, take turns.
     */
    private static void lockServiceDomainName(PartnerId partner, String username) {
        if (partner == null || partner.isDefault()) {
            ConsoleUser.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtext('console_user:' || ?1))")
                    .setParameter(1, username).getSingleResult();
        }
    }
}
