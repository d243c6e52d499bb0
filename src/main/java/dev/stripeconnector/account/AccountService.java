package dev.stripeconnector.account;

import dev.stripeconnector.common.ApiProblem;
import dev.stripeconnector.common.Fields;
import dev.stripeconnector.common.Problem;
import dev.stripeconnector.connector.ConnectorSettings;
import dev.stripeconnector.crypto.Secret;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Installs the connector for accounts and resolves what each installation effectively uses. */
@ApplicationScoped
public class AccountService {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 200;
    static final int MAX_NAME_LENGTH = 200;

    /** The outcome of an install: the view, and whether this call created the installation. */
    public record Installed(AccountConnectorView view, boolean created) {
    }

    public record Page(List<AccountConnectorView> items, String nextCursor) {
    }

    /**
     * Creates or updates the installation of {@code accountId}. The row is claimed with an
     * insert that ignores a concurrent twin, then locked, so simultaneous first installs on
     * several replicas end in one installation; a rejected update rolls the claim back.
     */
    @Transactional
    public Installed install(String accountId, AccountConnectorUpdate update) {
        AccountConnectorUpdate body = update != null ? update : AccountConnectorUpdate.EMPTY;
        new Fields()
                .maxLength("name", value(body.name), MAX_NAME_LENGTH)
                .clientId("clientId", value(body.clientId))
                .secretKey("clientSecret", value(body.clientSecret))
                .orThrow();

        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int inserted = AccountConnector.getEntityManager().createNativeQuery("""
                insert into account_connector (id, account_id, status, created_at, updated_at, version)
                values (:id, :accountId, 'PENDING', :now, :now, 0)
                on conflict (account_id) do nothing
                """)
                .setParameter("id", UUID.randomUUID())
                .setParameter("accountId", accountId)
                .setParameter("now", now)
                .executeUpdate();
        AccountConnector installation = AccountConnector.findByAccountIdForUpdate(accountId).orElseThrow();

        if (body.name != null) {
            installation.name = body.name.orElse(null);
        }
        if (body.clientId != null) {
            installation.clientId = body.clientId.orElse(null);
        }
        if (body.clientSecret != null) {
            installation.clientSecret = body.clientSecret.map(Secret::of).orElse(null);
        }
        EffectiveCredentials effective = EffectiveCredentials.resolve(installation, ConnectorSettings.current());
        requireComplete(effective);
        installation.updatedAt = now;
        return new Installed(AccountConnectorView.of(installation, effective), inserted == 1);
    }

    @Transactional
    public Optional<AccountConnectorView> view(String accountId) {
        ConnectorSettings console = ConnectorSettings.current();
        return AccountConnector.findByAccountId(accountId)
                .map(installation -> AccountConnectorView.of(installation, EffectiveCredentials.resolve(installation, console)));
    }

    @Transactional
    public Page list(String status, String limit, String cursor) {
        Fields fields = new Fields();
        ConnectorStatus statusFilter = null;
        if (status != null && !status.isEmpty()) {
            statusFilter = ConnectorStatus.parse(status);
            if (statusFilter == null) {
                fields.add("status", "must be one of pending, connected, revoked, error");
            }
        }
        int size = DEFAULT_PAGE_SIZE;
        if (limit != null && !limit.isEmpty()) {
            try {
                size = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > MAX_PAGE_SIZE) {
                fields.add("limit", "must be a whole number from 1 to " + MAX_PAGE_SIZE);
            }
        }
        String after = null;
        if (cursor != null && !cursor.isEmpty()) {
            after = decodeCursor(cursor);
            if (after == null) {
                fields.add("cursor", "is not a cursor this service returned");
            }
        }
        fields.orThrow();

        ConnectorSettings console = ConnectorSettings.current();
        // One row more than asked tells whether another page follows without a count query.
        List<AccountConnector> rows = AccountConnector.page(statusFilter, after, size + 1);
        boolean more = rows.size() > size;
        List<AccountConnectorView> items = rows.stream().limit(size)
                .map(installation -> AccountConnectorView.of(installation, EffectiveCredentials.resolve(installation, console)))
                .toList();
        String next = more ? encodeCursor(items.get(items.size() - 1).accountId()) : null;
        return new Page(items, next);
    }

    /** 422 naming every value that neither the account nor the console provides. */
    public static void requireComplete(EffectiveCredentials effective) {
        List<Problem.FieldError> missing = new ArrayList<>();
        if (effective.clientId() == null) {
            missing.add(new Problem.FieldError("clientId", "clientId is required because the console setup leaves it empty"));
        }
        if (effective.clientSecret() == null) {
            missing.add(new Problem.FieldError("clientSecret", "clientSecret is required because the console setup leaves it empty"));
        }
        if (!missing.isEmpty()) {
            throw new ApiProblem(422, "missing-credentials", "Missing Stripe credentials",
                    String.join("; ", missing.stream().map(Problem.FieldError::message).toList()), missing);
        }
    }

    static String encodeCursor(String accountId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(accountId.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        try {
            String accountId = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            return accountId.matches(dev.stripeconnector.common.AccountIds.PATTERN) ? accountId : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String value(Optional<String> field) {
        return field == null ? null : field.orElse(null);
    }
}
