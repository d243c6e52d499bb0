package dev.stripeconnector.console;

import dev.stripeconnector.common.StatementFailed;
import dev.stripeconnector.partner.PartnerId;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How many installations each partner has, by the status the API shows: the operators' list of partners. */
@ApplicationScoped
public class InstallationCounts {

    private static final String COUNTS = """
            select partner_id, lower(status) as status, count(*) as installations from installation_state
             where partner_id = any(?) group by partner_id, status""";

    private final AgroalDataSource dataSource;

    public InstallationCounts(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Per partner asked, its counts by status (in status order); a partner without installations has none. */
    public Map<PartnerId, Map<String, Long>> of(List<PartnerId> partners) {
        Map<PartnerId, Map<String, Long>> counts = new HashMap<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(COUNTS)) {
            Array ids = connection.createArrayOf("varchar", partners.stream().map(PartnerId::value).toArray());
            statement.setArray(1, ids);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    counts.computeIfAbsent(new PartnerId(rows.getString("partner_id")), id -> new TreeMap<>())
                            .put(rows.getString("status"), rows.getLong("installations"));
                }
            }
        } catch (SQLException e) {
            throw new StatementFailed("The installations' counts could not be read", e);
        }
        return counts;
    }
}
