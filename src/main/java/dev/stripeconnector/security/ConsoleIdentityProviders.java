package dev.stripeconnector.security;

import dev.stripeconnector.common.DatabaseFailures;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Console users, from {@link ConsoleUser} (quarkus-security-jpa's user definition). Signing in
 * checks the form ({@link SignInForm}), reserves one of the name's guesses across replicas
 * ({@link SignInAttempts}) and only then checks the bcrypt hash; every later request restores the
 * session from its encrypted cookie and checks that the user still exists, is enabled and has not
 * changed the password since ({@link ConsolePrincipal}), so a disabled user or an old password loses
 * access at its next request. These take precedence over the providers quarkus-security-jpa
 * generates, which know neither the lock-out nor {@code enabled}.
 */
public final class ConsoleIdentityProviders {

    private static final Logger LOG = Logger.getLogger(ConsoleIdentityProviders.class);

    /** Above the default (1001) that quarkus-security-jpa's own providers have: these are asked first, and their refusal is final. */
    static final int PRIORITY = 2000;

    private ConsoleIdentityProviders() {
    }

    private static SecurityIdentity identity(ConsoleUser user) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new ConsolePrincipal(user.username, user.sessionEpoch)).addRole(user.role).build();
    }

    /** The sign-in form: user name and password. */
    @ApplicationScoped
    public static class SignIn implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

        private static final String DUMMY_HASH = BcryptUtil.bcryptHash("no such user");

        private final SignInAttempts attempts;

        public SignIn(SignInAttempts attempts) {
            this.attempts = attempts;
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
            RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
            String username = request.getUsername();
            String password = new String(request.getPassword().getPassword());
            if (!SignInForm.acceptable(username, password, http)) {
                return Uni.createFrom().failure(refused(http, SignInForm.Refusal.INVALID));
            }
            return context.runBlocking(() -> {
                try {
                    return check(username, password, http);
                } catch (RuntimeException e) {
                    if (e instanceof AuthenticationFailedException || !DatabaseFailures.isUnavailable(e)) {
                        throw e;
                    }
                    LOG.warnf("A console sign-in could not be checked: the database is unavailable (%s)", e.getMessage());
                    throw refused(http, SignInForm.Refusal.UNAVAILABLE);
                }
            });
        }

        private SecurityIdentity check(String username, String password, RoutingContext http) {
            String subject = SignInAttempts.subjectOf(username);
            if (!attempts.reserve(subject)) {
                throw refused(http, SignInForm.Refusal.LOCKED);
            }
            Optional<ConsoleUser> user = QuarkusTransaction.requiringNew().call(() -> ConsoleUser.findByUsername(username));
            boolean matches = user.isPresent() ? user.get().passwordMatches(password) : noSuchUser(password);
            if (matches && user.get().enabled) {
                attempts.succeeded(subject);
                return identity(user.get());
            }
            attempts.failed(subject);
            throw refused(http, SignInForm.Refusal.WRONG);
        }

        /** Checks the password against a hash all the same, so the time taken does not tell unknown names apart. */
        private static boolean noSuchUser(String password) {
            BcryptUtil.matches(password, DUMMY_HASH);
            return false;
        }

        private static AuthenticationFailedException refused(RoutingContext http, SignInForm.Refusal refusal) {
            LOG.infof("A console sign-in was refused (%s)", refusal.parameter);
            SignInForm.refuse(http, refusal);
            return new AuthenticationFailedException("The console sign-in was refused: " + refusal.parameter);
        }
    }

    /** A session restored from its cookie: the user must still exist, be enabled and be in the session's epoch. */
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
            Optional<ConsolePrincipal> session = ConsolePrincipal.parse(request.getPrincipal());
            if (session.isEmpty()) {
                return Uni.createFrom().failure(new AuthenticationFailedException("The console session names no user"));
            }
            return context.runBlocking(() -> QuarkusTransaction.requiringNew().call(() -> ConsoleUser.findByUsername(session.get().username())
                    .filter(user -> user.enabled && user.sessionEpoch == session.get().epoch())
                    .map(ConsoleIdentityProviders::identity)
                    .orElseThrow(() -> new AuthenticationFailedException(
                            "The console user no longer exists, is disabled or changed the password since the session began"))));
        }
    }
}
