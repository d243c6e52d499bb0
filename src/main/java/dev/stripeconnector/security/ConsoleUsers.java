package dev.stripeconnector.security;

import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.common.StartupRefusal;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Console users: the first administrator from configuration, and changes by administrators. */
@ApplicationScoped
public class ConsoleUsers {

    private static final Logger LOG = Logger.getLogger(ConsoleUsers.class);
    private static final String NAME = "[A-Za-z0-9._@-]{1,64}";

    private final ConsoleConfig config;
    private final ServiceClock clock;

    public ConsoleUsers(ConsoleConfig config, ServiceClock clock) {
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

    void createFirstAdministrator(@Observes StartupEvent start) {
        if (config.adminUsername().isEmpty() || config.adminPassword().isEmpty()) {
            return;
        }
        String username = config.adminUsername().get().strip();
        String password = config.adminPassword().get();
        if (!username.matches(NAME) || !acceptablePassword(password)) {
            throw new StartupRefusal("CONNECTOR_CONSOLE_ADMIN_USERNAME or CONNECTOR_CONSOLE_ADMIN_PASSWORD is malformed: a name of"
                    + " letters, digits, '.', '_', '@' or '-', and a password of " + ConsoleUser.MIN_PASSWORD + " to "
                    + ConsoleUser.MAX_PASSWORD + " characters without control characters");
        }
        boolean created = QuarkusTransaction.requiringNew().call(() -> {
            if (ConsoleUser.findByUsername(username).isPresent()) {
                return false;
            }
            ConsoleUser.create(username, password, clock.now());
            return true;
        });
        if (created) {
            LOG.infof("Created the console's first administrator '%s' from configuration", username);
        }
    }

    /** The same rule everywhere a password is set, so that every password set can also be signed in with. */
    private static boolean acceptablePassword(String password) {
        return password != null && password.length() >= ConsoleUser.MIN_PASSWORD && password.length() <= ConsoleUser.MAX_PASSWORD
                && !Fields.hasControlCharacter(password);
    }

    public List<View> list() {
        return QuarkusTransaction.requiringNew().call(() -> ConsoleUser.<ConsoleUser>listAll().stream()
                .sorted(java.util.Comparator.comparing((ConsoleUser u) -> u.username)).map(View::of).toList());
    }

    /** Creates or changes a console user; a new one needs a password. */
    public View put(String username, Change change) {
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
            ConsoleUser user = ConsoleUser.findByUsername(username).orElse(null);
            if (user == null) {
                if (password == null) {
                    Fields missing = new Fields().add("password", "is required for a new console user");
                    missing.orThrow();
                }
                user = ConsoleUser.create(username, password, clock.now());
            } else if (password != null) {
                user.setPassword(password, clock.now());
            }
            if (body.enabled != null && body.enabled.isPresent()) {
                user.setEnabled(body.enabled.get(), clock.now());
            }
            return View.of(user);
        });
    }
}
