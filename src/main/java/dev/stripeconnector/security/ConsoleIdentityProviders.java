package dev.stripeconnector.security;

import dev.stripeconnector.common.DatabaseFailures;
import dev.stripeconnector.connector.PublicOrigin;
import dev.stripeconnector.connector.PublicOrigins;
import dev.stripeconnector.observability.ConnectorMetrics;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.partner.PartnerStatus;
import dev.stripeconnector.partner.Partners;
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
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Console users, from {@link ConsoleUser} (quarkus-security-jpa's user definition). The domain a
 * request arrived on decides whose users it is for: a partner's domain, that partner's users; the
 * service's own domain, partner default's users and the operators. Signing in checks the form
 * ({@link SignInForm}), reserves one of the name's guesses on that domain across replicas
 * ({@link SignInAttempts}) and only then checks the bcrypt hash; every later request restores the
 * session from its encrypted cookie and checks that it was opened on this domain, that the user still
 * exists, is enabled and has not changed the password since ({@link ConsolePrincipal}), and that the
 * user's partner is active, so a disabled user, an old password or a disabled partner loses access at
 * its next request, and a session of one partner's domain is worth nothing on another's. The identity
 * carries the partner it acts for ({@link Callers#partnerOf}): the user's, or for an operator the
 * partner whose console they opened read-only ({@link #VIEWED_PARTNER}). These take precedence over
 * the providers quarkus-security-jpa generates, which know neither the lock-out nor {@code enabled}.
 */
public final class ConsoleIdentityProviders {

    private static final Logger LOG = Logger.getLogger(ConsoleIdentityProviders.class);

    /**
     * The cookie naming the partner whose console an operator opened, read-only. Any operator may open any
     * partner's, so it needs no protection beyond the session's own: it is honoured for operators only.
     */
    public static final String VIEWED_PARTNER = "connector-console-partner";

    /** Above the default (1001) that quarkus-security-jpa's own providers have: these are asked first, and their refusal is final. */
    static final int PRIORITY = 2000;

    private ConsoleIdentityProviders() {
    }

    /** The identity of {@code user}; {@code viewed}, for an operator, the partner whose console they opened (or null). */
    private static SecurityIdentity identity(ConsoleUser user, PartnerId viewed) {
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new ConsolePrincipal(user.partner(), user.username, user.sessionEpoch)).addRole(user.role);
        if (user.partner() != null) {
            identity.addAttribute(Callers.PARTNER, user.partner());
        } else if (viewed != null) {
            identity.addAttribute(Callers.PARTNER, viewed).addAttribute(Callers.READ_ONLY, Boolean.TRUE);
        }
        return identity.build();
    }

    /** The partner whose domain the request arrived on (the service's own: partner default); empty for any other domain. */
    private static Optional<PartnerId> domainPartner(PublicOrigins origins, RoutingContext http) {
        return http == null ? Optional.empty() : origins.match(http.request()).map(PublicOrigin::partner);
    }

    /** The sign-in form: user name and password. */
    @ApplicationScoped
    public static class SignIn implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

        // A bcrypt hash (cost 10, as BcryptUtil gives every stored password) of "no such user", written out: hashing it
        // as the class loaded cost ~0.1-0.5 s on the event loop of the first request of any kind after a start (the
        // identity providers are made then), and every caller of that first second waited behind it.
        static final String DUMMY_HASH = "$2a$10$Iuhfxhx.Fv0NO1lwAVhA3e09Uqd8iXPnyjQ/xQgBT4hoFLTPpcI0.";

        private final SignInAttempts attempts;
        private final PublicOrigins origins;
        private final Partners partners;
        private final ConnectorMetrics metrics;

        public SignIn(SignInAttempts attempts, PublicOrigins origins, Partners partners, ConnectorMetrics metrics) {
            this.attempts = attempts;
            this.origins = origins;
            this.partners = partners;
            this.metrics = metrics;
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
                return Uni.createFrom().failure(refused(http, SignInForm.Refusal.INVALID, username));
            }
            return context.runBlocking(() -> {
                try {
                    return check(username, password, http);
                } catch (RuntimeException e) {
                    if (e instanceof AuthenticationFailedException || !DatabaseFailures.isUnavailable(e)) {
                        throw e;
                    }
                    LOG.warnf("A console sign-in could not be checked: the database is unavailable (%s)", e.getMessage());
                    throw refused(http, SignInForm.Refusal.UNAVAILABLE, username);
                }
            });
        }

        private SecurityIdentity check(String username, String password, RoutingContext http) {
            // The browser guard answers any other domain before this: nothing to check or count there.
            PartnerId domain = domainPartner(origins, http).orElseThrow(() -> refused(http, SignInForm.Refusal.WRONG, username));
            if (!domain.isDefault() && !active(partners, domain)) {
                throw refused(http, domain, SignInForm.Refusal.DISABLED, username);
            }
            String subject = SignInAttempts.subjectOf(username);
            if (!attempts.reserve(domain, subject)) {
                throw refused(http, domain, SignInForm.Refusal.LOCKED, username);
            }
            Optional<ConsoleUser> user = QuarkusTransaction.requiringNew().call(() -> domain.isDefault()
                    ? ConsoleUser.findOnServiceDomain(username) : ConsoleUser.find(domain, username));
            boolean matches = user.isPresent() ? user.get().passwordMatches(password) : noSuchUser(password);
            if (matches && user.get().enabled) {
                attempts.succeeded(domain, subject);
                metrics.signIn(domain, "success");
                return identity(user.get(), null);
            }
            attempts.failed(domain, subject);
            throw refused(http, domain, SignInForm.Refusal.WRONG, username);
        }

        /** A refusal on a partner's domain, counted under the partner (a malformed form or an unreachable database is not). */
        private AuthenticationFailedException refused(RoutingContext http, PartnerId domain, SignInForm.Refusal refusal, String username) {
            metrics.signIn(domain, refusal.parameter);
            return refused(http, refusal, username);
        }

        /** Checks the password against a hash all the same, so the time taken does not tell unknown names apart. */
        private static boolean noSuchUser(String password) {
            BcryptUtil.matches(password, DUMMY_HASH);
            return false;
        }

        private static AuthenticationFailedException refused(RoutingContext http, SignInForm.Refusal refusal, String username) {
            LOG.infof("A console sign-in was refused (%s)", refusal.parameter);
            SignInForm.refuse(http, refusal, username);
            return new AuthenticationFailedException("The console sign-in was refused: " + refusal.parameter);
        }
    }

    /**
     * A session restored from its cookie: it must have been opened on the domain the request arrived on, and the
     * user must still exist, be enabled and be in the session's epoch, and the user's partner be active.
     */
    @ApplicationScoped
    public static class Session implements IdentityProvider<TrustedAuthenticationRequest> {

        private final PublicOrigins origins;
        private final Partners partners;

        public Session(PublicOrigins origins, Partners partners) {
            this.origins = origins;
            this.partners = partners;
        }

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
            ConsolePrincipal principal = session.get();
            RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
            // Partner default's users and the operators sign in on the service's own domain; a partner's users on the partner's.
            PartnerId home = principal.operator() ? PartnerId.DEFAULT : principal.partner();
            if (!domainPartner(origins, http).filter(home::equals).isPresent()) {
                return Uni.createFrom().failure(new AuthenticationFailedException("The console session was opened on another domain"));
            }
            return context.runBlocking(() -> {
                ConsoleUser user = QuarkusTransaction.requiringNew().call(() -> ConsoleUser.find(principal.partner(), principal.username()))
                        .filter(found -> found.enabled && found.sessionEpoch == principal.epoch())
                        .orElseThrow(() -> new AuthenticationFailedException(
                                "The console user no longer exists, is disabled or changed the password since the session began"));
                if (!home.isDefault() && !active(partners, home)) {
                    throw new AuthenticationFailedException("The console user's partner is disabled");
                }
                return identity(user, principal.operator() ? viewed(http) : null);
            });
        }

        /** The partner an operator opened the console of: named by the cookie, and existing (disabled or not). */
        private PartnerId viewed(RoutingContext http) {
            Cookie cookie = http == null ? null : http.request().getCookie(VIEWED_PARTNER);
            return cookie == null ? null : PartnerId.parse(cookie.getValue()).filter(id -> partners.find(id).isPresent()).orElse(null);
        }
    }

    /** Whether the partner exists and is active: one read by primary key, on every request, so a disable takes effect at once. */
    private static boolean active(Partners partners, PartnerId partner) {
        return partners.find(partner).filter(row -> row.status() == PartnerStatus.ACTIVE).isPresent();
    }
}
