package dev.stripeconnector.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stripeconnector.support.PostgresResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * V25 scrubs the secrets of the Stripe events kept before the service redacted them, as the service now does:
 * a database with such events at version 24, migrated, holds none; events without a secret keep their very text;
 * and V25's function and {@link StripeObjectSecrets} agree on every case.
 */
class StripeSecretsScrubTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Stripe objects of every kind of secret, and one without, with the types of their events. */
    static final List<String> TYPES = List.of("payment_intent.requires_action", "charge.succeeded", "billing_portal.session.created",
            "checkout.session.completed", "customer.updated");
    static final List<String> OBJECTS = List.of(
            "{\"id\": \"pi_1\", \"object\": \"payment_intent\",\n  \"client_secret\" : \"pi_1_secret_Abc\", \"next_action\": {\"redirect_to_url\":"
                    + " {\"url\": \"https://hooks.stripe.com/3ds?payment_intent=pi_1&payment_intent_client_secret=pi_1_secret_Abc&x=1\"}}, \"amount\": 1.10}",
            "{\"id\":\"ch_1\",\"object\":\"charge\",\"source\":{\"object\":\"source\",\"client_secret\":\"src_client_secret_Xyz\","
                    + "\"redirect\":{\"url\":\"https://hooks.stripe.com/redirect/authenticate/src_1?client_secret=src_client_secret_Xyz\"}},"
                    + "\"keys\":[{\"object\":\"ephemeral_key\",\"secret\":\"ek_test_\\u0041bc\"},{\"secret\":null}],"
                    + "\"description\":\"\\\"secret\\\": \\\"kept\\\"\"}",
            "{\"url\":\"https://billing.stripe.com/p/session/live_Secret\",\"object\":\"billing_portal.session\","
                    + "\"return_url\":\"https://shop.example/account\"}",
            "{\"id\":\"cs_1\",\"object\":\"checkout.session\",\"client_secret\":\"cs_test_1_secret_Def\",\"url\":\"https://checkout.stripe.com/c/pay/cs_1\"}",
            "{\"id\":\"cus_1\",\"object\":\"customer\",\"description\":\"top secret plans\",\"metadata\":{}}");

    @Test
    void eventsKeptBeforeHoldNoSecretAfterV25AndTheMigrationRedactsAsTheServiceDoes() throws Exception {
        new PostgresResource().start();
        try (Connection admin = PostgresResource.connection(); Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists secrets_scrub");
            statement.execute("create database secrets_scrub");
        }
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setUrl(PostgresResource.jdbcUrl().replace("/postgres", "/secrets_scrub"));
        database.setUser("postgres");
        database.setPassword("postgres");
        Flyway.configure().dataSource(database).locations("classpath:db/migration").target(versionBefore25()).load().migrate();

        // As the previous version kept them: each object as Stripe sent it, inside the event's document.
        try (Connection connection = database.getConnection()) {
            for (int i = 0; i < OBJECTS.size(); i++) {
                insert(connection, "stripe.event", TYPES.get(i), i + 1, document(i + 1, OBJECTS.get(i)));
            }
            insert(connection, "installation.error", null, 1, "{\"id\":\"x\",\"type\":\"installation.error\",\"data\":{\"error\":"
                    + "{\"code\":\"invalid_grant\",\"description\":\"?client_secret=not a Stripe object\"}}}");
        }
        List<String> before = payloads(database);

        Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();

        List<String> after = payloads(database);
        for (int i = 0; i < OBJECTS.size(); i++) {
            String redacted = StripeObjectSecrets.redacted(JSON, OBJECTS.get(i));
            assertThat(after.get(i)).as("V25 and the service agree on %s, and every other byte is kept", OBJECTS.get(i))
                    .isEqualTo(before.get(i).replace(OBJECTS.get(i), redacted));
            assertThat(after.get(i)).doesNotContain("_secret_", "ek_test", "live_Secret");
            assertThat(JSON.readTree(after.get(i)).path("data").path("stripeEventId").asText()).isEqualTo("evt_" + (i + 1));
        }
        assertThat(after.get(1)).contains("\"description\":\"\\\"secret\\\": \\\"kept\\\"\"");
        assertThat(after.get(4)).as("an object without a secret keeps its text").isEqualTo(before.get(4));
        assertThat(after.get(5)).as("not a Stripe event: left alone").isEqualTo(before.get(5));
    }

    @Test
    void v25NamesTheFieldsTheServiceRedacts() throws Exception {
        String sql = Files.readString(Path.of("src/main/resources/db/migration/V25__stripe_event_secrets_scrubbed.sql"));
        assertThat(sql).contains("\"(?:" + String.join("|", new java.util.TreeSet<>(StripeObjectSecrets.FIELDS)) + ")\"");
        StripeObjectSecrets.FIELDS_OF.forEach((type, fields) -> fields.forEach(field ->
                assertThat(sql).contains("stripe_type like '" + type.replace("_", "\\_") + ".%'", "'(\"" + field + "\"")));
        assertThat(StripeObjectSecrets.FIELDS_OF.values().stream().mapToInt(Set::size).sum()).as("one line of V25 each").isEqualTo(1);
        assertThat(sql).contains("client_secret=)");
    }

    /** The newest migration before V25 (the numbers between are other changes'). */
    static String versionBefore25() throws java.io.IOException {
        try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return Integer.toString(files.map(file -> file.getFileName().toString()).filter(name -> name.matches("V\\d+__.*"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__")))).filter(version -> version < 25).max().orElseThrow());
        }
    }

    static String document(int stripeEvent, String object) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"stripe.event\",\"version\":1,\"data\":{\"stripeUserId\":\"acct_1Abc\","
                + "\"stripeEventId\":\"evt_" + stripeEvent + "\",\"object\":" + object + "}}";
    }

    static void insert(Connection connection, String type, String stripeType, long sequence, String payload) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into connector_event (id, partner_id, type, stream_id, sequence_number, payload, created_at, stripe_event_type)
                values (?, 'default', ?, ?, ?, ?, now(), ?)""")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, type);
            insert.setObject(3, new UUID(0, type.length()));
            insert.setLong(4, sequence);
            insert.setString(5, payload);
            insert.setString(6, stripeType);
            insert.executeUpdate();
        }
    }

    static List<String> payloads(PGSimpleDataSource database) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select payload from connector_event order by type desc, sequence_number")) {
            List<String> payloads = new java.util.ArrayList<>();
            while (rows.next()) {
                payloads.add(rows.getString(1));
            }
            return payloads;
        }
    }
}
