package dev.stripeconnector.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.support.PostgresResource;
import dev.stripeconnector.support.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Starts the packaged application (prod profile) with missing or malformed secrets and checks
 * that it refuses to start with one clear line that does not repeat the bad value.
 */
class StartupRefusalIT {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    record Outcome(int exitCode, String stdout, String stderr) {
    }

    @BeforeAll
    static void database() {
        new PostgresResource().start();
    }

    static Outcome launch(Map<String, String> settings) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Dquarkus.http.port=0");
        command.add("-Dquarkus.datasource.jdbc.url=" + PostgresResource.jdbcUrl());
        command.add("-Dquarkus.datasource.username=postgres");
        command.add("-Dquarkus.datasource.password=postgres");
        command.add("-jar");
        command.add(JAR.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("CONNECTOR_"));
        env.putAll(settings);
        Path out = Files.createTempFile("refusal", ".out");
        Path err = Files.createTempFile("refusal", ".err");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the application did not exit");
        }
        return new Outcome(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("CONNECTOR_API_KEYS", "admin:" + TestKeys.API_KEY);
        env.put("CONNECTOR_ENCRYPTION_KEYS", TestKeys.ENCRYPTION_KEY_1);
        env.put("CONNECTOR_SERVICE_DOMAIN", TestKeys.SERVICE_DOMAIN);
        return env;
    }

    @Test
    void missingApiKeysRefuseToStartWithOneLine() throws Exception {
        Map<String, String> env = valid();
        env.remove("CONNECTOR_API_KEYS");
        Outcome outcome = launch(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.stderr().strip()).isEqualTo(
                "Refusing to start: CONNECTOR_API_KEYS is missing: set it to name:key[,name:key...] (keys of at least 16 characters)");
        assertThat(outcome.stdout()).doesNotContain("Exception");
    }

    @Test
    void malformedEncryptionKeysRefuseToStartWithoutEchoingTheKey() throws Exception {
        Map<String, String> env = valid();
        String shortKey = "c2hvcnQta2V5LW9mLTIwLWJ5dGVz";
        env.put("CONNECTOR_ENCRYPTION_KEYS", "k1:" + shortKey);
        Outcome outcome = launch(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.stderr().strip().lines()).hasSize(1);
        assertThat(outcome.stderr()).contains("CONNECTOR_ENCRYPTION_KEYS is malformed").contains("32 bytes");
        assertThat(outcome.stderr() + outcome.stdout()).doesNotContain(shortKey);
    }

    @Test
    void missingEncryptionKeysRefuseToStart() throws Exception {
        Map<String, String> env = valid();
        env.remove("CONNECTOR_ENCRYPTION_KEYS");
        Outcome outcome = launch(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.stderr().strip()).startsWith("Refusing to start: CONNECTOR_ENCRYPTION_KEYS is missing");
    }

    @Test
    void malformedApiKeysRefuseToStartWithoutEchoingTheKey() throws Exception {
        Map<String, String> env = valid();
        env.put("CONNECTOR_API_KEYS", "admin:tooshort");
        Outcome outcome = launch(env);
        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.stderr().strip()).contains("CONNECTOR_API_KEYS is malformed").doesNotContain("tooshort");
    }
}
