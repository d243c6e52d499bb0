package dev.stripeconnector.security;

import dev.stripeconnector.common.ServiceClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Console users, from {@link ConsoleUser} (quarkus-security-jpa's user definition): signing in
 * checks the bcrypt hash and counts failures across replicas ({@link SignInAttempt}); every later
 * request restores the session from its encrypted cookie and checks that the user still exists and
 * is enabled, so a disabled user loses access at their next request. These take precedence over the
 * providers quarkus-security-jpa generates, which know neither the lock-out nor {@code enabled}.
 */
public final class ConsoleIdentityProviders {

    private static final Logger LOG = Logger.getLogger(ConsoleIdentityProviders.class);

    /** Above the default (1001) that quarkus-security-jpa's own providers have: these are asked first, and their refusal is final. */
    static final int PRIORITY = 2000;

    private ConsoleIdentityProviders() {
    }

    private static SecurityIdentity identity(ConsoleUser user) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(user.username)).addRole(user.role).build();
    }

    /** The sign-in form: user name and password. */
    @ApplicationScoped
    public static class SignIn implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

        private final ServiceClock clock;

        public SignIn(ServiceClock clock) {
            this.clock = clock;
        }

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public int priority() {
            return PRIORITY;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> {
                String username = request.getUsername();
                String password = new String(request.getPassword().getPassword());
                boolean ok = QuarkusTransaction.requiringNew().call(() -> {
                    if (username == null || username.isEmpty() || SignInAttempt.locked(username, clock.now())) {
                        return false;
                    }
                    Optional<ConsoleUser> user = ConsoleUser.findByUsername(username);
                    // The hash is checked even for an unknown name, so timing does not tell names apart.
                    boolean matches = user.map(u -> u.passwordMatches(password)).orElseGet(() -> {
                        io.quarkus.elytron.security.common.BcryptUtil.matches(password, DUMMY_HASH);
                        return false;
                    });
                    return matches && user.get().enabled;
                });
                QuarkusTransaction.requiringNew().run(() -> {
                    if (ok) {
                        SignInAttempt.succeeded(username);
                    } else if (username != null && !username.isEmpty()) {
                        SignInAttempt.failed(username, clock.now());
                    }
                });
                if (!ok) {
                    LOG.infof("A console sign-in was refused");
                    throw new AuthenticationFailedException("The user name or password is not right, or the user is locked out");
                }
                return identity(QuarkusTransaction.requiringNew().call(() -> ConsoleUser.findByUsername(username).orElseThrow()));
            });
        }

        private static final String DUMMY_HASH = io.quarkus.elytron.security.common.BcryptUtil.bcryptHash("no such user");
    }

    /** A session restored from its cookie: the user must still exist and be enabled. */
    @ApplicationScoped
    public static class Session implements IdentityProvider<TrustedAuthenticationRequest> {

        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public int priority() {
            return PRIORITY;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> QuarkusTransaction.requiringNew().call(() -> ConsoleUser.findByUsername(request.getPrincipal())
                    .filter(user -> user.enabled)
                    .map(ConsoleIdentityProviders::identity)
                    .orElseThrow(() -> new AuthenticationFailedException("The console user no longer exists or is disabled"))));
        }
    }
}
