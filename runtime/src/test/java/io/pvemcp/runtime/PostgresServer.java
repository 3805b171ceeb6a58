package io.pvemcp.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A private PostgreSQL server of Debian's {@code postgresql} package ({@code apt-get install postgresql}; .ci/run
 * installs it) for tests: a new cluster ({@code initdb}) in a folder of its own, on a free loopback port, with a
 * password-protected user. As root, the server runs as the {@code postgres} user, since PostgreSQL refuses root.
 */
final class PostgresServer implements AutoCloseable {

    static final String USER = "pvemcp";
    static final String PASSWORD = "replica-state-password";

    private final Process process;
    private final int port;
    private final List<String> stop;

    private PostgresServer(Process process, int port, List<String> stop) {
        this.process = process;
        this.port = port;
        this.stop = stop;
    }

    /**
     * @param dir an empty folder for the cluster and its socket
     * @param name names the log file in target/e2e
     * @return the running server, accepting connections
     */
    static PostgresServer start(Path dir, String name) throws Exception {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path home = Files.createDirectories(dir.resolve("pg"));
        Path pwfile = home.resolve("pw");
        Files.writeString(pwfile, PASSWORD + "\n");
        if (root) {
            UserPrincipal postgres = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setOwner(home, postgres);
            Files.setOwner(pwfile, postgres);
        }
        Files.createDirectories(ServerProcess.OUT);
        Path log = ServerProcess.OUT.resolve(name + ".log").toAbsolutePath();
        Process init = new ProcessBuilder(command(root, bin.resolve("initdb").toString(), "-D",
                home.resolve("data").toString(), "-U", USER, "--auth=scram-sha-256", "--pwfile=" + pwfile,
                "--no-sync")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!init.waitFor(120, TimeUnit.SECONDS) || init.exitValue() != 0) {
            throw new AssertionError("initdb failed; see " + log + ": " + Files.readString(log));
        }
        int port = ServerProcess.freePort();
        Process server = new ProcessBuilder(command(root, bin.resolve("postgres").toString(), "-D",
                home.resolve("data").toString(), "-p", Integer.toString(port), "-k", home.toString(), "-c",
                "listen_addresses=127.0.0.1", "-c", "max_connections=100"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        PostgresServer pg = new PostgresServer(server, port, command(root, bin.resolve("pg_ctl").toString(), "-D",
                home.resolve("data").toString(), "stop", "-m", "fast", "-w"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection c = pg.connect()) {
                return pg;
            } catch (SQLException e) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    pg.close();
                    throw new AssertionError("PostgreSQL did not start; see " + log + ": " + Files.readString(log), e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static List<String> command(boolean root, String... args) {
        List<String> cmd = new ArrayList<>();
        if (root) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** @return the newest installed server's {@code bin} folder */
    private static Path binaries() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        Path best = null;
        if (Files.isDirectory(base)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(base)) {
                for (Path p : ds) {
                    if (Files.isExecutable(p.resolve("bin/postgres")) && (best == null
                            || Integer.parseInt(p.getFileName().toString()) > Integer.parseInt(best.getFileName().toString()))) {
                        best = p;
                    }
                }
            }
        }
        if (best == null) {
            throw new AssertionError("No PostgreSQL server is installed: apt-get install postgresql (.ci/run does)");
        }
        return best.resolve("bin");
    }

    /** @return the JDBC URL of its {@code postgres} database */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", PASSWORD);
        return DriverManager.getConnection(url(), p);
    }

    @Override
    public void close() throws Exception {
        new ProcessBuilder(stop).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                .waitFor(30, TimeUnit.SECONDS);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
