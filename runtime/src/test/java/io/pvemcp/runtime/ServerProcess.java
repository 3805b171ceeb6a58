package io.pvemcp.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The assembled distribution started as a process ({@code bin/proxmox-mcp serve ...}) on a free port, ready once
 * it answered an MCP {@code initialize} (or refused it for want of a token) and printed its banner. Standard error goes to {@code target/e2e/NAME.log}, standard output is
 * kept for assertions; standard input is open (for {@code --shell}).
 */
final class ServerProcess implements AutoCloseable {

    static final Path DIST = Path.of(System.getProperty("pvemcp.dist", "target/proxmox-mcp"));
    static final Path OUT = Path.of("target/e2e");
    static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;
    private final int port;
    private final StringBuilder stdout = new StringBuilder();
    private long startupMillis;
    private String token;

    private ServerProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /**
     * @param name names the log files
     * @param args arguments after {@code serve}; {@code --port} is added
     * @param env environment variables to set; inherited {@code PROXMOX_*} and {@code MCP_*} ones are removed
     * @return the running server, answering MCP
     */
    static ServerProcess start(String name, List<String> args, Map<String, String> env) throws Exception {
        long started = System.nanoTime();
        ServerProcess server = launch(name, args, env);
        server.awaitInitialize(started);
        // the banner comes once every bundle started: the admin console (start level 6) opens after the MCP endpoint
        server.awaitBanner();
        if (env.containsKey("SECRET_KEY")) {
            server.token = Jwts.admin(env.get("SECRET_KEY"), server.url());
        } else if (!args.contains("--no-auth")) {
            server.token = server.awaitBanner().lines().filter(l -> l.strip().startsWith("Token ")).map(l -> l.strip()
                    .substring(6).strip()).findFirst().orElse(null);
        }
        return server;
    }

    /** Starts a server on TLS (whose certificate the caller trusts), ready once it printed its banner. */
    static ServerProcess startTls(String name, List<String> args, Map<String, String> env) throws Exception {
        ServerProcess server = launch(name, args, env);
        server.awaitBanner();
        if (!server.stdout().contains("Press Ctrl+C")) {
            server.close();
            throw new AssertionError(name + " did not start; see " + OUT.resolve(name + ".log") + "; output: "
                    + server.stdout());
        }
        return server;
    }

    private static ServerProcess launch(String name, List<String> args, Map<String, String> env) throws Exception {
        Files.createDirectories(OUT);
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(DIST.resolve("bin/proxmox-mcp").toString(), "serve", "--port",
                Integer.toString(port)));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("PROXMOX_") || k.startsWith("MCP_") || k.startsWith("SECRET_KEY"));
        pb.environment().putAll(env);
        pb.redirectError(OUT.resolve(name + ".log").toFile());
        ServerProcess server = new ServerProcess(name, pb.start(), port);
        Thread reader = new Thread(() -> server.copy(server.process.getInputStream()), name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        return server;
    }

    /** @return the standard output once the ready banner is complete */
    String awaitBanner() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!stdout().contains("Press Ctrl+C") && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return stdout();
    }

    /**
     * @return an admin token for this server: the one the demo printed, or one signed with the SECRET_KEY it was
     *         given; {@code null} when it runs without authentication
     */
    String token() {
        return token;
    }

    /** @return the Authorization header value for {@link #token()} */
    String bearer() {
        return "Bearer " + token;
    }

    private void awaitInitialize(long started) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int unanswered = 0;
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<String> init = HTTP.send(HttpRequest.newBuilder(URI.create(url()))
                        .timeout(Duration.ofSeconds(3)).header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(INIT)).build(), HttpResponse.BodyHandlers.ofString());
                if (init.statusCode() == 200 || init.statusCode() == 401) {
                    startupMillis = (System.nanoTime() - started) / 1_000_000;
                    if (unanswered > 0) {
                        throw new AssertionError(unanswered + " requests were accepted while " + name
                                + " started but never answered");
                    }
                    return;
                }
            } catch (java.net.http.HttpTimeoutException e) {
                unanswered++;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        close();
        throw new AssertionError(name + " did not answer initialize within 60 s; see " + OUT.resolve(name + ".log")
                + "; output: " + stdout());
    }

    /** @return the MCP endpoint, e.g. {@code http://127.0.0.1:PORT/mcp} */
    String url() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    /** @return the HTTP port */
    int port() {
        return port;
    }

    /** @return how long it took from process start to the first answered {@code initialize} */
    long startupMillis() {
        return startupMillis;
    }

    /** @return what it printed on standard output so far */
    synchronized String stdout() {
        return stdout.toString();
    }

    /** @return the server log (standard error) so far */
    String log() throws IOException {
        return Files.readString(OUT.resolve(name + ".log"));
    }

    /** @param line a line for its standard input (the Felix shell with {@code --shell}) */
    void type(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    private void copy(InputStream in) {
        try {
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (this) {
                    stdout.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /**
     * Stops the server with SIGTERM and keeps its output in {@code target/e2e/NAME.out}.
     *
     * @return whether it exited within 30 s
     */
    boolean stop() throws Exception {
        process.destroy();
        boolean exited = process.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        Files.writeString(OUT.resolve(name + ".out"), stdout());
        return exited;
    }

    /** Kills the server at once (SIGKILL), as a node failure or the OOM killer would. */
    void kill() throws Exception {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        Files.writeString(OUT.resolve(name + ".out"), stdout());
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
    }

    /** What a command of the distribution printed and how it exited. */
    record Cli(int exit, String out) {
    }

    /**
     * Runs a command of the distribution ({@code bin/proxmox-mcp ARGS}) without the caller's {@code MCP_*} and
     * {@code SECRET_KEY*} variables, standard error discarded.
     */
    static Cli cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(DIST.resolve("bin/proxmox-mcp").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("MCP_") || k.startsWith("SECRET_KEY"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("proxmox-mcp " + String.join(" ", args) + " did not end within 60 s");
        }
        return new Cli(p.exitValue(), out);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
