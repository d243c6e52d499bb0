package dev.stripeconnector.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Stripe's Node.js and Python SDKs against the service, each in one process that makes every call and
 * prints what each gave as one JSON object (src/test/sdk/). Where an SDK's runtime is missing the test is
 * skipped loudly, but fails under {@code CI=true}: CI installs them ({@code .ci/run}).
 */
public final class SdkProcesses {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NODE_DIR = Path.of("src/test/sdk/node");
    private static final Path PYTHON_SCRIPT = Path.of("src/test/sdk/python/sdk_calls.py");
    /** Debian's interpreter, for which Debian's python3-stripe is installed (not whichever python3 comes first on PATH). */
    private static final String PYTHON = "/usr/bin/python3";
    private static final long TIMEOUT_SECONDS = 120;

    private SdkProcesses() {
    }

    /** Installs the pinned stripe-node (package-lock.json) unless it is installed already, then runs the calls. */
    public static JsonNode node(Map<String, String> environment) {
        String node = onPath("node");
        String npm = onPath("npm");
        if (node == null || npm == null) {
            unavailable("Node.js (node and npm) is not on PATH");
        }
        String pinned = read(NODE_DIR.resolve("package.json")).path("dependencies").path("stripe").asText();
        Path installed = NODE_DIR.resolve("node_modules/stripe/package.json");
        if (!Files.exists(installed) || !pinned.equals(read(installed).path("version").asText())) {
            // From npm's cache when it holds the package (offline works then), else from the registry.
            Run install = run(List.of(npm, "ci", "--prefer-offline", "--no-audit", "--no-fund"), NODE_DIR, Map.of());
            Assertions.assertEquals(0, install.exit(), "npm ci of stripe " + pinned + " failed:\n" + install.err());
        }
        return results(run(List.of(node, "sdk-calls.js"), NODE_DIR, environment), "stripe-node");
    }

    /** Runs the calls with Debian's python3-stripe. */
    public static JsonNode python(Map<String, String> environment) {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            unavailable(PYTHON + " is missing");
        }
        Run probe = run(List.of(PYTHON, "-c", "import stripe"), Path.of("."), Map.of());
        if (probe.exit() != 0) {
            unavailable("stripe-python is not installed for " + PYTHON + " (apt-get install python3-stripe)");
        }
        return results(run(List.of(PYTHON, PYTHON_SCRIPT.toString()), Path.of("."), environment), "stripe-python");
    }

    private static JsonNode results(Run run, String sdk) {
        Assertions.assertEquals(0, run.exit(), sdk + " failed:\n" + run.err() + "\n" + run.out());
        try {
            return JSON.readTree(run.out());
        } catch (IOException e) {
            throw new AssertionError(sdk + " printed no JSON:\n" + run.out() + "\n" + run.err(), e);
        }
    }

    private static void unavailable(String why) {
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(why + ": CI must run this SDK test (.ci/run installs what it needs)");
        }
        System.err.println("!!!!! SKIPPED: " + why + " — the SDK test did not run (it fails under CI=true) !!!!!");
        Assumptions.abort(why);
    }

    private static String onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(List<String> command, Path dir, Map<String, String> environment) {
        try {
            Path out = Files.createTempFile("sdk-out", ".txt");
            Path err = Files.createTempFile("sdk-err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return run;
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
