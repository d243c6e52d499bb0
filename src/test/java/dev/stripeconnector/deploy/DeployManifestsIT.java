package dev.stripeconnector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeconnector.support.PackagedApp;
import dev.stripeconnector.support.PostgresResource;
import dev.stripeconnector.support.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifests against the packaged application itself. */
class DeployManifestsIT {

    /** A name no other test of the JVM gives a console user, so that this start is the one that creates it. */
    private static final String FIRST_ADMIN = "deploy-first-admin";

    @Test
    void theConfigMapAndTheFilledInSecretAreAllThePackagedApplicationNeeds() throws Exception {
        new PostgresResource().start();
        Map<String, String> env = new HashMap<>(Manifests.configMap().getData());
        // The cluster's database is the test database here; every other value is the manifest's own.
        env.put("QUARKUS_DATASOURCE_JDBC_URL", PostgresResource.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        Map<String, String> filledIn = Map.of(
                "CONNECTOR_API_KEYS", "billing:" + TestKeys.API_KEY,
                "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", TestKeys.SESSION_KEY,
                "CONNECTOR_ENCRYPTION_KEYS", TestKeys.ENCRYPTION_KEY_1,
                "CONNECTOR_STRIPE_WEBHOOK_SECRETS", TestKeys.WEBHOOK_SECRET,
                "CONNECTOR_CONSOLE_ADMIN_USERNAME", FIRST_ADMIN,
                "CONNECTOR_CONSOLE_ADMIN_PASSWORD", TestKeys.CONSOLE_PASSWORD,
                "QUARKUS_DATASOURCE_PASSWORD", "postgres");
        assertThat(filledIn.keySet()).containsExactlyInAnyOrderElementsOf(Manifests.secretTemplate().getStringData().keySet());
        env.putAll(filledIn);

        try (PackagedApp app = PackagedApp.start(env, PackagedApp.freePort())) {
            app.awaitReady(Duration.ofSeconds(90));
            List<String> logLines = app.log().lines().filter(l -> !l.isBlank() && !l.startsWith("__") && !l.startsWith(" --")
                    && !l.startsWith("--")).toList();
            assertThat(logLines).isNotEmpty().allSatisfy(line -> assertThat(line).as("a JSON log line").startsWith("{"));
            // The Secret's first administrator exists: a console someone can sign in to.
            assertThat(app.log()).contains("Created the console's first administrator '" + FIRST_ADMIN + "'");
        }
    }

    @Test
    void theJvmDockerfileCopiesThePackagedLayoutAndTheTrainingsFiles() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(PackagedApp.isNative(), "a native build has no JVM layout");
        String dockerfile = "src/main/docker/Dockerfile.jvm";
        // Every COPY from the build context names what exists here: the packaged layout (in both stages) and
        // what bench/train.sh needs in the training stage; the image's last COPY takes the cache from that stage.
        List<String> copies = Files.readAllLines(Path.of(dockerfile)).stream()
                .filter(l -> l.startsWith("COPY ") && !l.contains("--from=")).toList();
        assertThat(copies).as(dockerfile).hasSizeGreaterThanOrEqualTo(8);
        for (String copy : copies) {
            String[] parts = copy.split("\\s+");
            for (int i = 1; i < parts.length - 1; i++) {
                String source = parts[i];
                if (source.startsWith("--")) {
                    continue;
                }
                if (source.contains("*")) {
                    Path dir = Path.of(source.substring(0, source.lastIndexOf('/')));
                    String glob = source.substring(source.lastIndexOf('/') + 1);
                    try (var matches = Files.newDirectoryStream(dir, glob)) {
                        assertThat(matches.iterator().hasNext()).as(dockerfile + ": " + source).isTrue();
                    }
                } else {
                    assertThat(Path.of(source)).as(dockerfile + ": " + source).exists();
                }
            }
        }
        assertThat(copies.stream().filter(c -> c.contains("target/quarkus-app/"))).as("the four layers, in each stage").hasSize(8);
        assertThat(Files.readString(Path.of(dockerfile))).contains("/deployments/quarkus-run.jar");
        assertThat(Path.of("target/quarkus-app/quarkus-run.jar")).exists();
    }
}
