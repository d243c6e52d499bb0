import dev.stripeconnector.common.Sha256;
import dev.stripeconnector.crypto.SecretCipher;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The benchmark's bulk seeder: writes connected installations as a CSV file for PostgreSQL's COPY,
 * their tokens encrypted with the service's own {@link SecretCipher}, so the packaged service reads
 * them as if the OAuth callback had stored them. It never talks to the service or the database;
 * bench/run.sh loads the files with {@code \copy} (the first line of each names the columns).
 *
 * <pre>
 * BENCH_ENCRYPTION_KEYS=k1:base64… java --class-path "target/quarkus-app/app/*:target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*" \
 *     bench/Seeder.java FROM TO OUT.csv CLIENT_ID PLATFORM_ACCOUNT
 *     bench/Seeder.java partners COUNT ROWS DIR PORT PLATFORM_ACCOUNT
 * </pre>
 *
 * The first form: partner default's rows FROM..TO (inclusive) get the account id {@code bench-%06d};
 * the primary key is {@code md5(account id)} read as a UUID, so pgbench can select a row by primary
 * key with {@code md5('bench-' || lpad(i::text, 6, '0'))::uuid} without a lookup table. Status is
 * stored as the enum's name ({@code CONNECTED}: {@code @Enumerated(EnumType.STRING)} on
 * AccountConnector.status).
 *
 * <p>The second form: COUNT partners {@code bench-p001…}, each as an operator would set it up, in
 * DIR: {@code partner.csv} (active, service domain {@code bench-pNNN.localhost:PORT}),
 * {@code connector_settings.csv} (its own client ID and encrypted secret key; run.sh copies the
 * other console settings from partner default's row, which the API wrote), {@code api_key.csv} (one
 * key with the roles {@code api} and {@code credentials-reader}, stored as partner/PartnerKeyTokens
 * issues them: the service's own {@link Sha256} hex of {@code sck_{partner}_{43 characters}}) and
 * {@code account_connector.csv} (ROWS connected installations each, with the SAME account ids
 * {@code bench-000001…} in every partner, as the isolation rules allow; primary key
 * {@code md5(partner id || '/' || account id)}). {@code keys.txt} holds, a line each,
 * {@code partner key host} for the load scripts: the keys themselves, which exist only for the run.
 */
public class Seeder {

    /** The columns written, in order; every other column of account_connector keeps its default (null). */
    static final List<String> COLUMNS = List.of(
            "id", "account_id", "name", "status", "stripe_user_id", "livemode", "scope", "publishable_key",
            "access_token", "refresh_token", "connected_at", "connected_client_id", "connected_platform_account",
            "created_at", "updated_at", "version");

    public static void main(String[] args) throws IOException {
        if (args.length == 6 && args[0].equals("partners")) {
            partners(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]), args[4], args[5]);
            return;
        }
        if (args.length != 5) {
            System.err.println("usage: Seeder FROM TO OUT.csv CLIENT_ID PLATFORM_ACCOUNT | Seeder partners COUNT ROWS DIR PORT PLATFORM_ACCOUNT"
                    + " (keys in BENCH_ENCRYPTION_KEYS)");
            System.exit(2);
        }
        int from = Integer.parseInt(args[0]);
        int to = Integer.parseInt(args[1]);
        long started = System.nanoTime();
        try (BufferedWriter csv = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8)) {
            csv.write(String.join(",", COLUMNS));
            csv.newLine();
            installations(csv, cipher(), null, from, to, args[3], args[4]);
        }
        System.err.printf("seeder: %d connected installations (%s..%s) in %d ms%n", to - from + 1,
                String.format("bench-%06d", from), String.format("bench-%06d", to), (System.nanoTime() - started) / 1_000_000);
    }

    static SecretCipher cipher() {
        String keys = System.getenv("BENCH_ENCRYPTION_KEYS");
        if (keys == null || keys.isBlank()) {
            System.err.println("BENCH_ENCRYPTION_KEYS is not set (the service's CONNECTOR_ENCRYPTION_KEYS)");
            System.exit(2);
        }
        return SecretCipher.of(keys);
    }

    /** Connected a day ago, to the microsecond PostgreSQL keeps. */
    static String aDayAgo() {
        return Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS).toString();
    }

    /**
     * Rows {@code from..to} of one partner ({@code null}: partner default, whose rows keep today's ids
     * and no partner column, so the column's default names them).
     */
    static void installations(BufferedWriter csv, SecretCipher cipher, String partner, int from, int to, String clientId,
                              String platformAccount) throws IOException {
        String connectedAt = aDayAgo();
        for (int i = from; i <= to; i++) {
            String accountId = String.format("bench-%06d", i);
            String suffix = String.format("%010d", i);
            String accessToken = cipher.encrypt("sk_test_BenchAccessToken" + suffix);
            String refreshToken = cipher.encrypt("rt_BenchRefreshToken" + suffix);
            List<String> values = new ArrayList<>(List.of(
                    uuidOfMd5(partner == null ? accountId : partner + "/" + accountId),
                    accountId,
                    "Bench shop " + i,
                    "CONNECTED",
                    "acct_1Bench" + suffix,
                    "false",
                    "read_write",
                    "pk_test_BenchPublishable" + suffix,
                    accessToken,
                    refreshToken,
                    connectedAt,
                    clientId,
                    platformAccount,
                    connectedAt,
                    connectedAt,
                    "0"));
            if (partner != null) {
                values.add(partner);
            }
            // Only letters, digits, '-', '_', ':', '+', '/', '=', '.' and spaces below: nothing CSV must quote.
            csv.write(String.join(",", values));
            csv.newLine();
        }
    }

    static void partners(int count, int rows, Path dir, String port, String platformAccount) throws IOException {
        SecretCipher cipher = cipher();
        SecureRandom random = new SecureRandom();
        String now = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
        long started = System.nanoTime();
        Files.createDirectories(dir);
        try (BufferedWriter partnerCsv = csv(dir.resolve("partner.csv"), "id,name,status,service_domain,created_at,updated_at");
             BufferedWriter settingsCsv = csv(dir.resolve("connector_settings.csv"), "partner_id,client_id,client_secret");
             BufferedWriter keyCsv = csv(dir.resolve("api_key.csv"), "partner_id,key_hash,id,name,prefix,roles,created_at");
             BufferedWriter installationCsv = csv(dir.resolve("account_connector.csv"), String.join(",", COLUMNS) + ",partner_id");
             BufferedWriter keys = Files.newBufferedWriter(dir.resolve("keys.txt"), StandardCharsets.UTF_8)) {
            for (int p = 1; p <= count; p++) {
                String partner = String.format("bench-p%03d", p);
                String host = partner + ".localhost:" + port;
                String clientId = String.format("ca_BenchPartnerClient%04d", p);
                partnerCsv.write(String.join(",", partner, "Bench partner " + p, "ACTIVE", host, now, now));
                partnerCsv.newLine();
                settingsCsv.write(String.join(",", partner, clientId, cipher.encrypt(String.format("sk_test_BenchPartnerSecretKey%04d", p))));
                settingsCsv.newLine();
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                String key = "sck_" + partner + "_" + secret;
                keyCsv.write(String.join(",", partner, Sha256.hex(key), UUID.randomUUID().toString(), "bench",
                        "sck_" + partner + "_" + secret.substring(0, 4), "\"api,credentials-reader\"", now));
                keyCsv.newLine();
                keys.write(String.join(" ", partner, key, host));
                keys.newLine();
                installations(installationCsv, cipher, partner, 1, rows, clientId, platformAccount);
            }
        }
        System.err.printf("seeder: %d partners with a key, console settings and %d connected installations each in %d ms%n", count, rows,
                (System.nanoTime() - started) / 1_000_000);
    }

    static BufferedWriter csv(Path file, String header) throws IOException {
        BufferedWriter csv = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        csv.write(header);
        csv.newLine();
        return csv;
    }

    /** The MD5 of {@code text} as a UUID string: what PostgreSQL's {@code md5(text)::uuid} gives. */
    static String uuidOfMd5(String text) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
            return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
