package dev.stripeconnector.account;

import dev.stripeconnector.account.InstallationState.Standing;
import dev.stripeconnector.common.Source;
import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.connector.ConnectorSettings;
import dev.stripeconnector.crypto.LastKey;
import dev.stripeconnector.crypto.Secret;
import dev.stripeconnector.crypto.SecretCipher;
import dev.stripeconnector.partner.PartnerId;
import dev.stripeconnector.stripe.AccountType;
import dev.stripeconnector.stripe.Scope;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every read of installations, each one statement selecting from the view {@code installation_state}
 * (V12), which states the effective values, the connected condition and the status once. Records come
 * back with named columns; a read that cannot go ahead returns the installation's {@link Standing}, so
 * its caller explains the failure without reading again. Statements are fixed texts with bound
 * parameters. They run in autocommit, or inside the caller's transaction when there is one (the
 * datasource hands out the transaction's connection): a write path that changed an entity reads it
 * back through {@link #stateOf} and {@link #standingOf}, which flush first. Only the secret a read
 * needs is decrypted. The entities stay the write path (but for the callback's new connection, {@link Grants}).
 *
 * <p>Every read names the partner whose installations it reads, and filters on it first ({@code partner_id = ?},
 * bound; the column every index of installations leads with): two partners may hold the same account ids.
 */
@ApplicationScoped
public class Installations {

    private static final String STANDING = "account_id, status, connected, has_connection, missing";
    private static final String STATE = "id, account_id, name, display_name, client_id, client_id_source, client_secret,"
            + " client_secret_source, platform_account, " + STANDING + ", stripe_user_id, livemode, scope, connected_client_id,"
            + " connected_platform_account, connection_platform_account, connected_at, tokens_refreshed_at, last_verified_at,"
            + " account_business_name, account_email, account_country, charges_enabled, payouts_enabled, last_error,"
            + " last_error_description, last_error_at, created_at, updated_at, own_webhook_secret_set";
    private static final String STATE_BY_ACCOUNT = "select " + STATE + " from installation_state where partner_id = ? and account_id = ?";
    private static final String STATE_BY_ID = "select " + STATE + " from installation_state where partner_id = ? and id = ?";
    private static final String STANDING_BY_ID = "select " + STANDING + " from installation_state where partner_id = ? and id = ?";
    /**
     * The filters of a page and of its count: a status filters on the stored status too (a shown status comes from one
     * stored status), which keeps account_connector_partner_status_idx in use; the search (already lower-cased) is
     * contained, case-insensitively, in the account id, the name or the Stripe account id. A contained term cannot use a
     * b-tree index, but every statement starts from the partner's rows (the leading {@code partner_id} of
     * account_connector_partner_account_idx), so a search reads at most one partner's installations, in account id
     * order, and a page stops at its limit.
     */
    private static final String FILTERS = " where partner_id = ? and (cast(? as varchar) is null or stored_status = ?)"
            + " and (cast(? as varchar) is null or status = ?)"
            + " and (cast(? as varchar) is null or strpos(lower(account_id), ?) > 0 or strpos(lower(name), ?) > 0"
            + " or strpos(lower(stripe_user_id), ?) > 0)";
    /** A page of one partner's installations after an account id, in account id order. */
    private static final String PAGE_AFTER = "select " + STATE + " from installation_state" + FILTERS
            + " and (cast(? as varchar) is null or account_id > ?) order by account_id limit ?";
    /** A page of one partner's installations before an account id, read backwards (the caller turns it around). */
    private static final String PAGE_BEFORE = "select " + STATE + " from installation_state" + FILTERS
            + " and account_id < ? order by account_id desc limit ?";
    /** How many of one partner's installations the filters keep. */
    private static final String COUNT = "select count(*) from installation_state" + FILTERS;
    /**
     * The credentials read, the hottest path: the installation and, when it is connected, its access
     * token (the only value decrypted), with the read recorded in the audit table, in one round trip
     * and one commit (autocommit: the record is durable before the answer leaves). Nothing is recorded
     * when it is not connected.
     */
    private static final String CREDENTIALS = """
            with target as (
                select account_id, status, connected, has_connection, missing, stripe_user_id, livemode, scope, publishable_key,
                       access_token
                  from installation_state where partner_id = ? and account_id = ?),
            audit as (
                insert into credential_read (id, partner_id, account_id, api_key_name, read_at)
                select ?, ?, ?, ?, ? from target where connected)
            select account_id, status, connected, has_connection, missing, stripe_user_id, livemode, scope, publishable_key,
                   case when connected then access_token end as access_token
              from target""";
    /** The proxy's target, on every proxied request: the connected account and the effective key, only that decrypted. */
    private static final String PROXY_TARGET = "select " + STANDING
            + ", stripe_user_id, case when connected then client_secret end as client_secret from installation_state"
            + " where partner_id = ? and account_id = ?";
    /** The proxy's targets whose connected Stripe account is the one named (at most two: one names it, two do not). */
    private static final String PROXY_TARGETS_OF_STRIPE_ACCOUNT = "select " + STANDING
            + ", stripe_user_id, case when connected then client_secret end as client_secret from installation_state"
            + " where partner_id = ? and stripe_user_id = ? and connected limit 2";
    /**
     * What authorize needs: the console's scope and account type (whether or not the account is
     * installed: the request is checked against them first), and the installation with its client ID
     * and missing values, where each value comes from, the platform its key belongs to and the one recorded
     * for its client ID ({@link ClientPlatforms}: a primary key look-up in the same statement). The console is
     * the partner's, and so is the installation.
     */
    private static final String AUTHORIZE_TARGET = """
            select v.id, v.client_id, v.missing, s.default_scope, s.account_type, v.client_id_source, v.client_secret_source,
                   v.platform_account, p.platform_account as client_platform
              from connector_settings s left join installation_state v on v.partner_id = s.partner_id and v.account_id = ?
                   left join client_platform p on p.partner_id = s.partner_id and p.client_id = v.client_id
             where s.partner_id = ?""";
    /**
     * A partner's connections (tokens not wiped) that rely on its console's value because they have none of their
     * own, for the checks that refuse a console change that would strand them: all of them, those
     * made through another client ID (parameter 1), those in the other mode (parameter 2: whether the
     * new key is live), those of another platform (parameter 3: the new key's platform; parameter
     * 4: whether connections made before platforms were recorded count as another platform), and
     * those whose platform was recorded (a key that cannot be tied to a platform may not replace theirs).
     */
    private static final String CONSOLE_DEPENDENTS = """
            select count(*) filter (where client_id_source is distinct from 'ACCOUNT') as on_client_id,
                   count(*) filter (where client_id_source is distinct from 'ACCOUNT' and connected_client_id is distinct from ?)
                       as on_client_id_made_elsewhere,
                   count(*) filter (where client_secret_source is distinct from 'ACCOUNT') as on_secret_key,
                   count(*) filter (where client_secret_source is distinct from 'ACCOUNT' and livemode is distinct from ?)
                       as on_secret_key_other_mode,
                   count(*) filter (where client_secret_source is distinct from 'ACCOUNT'
                                      and (connected_platform_account <> ? or (? and connected_platform_account is null)))
                       as on_secret_key_other_platform,
                   count(*) filter (where client_secret_source is distinct from 'ACCOUNT' and connected_platform_account is not null)
                       as on_secret_key_platform_recorded
              from installation_state where partner_id = ? and has_connection""";

    private final AgroalDataSource dataSource;
    private final SecretCipher cipher;
    private final LastKey keys;

    public Installations(AgroalDataSource dataSource, SecretCipher cipher) {
        this.dataSource = dataSource;
        this.cipher = cipher;
        this.keys = new LastKey(cipher);
    }

    /** {@code partner}'s installation of {@code accountId} as the view states it; empty when the account has none there. */
    public Optional<InstallationState> state(PartnerId partner, String accountId) {
        return one(STATE_BY_ACCOUNT, "The installation's read failed", this::state, partner.value(), accountId);
    }

    /**
     * {@code partner}'s installation {@code id} as the view states it (inside a transaction: as committed, or as
     * this transaction flushed it); empty when it is not the partner's.
     */
    public Optional<InstallationState> state(PartnerId partner, UUID id) {
        return one(STATE_BY_ID, "The installation's read failed", this::state, partner.value(), id);
    }

    /** {@code installation} as the view states it, with what the caller's transaction changed so far (flushed first). */
    public InstallationState stateOf(AccountConnector installation) {
        AccountConnector.flush();
        return state(installation.partner(), installation.id).orElseThrow();
    }

    /** Where {@code installation} stands, with what the caller's transaction changed so far (flushed first). */
    public Standing standingOf(AccountConnector installation) {
        AccountConnector.flush();
        return one(STANDING_BY_ID, "The installation's status could not be read", Installations::standing,
                installation.partnerId, installation.id).orElseThrow();
    }

    /**
     * A page of {@code partner}'s installations in account id order, after {@code afterAccountId} (or, when
     * {@code backwards}, the page before it, still in account id order), with {@code search} (lower-case) contained in
     * the account id, name or Stripe account id when given, with {@code status} (as the API shows it) when given.
     */
    public List<InstallationState> page(PartnerId partner, ConnectorStatus status, String search, String afterAccountId, boolean backwards,
                                        int limit) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(backwards ? PAGE_BEFORE : PAGE_AFTER)) {
            int p = bindFilters(statement, partner, status, search);
            statement.setString(++p, afterAccountId);
            if (!backwards) {
                statement.setString(++p, afterAccountId);
            }
            statement.setInt(++p, limit);
            try (ResultSet row = statement.executeQuery()) {
                List<InstallationState> page = new ArrayList<>();
                while (row.next()) {
                    page.add(state(row));
                }
                if (backwards) {
                    Collections.reverse(page);
                }
                return page;
            }
        } catch (SQLException e) {
            throw new StatementFailed("The installations could not be listed", e);
        }
    }

    /** How many of {@code partner}'s installations {@link #page} would list through all its pages with the same filters. */
    public long count(PartnerId partner, ConnectorStatus status, String search) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(COUNT)) {
            bindFilters(statement, partner, status, search);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new StatementFailed("The installations could not be counted", e);
        }
    }

    private static int bindFilters(PreparedStatement statement, PartnerId partner, ConnectorStatus status, String search) throws SQLException {
        int p = 0;
        statement.setString(++p, partner.value());
        String stored = status == null ? null : status.stored().name();
        String shown = status == null ? null : status.name();
        for (String value : new String[] {stored, stored, shown, shown, search, search, search, search}) {
            statement.setString(++p, value);
        }
        return p;
    }

    /** What the credentials read found: the installation's standing, and its connection when it is connected. */
    public record CredentialsRead(Standing standing, String stripeUserId, Boolean livemode, String scope, String publishableKey,
                                  Secret accessToken) {
    }

    /**
     * The credentials of {@code partner}'s installation of {@code accountId}, the read recorded (as the
     * partner's) as {@code reader}'s when the installation is connected (then {@code accessToken} is set);
     * empty when the account has no installation there.
     */
    public Optional<CredentialsRead> readCredentials(PartnerId partner, String accountId, String reader, Instant now) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(CREDENTIALS)) {
            statement.setString(1, partner.value());
            statement.setString(2, accountId);
            statement.setObject(3, UUID.randomUUID());
            statement.setString(4, partner.value());
            statement.setString(5, accountId);
            statement.setString(6, reader);
            statement.setObject(7, now.atOffset(ZoneOffset.UTC));
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                String token = row.getString("access_token");
                return Optional.of(new CredentialsRead(standing(row), row.getString("stripe_user_id"), row.getObject("livemode", Boolean.class),
                        row.getString("scope"), row.getString("publishable_key"), token == null ? null : Secret.of(cipher.decrypt(token))));
            }
        } catch (SQLException e) {
            throw new StatementFailed("The credentials read failed (nothing was answered)", e);
        }
    }

    /** The proxy's target: the installation's standing and, when it is connected, the account and the key to call Stripe with. */
    public record ProxyRead(Standing standing, String stripeUserId, Secret secretKey) {
    }

    /** The proxy's target of {@code partner}'s installation of {@code accountId}; empty when the account has none there. */
    public Optional<ProxyRead> proxyTarget(PartnerId partner, String accountId) {
        return one(PROXY_TARGET, "The proxy's target read failed (nothing was sent to Stripe)", this::proxyRead, partner.value(), accountId);
    }

    /**
     * The proxy's targets among {@code partner}'s connected installations whose connection is to Stripe account
     * {@code stripeAccount}: none, one, or two (when more than one are, two are enough to say it names none).
     */
    public List<ProxyRead> proxyTargetsOfStripeAccount(PartnerId partner, String stripeAccount) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(PROXY_TARGETS_OF_STRIPE_ACCOUNT)) {
            statement.setString(1, partner.value());
            statement.setString(2, stripeAccount);
            try (ResultSet row = statement.executeQuery()) {
                List<ProxyRead> targets = new ArrayList<>();
                while (row.next()) {
                    targets.add(proxyRead(row));
                }
                return targets;
            }
        } catch (SQLException e) {
            throw new StatementFailed("The proxy's target read failed (nothing was sent to Stripe)", e);
        }
    }

    private ProxyRead proxyRead(ResultSet row) throws SQLException {
        String key = row.getString("client_secret");
        return new ProxyRead(standing(row), row.getString("stripe_user_id"), key == null ? null : keys.decrypt(key));
    }

    /**
     * What authorize needs to know about an account: its installation ({@code installationId} null when
     * it has none), the client ID it uses, the values it still lacks, and the console's scope and account
     * type (their defaults when the console chose none); where the client ID and the key come from, the
     * key's own platform account and the one recorded for the client ID (each null when not known). No secret is read.
     */
    public record AuthorizeTarget(UUID installationId, String clientId, List<String> missing, Scope consoleScope,
                                  AccountType consoleAccountType, Source clientIdSource, Source keySource, String keyPlatform,
                                  String clientPlatform) {

        public boolean complete() {
            return missing.isEmpty();
        }
    }

    public AuthorizeTarget authorizeTarget(PartnerId partner, String accountId) {
        return one(AUTHORIZE_TARGET, "The authorize read failed (nothing was stored)", row -> {
            String scope = row.getString("default_scope");
            String accountType = row.getString("account_type");
            return new AuthorizeTarget(row.getObject("id", UUID.class), row.getString("client_id"), missing(row),
                    ConnectorSettings.effectiveScope(scope == null ? null : Scope.valueOf(scope)),
                    ConnectorSettings.effectiveAccountType(accountType == null ? null : AccountType.valueOf(accountType)),
                    source(row, "client_id_source"), source(row, "client_secret_source"), row.getString("platform_account"),
                    row.getString("client_platform"));
        }, accountId, partner.value()).orElseThrow(() -> new IllegalStateException("Partner '" + partner + "' has no console settings row"));
    }

    /** Connections that rely on the console's values, as the console's checks count them ({@link #consoleDependents}). */
    public record ConsoleDependents(long onClientId, long onClientIdMadeElsewhere, long onSecretKey, long onSecretKeyOtherMode,
                                    long onSecretKeyOtherPlatform, long onSecretKeyPlatformRecorded) {
    }

    /**
     * Counts {@code partner}'s connections a change of its console could strand: {@code clientId} the new client ID,
     * {@code live} whether the new key is live, {@code platform} the new key's platform account; each
     * null when not changed or not known (its counts are then not meaningful). {@code unrecordedPlatformDiffers}:
     * connections made before their platform was recorded count as made with another platform.
     */
    public ConsoleDependents consoleDependents(PartnerId partner, String clientId, Boolean live, String platform,
                                               boolean unrecordedPlatformDiffers) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(CONSOLE_DEPENDENTS)) {
            statement.setString(1, clientId);
            statement.setObject(2, live, Types.BOOLEAN);
            statement.setString(3, platform);
            statement.setBoolean(4, unrecordedPlatformDiffers);
            statement.setString(5, partner.value());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return new ConsoleDependents(row.getLong("on_client_id"), row.getLong("on_client_id_made_elsewhere"),
                        row.getLong("on_secret_key"), row.getLong("on_secret_key_other_mode"), row.getLong("on_secret_key_other_platform"),
                        row.getLong("on_secret_key_platform_recorded"));
            }
        } catch (SQLException e) {
            throw new StatementFailed("The connections relying on the console's values could not be counted", e);
        }
    }

    // ---- rows ----

    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private <T> Optional<T> one(String sql, String what, RowReader<T> reader, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(reader.read(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StatementFailed(what, e);
        }
    }

    private InstallationState state(ResultSet row) throws SQLException {
        String key = row.getString("client_secret");
        return new InstallationState(
                row.getObject("id", UUID.class),
                row.getString("account_id"),
                row.getString("name"),
                row.getString("display_name"),
                row.getString("client_id"),
                source(row, "client_id_source"),
                key == null ? null : keys.decrypt(key),
                source(row, "client_secret_source"),
                row.getString("platform_account"),
                standing(row),
                row.getString("stripe_user_id"),
                row.getObject("livemode", Boolean.class),
                row.getString("scope"),
                row.getString("connected_client_id"),
                row.getString("connected_platform_account"),
                row.getString("connection_platform_account"),
                instant(row, "connected_at"),
                instant(row, "tokens_refreshed_at"),
                instant(row, "last_verified_at"),
                row.getString("account_business_name"),
                row.getString("account_email"),
                row.getString("account_country"),
                row.getObject("charges_enabled", Boolean.class),
                row.getObject("payouts_enabled", Boolean.class),
                row.getString("last_error"),
                row.getString("last_error_description"),
                instant(row, "last_error_at"),
                instant(row, "created_at"),
                instant(row, "updated_at"),
                row.getBoolean("own_webhook_secret_set"));
    }

    private static Standing standing(ResultSet row) throws SQLException {
        return new Standing(row.getString("account_id"), ConnectorStatus.valueOf(row.getString("status")), row.getBoolean("connected"),
                row.getBoolean("has_connection"), missing(row));
    }

    private static List<String> missing(ResultSet row) throws SQLException {
        Array missing = row.getArray("missing");
        return missing == null ? List.of() : List.of((String[]) missing.getArray());
    }

    private static Source source(ResultSet row, String column) throws SQLException {
        String source = row.getString(column);
        return source == null ? null : Source.valueOf(source);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
