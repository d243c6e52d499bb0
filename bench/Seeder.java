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
import java.util.HexFormat;
import java.util.List;

/**
 * The benchmark's bulk seeder: writes connected installations as a CSV file for PostgreSQL's COPY,
 * their tokens encrypted with the service's own {@link SecretCipher}, so the packaged service reads
 * them as if the OAuth callback had stored them. It never talks to the service or the database;
 * bench/run.sh loads the file with {@code \copy} (the first line names the columns).
 *
 * <pre>
 * BENCH_ENCRYPTION_KEYS=k1:base64… java --class-path "target/quarkus-app/app/*:target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*" \
 *     bench/Seeder.java FROM TO OUT.csv CLIENT_ID PLATFORM_ACCOUNT
 * </pre>
 *
 * Rows FROM..TO (inclusive) get the account id {@code bench-%06d}; the primary key is
 * {@code md5(account id)} read as a UUID, so pgbench can select a row by primary key with
 * {@code md5('bench-' || lpad(i::text, 6, '0'))::uuid} without a lookup table. Status is stored as
 * the enum's name ({@code CONNECTED}: {@code @Enumerated(EnumType.STRING)} on AccountConnector.status).
 */
public class Seeder {

    /** The columns written, in order; every other column of account_connector keeps its default (null). */
    static final List<String> COLUMNS = List.of(
            "id", "account_id", "name", "status", "stripe_user_id", "livemode", "scope", "publishable_key",
            "access_token", "refresh_token", "connected_at", "connected_client_id", "connected_platform_account",
            "created_at", "updated_at", "version");

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: Seeder FROM TO OUT.csv CLIENT_ID PLATFORM_ACCOUNT (keys in BENCH_ENCRYPTION_KEYS)");
            System.exit(2);
        }
        int from = Integer.parseInt(args[0]);
        int to = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        String clientId = args[3];
        String platformAccount = args[4];
        String keys = System.getenv("BENCH_ENCRYPTION_KEYS");
        if (keys == null || keys.isBlank()) {
            System.err.println("BENCH_ENCRYPTION_KEYS is not set (the service's CONNECTOR_ENCRYPTION_KEYS)");
            System.exit(2);
        }
        SecretCipher cipher = SecretCipher.of(keys);
        // Connected a day ago, to the microsecond PostgreSQL keeps.
        String connectedAt = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS).toString();
        long started = System.nanoTime();
        try (BufferedWriter csv = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            csv.write(String.join(",", COLUMNS));
            csv.newLine();
            for (int i = from; i <= to; i++) {
                String accountId = String.format("bench-%06d", i);
                String suffix = String.format("%010d", i);
                String accessToken = cipher.encrypt("sk_test_BenchAccessToken" + suffix);
                String refreshToken = cipher.encrypt("rt_BenchRefreshToken" + suffix);
                // Only letters, digits, '-', '_', ':', '+', '/', '=' and '.' below: nothing CSV must quote.
                csv.write(String.join(",",
                        uuidOfMd5(accountId),
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
                csv.newLine();
            }
        }
        System.err.printf("seeder: %d connected installations (%s..%s) in %d ms%n", to - from + 1,
                String.format("bench-%06d", from), String.format("bench-%06d", to), (System.nanoTime() - started) / 1_000_000);
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
