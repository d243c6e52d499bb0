package dev.stripeconnector.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDBC URL's TLS parameters as deploy/ ships them (prod's {@code sslmode=verify-full&sslrootcert=…}), held by the
 * service's own PostgreSQL driver against a real PostgreSQL that speaks TLS with a certificate for {@code localhost},
 * signed by a CA this test makes with the JDK's keytool: the connection is encrypted when the server's certificate
 * chains to the mounted CA and names the URL's host, and refused otherwise — what keeps a pod from sending its
 * password to whoever answers on the database's address.
 */
class DatabaseTlsTest {

    private static final String STORE_PASSWORD = "test-only";
    private static final String KEYSTORE = "keys.p12";
    private static Path directory;
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgresWithTls() throws Exception {
        directory = Files.createTempDirectory("database-tls");
        // Two keytool runs (a JVM each): the CA, then the server's key with its certificate signed by the CA.
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=database test CA", "-ext", "bc:c");
        keytool("-genkeypair", "-alias", "server", "-dname", "CN=localhost", "-signer", "ca", "-signerkeypass", STORE_PASSWORD,
                "-ext", "san=dns:localhost");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(directory.resolve(KEYSTORE))) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        writePem("ca.crt", "CERTIFICATE", store.getCertificate("ca").getEncoded());
        // Another CA, which signed nothing here: the first public root the JDK trusts.
        KeyStore publicRoots = KeyStore.getInstance(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts").toFile(),
                (char[]) null);
        writePem("other-ca.crt", "CERTIFICATE", publicRoots.getCertificate(publicRoots.aliases().nextElement()).getEncoded());
        writePem("server.crt", "CERTIFICATE", store.getCertificateChain("server")[0].getEncoded());
        // PostgreSQL reads the server's key as PEM, readable by its owner only.
        Path keyFile = writePem("server.key", "PRIVATE KEY", store.getKey("server", STORE_PASSWORD.toCharArray()).getEncoded());
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));

        postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", directory.resolve("server.crt").toString())
                .setServerConfig("ssl_key_file", keyFile.toString())
                .setDataDirectory(directory.resolve("data"))
                .start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    /** prod's JDBC URL (deploy/overlays/prod/config.env merged over the base's), pointed at this server and CA. */
    static String prodUrl(String host, String caFile) {
        String shipped = DeployManifestsTest.mergedSettings("prod").get("QUARKUS_DATASOURCE_JDBC_URL");
        String parameters = shipped.substring(shipped.indexOf('?') + 1);
        assertThat(parameters).as("prod's JDBC URL").contains("sslmode=verify-full").contains("sslrootcert=");
        String rootCert = parameters.replaceAll(".*sslrootcert=([^&]*).*", "$1");
        return "jdbc:postgresql://" + host + ":" + postgres.getPort() + "/postgres?"
                + parameters.replace("sslrootcert=" + rootCert, "sslrootcert=" + directory.resolve(caFile));
    }

    static Connection connect(String url) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", "postgres");
        credentials.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(url, credentials);
    }

    @Test
    void theServerSignedByTheMountedCaAndNamedByTheUrlIsReachedOverTls() throws SQLException {
        try (Connection connection = connect(prodUrl("localhost", "ca.crt"));
                ResultSet row = connection.createStatement().executeQuery("select ssl, version from pg_stat_ssl where pid = pg_backend_pid()")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getBoolean("ssl")).as("the connection is encrypted").isTrue();
            assertThat(row.getString("version")).as("the TLS version").startsWith("TLSv1.");
        }
    }

    @Test
    void aServerWhoseCertificateAnotherCaSignedIsRefused() {
        assertThatThrownBy(() -> connect(prodUrl("localhost", "other-ca.crt")).close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("SSL error").hasMessageContaining("certification path");
    }

    @Test
    void aServerWhoseCertificateDoesNotNameTheUrlsHostIsRefused() {
        // Signed by the right CA, but for localhost, not 127.0.0.1: verify-full checks the name, verify-ca would not.
        assertThatThrownBy(() -> connect(prodUrl("127.0.0.1", "ca.crt")).close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("hostname 127.0.0.1 could not be verified");
    }

    static Path writePem(String file, String type, byte[] der) throws IOException {
        return Files.writeString(directory.resolve(file), "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + "\n-----END " + type + "-----\n");
    }

    /** The JDK's own keytool on the test's key store: EC keys, valid two days; fails on a non-zero exit. */
    static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-keystore", KEYSTORE,
                "-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD, "-noprompt"));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("keytool did not finish in 60 s: " + command);
        }
        assertThat(process.exitValue()).as("keytool " + String.join(" ", arguments) + ": " + output).isZero();
    }
}
