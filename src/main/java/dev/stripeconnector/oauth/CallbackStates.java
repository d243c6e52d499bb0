package dev.stripeconnector.oauth;

import dev.stripeconnector.common.ServiceClock;
import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.crypto.LastKey;
import dev.stripeconnector.crypto.SecretCipher;
import dev.stripeconnector.partner.PartnerId;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Spends the callback's state, the first step of every callback, in one round trip: one statement
 * marks the state used, and its setup link with it (if the state is unused and unexpired: of simultaneous callbacks with one state,
 * exactly one wins) and reads what the token exchange needs from the view {@code installation_state}:
 * the installation's effective client ID, secret key and platform account. It runs in autocommit, so
 * the state is durably spent before anything is sent to Stripe. No entity is loaded and only the key
 * that will be used is decrypted. Only the states of the partner whose domain the callback arrived on
 * are looked at: another partner's state is unknown here, and stays unspent.
 */
@ApplicationScoped
public class CallbackStates {

    private static final String SPEND_AND_READ = """
            with used as (
                update authorization_request set state_used_at = ?, setup_used_at = coalesce(setup_used_at, ?)
                 where partner_id = ? and state_hash = ? and state_used_at is null and expires_at > ?
                returning partner_id, account_connector_id, return_url, authorize_base_url)
            select v.id, v.account_id, v.display_name, used.return_url, used.authorize_base_url, v.client_id, v.client_secret, v.platform_account
              from used join installation_state v on v.partner_id = used.partner_id and v.id = used.account_connector_id""";
    /** Whether a state that could not be spent was used (else: expired), and whom its partner's people ask for a new link. */
    private static final String STATE_USED = """
            select r.state_used_at is not null, s.support_contact
              from authorization_request r left join connector_settings s on s.partner_id = r.partner_id
             where r.partner_id = ? and r.state_hash = ?""";

    private final AgroalDataSource dataSource;
    private final LastKey keys;
    private final ServiceClock clock;

    public CallbackStates(AgroalDataSource dataSource, SecretCipher cipher, ServiceClock clock) {
        this.dataSource = dataSource;
        this.keys = new LastKey(cipher);
        this.clock = clock;
    }

    /**
     * Spends {@code partner}'s state and answers what the exchange needs; another partner's state is
     * unknown here (and stays unspent). A missing, unknown, used or expired state,
     * or an installation that lacks its client ID or key, is a {@link CallbackFailure} (the state is
     * spent all the same in the last case).
     */
    public AuthorizationService.ConsumedState spend(PartnerId partner, String state) {
        if (state == null || state.isEmpty()) {
            throw new CallbackFailure(CallbackOutcome.invalidState(CallbackOutcome.Kind.STATE_MISSING));
        }
        if (!OpaqueTokens.plausible(state)) {
            throw new CallbackFailure(CallbackOutcome.invalidState(CallbackOutcome.Kind.STATE_UNKNOWN));
        }
        String stateHash = OpaqueTokens.hash(state);
        try (Connection connection = dataSource.getConnection(); PreparedStatement spend = connection.prepareStatement(SPEND_AND_READ)) {
            var now = clock.now().atOffset(ZoneOffset.UTC);
            spend.setObject(1, now);
            spend.setObject(2, now);
            spend.setString(3, partner.value());
            spend.setString(4, stateHash);
            spend.setObject(5, now);
            try (ResultSet row = spend.executeQuery()) {
                if (!row.next()) {
                    throw new CallbackFailure(whyUnusable(connection, partner, stateHash));
                }
                String accountId = row.getString("account_id");
                String returnUrl = row.getString("return_url");
                String clientId = row.getString("client_id");
                String storedKey = row.getString("client_secret");
                if (clientId == null || storedKey == null) {
                    throw new CallbackFailure(CallbackOutcome.failure(CallbackOutcome.Kind.SETUP_INCOMPLETE, accountId, returnUrl,
                            "setup_incomplete", null));
                }
                return new AuthorizationService.ConsumedState(partner, row.getObject("id", UUID.class), accountId, row.getString("display_name"),
                        returnUrl, keys.decrypt(storedKey), clientId, row.getString("platform_account"),
                        issuedClientId(row.getString("authorize_base_url")));
            }
        } catch (SQLException e) {
            throw new StatementFailed("The callback's state could not be spent", e);
        }
    }

    /**
     * The client ID the person was sent to Stripe with: the {@code client_id} of the authorize URL the state was issued
     * with (null when none was stored). Stripe issues the code for that client ID, which may no longer be the
     * installation's when its values changed while the person was at Stripe.
     */
    static String issuedClientId(String authorizeBaseUrl) {
        if (authorizeBaseUrl == null) {
            return null;
        }
        int query = authorizeBaseUrl.indexOf('?');
        for (String pair : authorizeBaseUrl.substring(query + 1).split("&")) {
            if (pair.startsWith("client_id=")) {
                return URLDecoder.decode(pair.substring("client_id=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Why a state could not be spent: unknown, or known and used, or known and expired (with the partner's support contact). */
    private static CallbackOutcome whyUnusable(Connection connection, PartnerId partner, String stateHash) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(STATE_USED)) {
            query.setString(1, partner.value());
            query.setString(2, stateHash);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return CallbackOutcome.invalidState(CallbackOutcome.Kind.STATE_UNKNOWN);
                }
                return CallbackOutcome.invalidState(row.getBoolean(1) ? CallbackOutcome.Kind.STATE_USED : CallbackOutcome.Kind.STATE_EXPIRED,
                        row.getString(2));
            }
        }
    }
}
