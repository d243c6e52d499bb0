package dev.stripeconnector.ops;

import dev.stripeconnector.support.PackagedApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL server from the installed server binaries (Debian's postgresql-15 by default,
 * {@code -Dops.postgres.bin=...} for others), as an operator's tools see one: initdb into a temporary
 * directory, listening on 127.0.0.1 only, on a free port; its own {@code pg_dump}, {@code pg_restore} and
 * {@code psql}. PostgreSQL refuses to run as root, so when the tests run as root every binary runs as the
 * {@code postgres} user (through {@code runuser}). Every command is bounded in time; {@link #close()} stops
 * the server and deletes its files.
 */
final class LocalPostgres implements AutoCloseable {

    static final Path BIN = Path.of(System.getProperty("ops.postgres.bin", "/usr/lib/postgresql/15/bin"));
    static final List<String> TOOLS = List.of("initdb", "pg_ctl", "postgres", "psql", "pg_dump", "pg_restore");
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final Path directory;
    private final Path data;
    private final int port;
    private boolean running;

    private LocalPostgres(Path directory, int port) {
        this.directory = directory;
        this.data = directory.resolve("data");
        this.port = port;
    }

    /**
     * Skips the calling test, LOUDLY (on stderr and as the skip reason), when the server binaries or, as root,
     * the postgres user are missing: the restore drill is then NOT proven on this machine.
     */
    static void assumeInstalled() {
        String missing = whatIsMissing().orElse(null);
        if (missing != null) {
            String message = "RESTORE DRILL NOT RUN: " + missing + ". The backup and restore path is NOT proven on this machine;"
                    + " install PostgreSQL 15's server binaries (Debian: apt-get install postgresql-15) or set -Dops.postgres.bin.";
            System.err.println("\n!!!!! " + message + "\n");
            Assumptions.assumeTrue(false, message);
        }
    }

    static Optional<String> whatIsMissing() {
        for (String tool : TOOLS) {
            if (!Files.isExecutable(BIN.resolve(tool))) {
                return Optional.of(BIN.resolve(tool) + " is missing");
            }
        }
        if (isRoot()) {
            if (findOnPath("runuser").isEmpty()) {
                return Optional.of("running as root, and runuser (to run PostgreSQL as the postgres user) is not on PATH");
            }
            try {
                postgresUser();
            } catch (IOException e) {
                return Optional.of("running as root, and there is no postgres user to run PostgreSQL as (it refuses to run as root)");
            }
        }
        return Optional.empty();
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static Optional<Path> findOnPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (!dir.isBlank() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static UserPrincipal postgresUser() throws IOException {
        return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
    }

    /** initdb (superuser postgres: trusted on the socket, password-checked on TCP) and start, on a free port. */
    static LocalPostgres start(String name) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("ops-" + name + "-");
        if (isRoot()) {
            Files.setOwner(directory, postgresUser());
        }
        LocalPostgres server = new LocalPostgres(directory, PackagedApp.freePort());
        try {
            server.run(COMMAND_TIMEOUT, BIN.resolve("initdb").toString(), "-D", server.data.toString(), "-U", "postgres",
                    "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync");
            // A throw-away server: no fsync. Listens on 127.0.0.1 and on a socket in its own directory only.
            server.run(COMMAND_TIMEOUT, BIN.resolve("pg_ctl").toString(), "-D", server.data.toString(), "-l",
                    directory.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                    "-p " + server.port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
            server.running = true;
            Runtime.getRuntime().addShutdownHook(new Thread(server::stopQuietly));
            return server;
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    Path directory() {
        return directory;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** psql as the superuser over the server's socket, stopping at the first error; its output. */
    String psql(String database, String... statements) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BIN.resolve("psql").toString(), "-X", "-q", "-A", "-t",
                "-v", "ON_ERROR_STOP=1", "-h", directory.toString(), "-p", Integer.toString(port), "-U", "postgres", "-d", database));
        for (String statement : statements) {
            command.add("-c");
            command.add(statement);
        }
        return run(COMMAND_TIMEOUT, command.toArray(String[]::new));
    }

    /** Any of the server's binaries (pg_dump, pg_restore, ...) against this server: connection options added. */
    String tool(String tool, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BIN.resolve(tool).toString(), "-h", directory.toString(),
                "-p", Integer.toString(port), "-U", "postgres"));
        command.addAll(List.of(arguments));
        return run(COMMAND_TIMEOUT, command.toArray(String[]::new));
    }

    /** Runs a command as the server's owner, bounded in time; fails with its output unless it exits with 0. */
    String run(Duration timeout, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of(findOnPath("runuser").orElseThrow().toString(), "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        Path output = Files.createTempFile("ops-command", ".out");
        try {
            Process process = new ProcessBuilder(full).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout + ":\n" + Files.readString(output));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Stops the server (fast shutdown, then immediate), keeping its files. */
    void stop() throws IOException, InterruptedException {
        if (!running) {
            return;
        }
        try {
            run(Duration.ofSeconds(60), BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "30", "stop");
        } catch (IllegalStateException e) {
            run(Duration.ofSeconds(60), BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "-t", "30", "stop");
        }
        running = false;
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (Exception e) {
            // Best effort at JVM exit.
        }
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stop();
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (UncheckedIOException | IOException e) {
                // Left behind in the temporary directory.
            }
        }
    }
}
