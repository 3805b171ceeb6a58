package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every subcommand of the command line as a user runs it, on a copy of the distribution: {@code init} against the
 * simulator without and with a terminal (a pseudo-terminal from {@code script}), refused connections and bad
 * credentials, {@code test-connection}, and {@code health}, {@code tools list} and {@code call} against a running
 * demo server, in text and JSON, with their exit codes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path home;
    static Process sim;
    static String simToken;
    static String simFingerprint;
    static int simPort;
    static ServerProcess server;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        home = dir.resolve("proxmox-mcp");
        copy(ServerProcess.DIST, home);
        simPort = ServerProcess.freePort();
        sim = new ProcessBuilder(home.resolve("bin/proxmox-mcp").toString(), "sim", "--port", Integer.toString(simPort),
                "--data", dir.resolve("sim").toString()).redirectError(dir.resolve("sim.log").toFile()).start();
        StringBuilder banner = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        byte[] buf = new byte[4096];
        while (!banner.toString().contains("Press Ctrl+C") && System.nanoTime() < deadline) {
            int n = sim.getInputStream().read(buf);
            if (n < 0) {
                break;
            }
            banner.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        Matcher token = Pattern.compile("root@pam!sim=(\\S+)").matcher(banner);
        Matcher fp = Pattern.compile("Fingerprint\\s+(\\S+)").matcher(banner);
        assertThat(token.find() && fp.find()).as(banner.toString()).isTrue();
        simToken = token.group(1);
        simFingerprint = fp.group(1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (sim != null) {
            sim.destroy();
            sim.waitFor(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    static Run run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/proxmox-mcp").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("MCP_") || k.startsWith("PROXMOX_") || k.equals("SECRET_KEY"));
        pb.environment().put("PVEMCP_DATA", dir.resolve("data").toString());
        pb.environment().putAll(env);
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, Files.readString(err));
    }

    static String url() {
        return "https://127.0.0.1:" + simPort;
    }

    @Test
    @Order(1)
    void initRefusesWhatCannotWorkAndWritesNothing() throws Exception {
        Path conf = home.resolve("conf/io.pvemcp.pve.client.cfg");
        String before = Files.readString(conf);
        Run closed = run(Map.of("PROXMOX_TOKEN_SECRET", "x"), "init", "--yes", "--url", "https://127.0.0.1:"
                + ServerProcess.freePort(), "--token-id", "root@pam!sim");
        assertThat(closed.exit()).isEqualTo(1);
        assertThat(closed.err()).contains("Nothing accepts connections");
        Run untrusted = run(Map.of("PROXMOX_TOKEN_SECRET", simToken), "init", "--yes", "--url", url(), "--token-id",
                "root@pam!sim");
        assertThat(untrusted.exit()).isEqualTo(1);
        assertThat(untrusted.err()).contains("not signed by a trusted CA", simFingerprint);
        Run wrongPin = run(Map.of("PROXMOX_TOKEN_SECRET", simToken), "init", "--yes", "--url", url(), "--token-id",
                "root@pam!sim", "--fingerprint", "AA:BB");
        assertThat(wrongPin.exit()).isEqualTo(1);
        assertThat(wrongPin.err()).contains("not the expected AA:BB");
        Run wrongSecret = run(Map.of("PROXMOX_TOKEN_SECRET", "not-the-secret"), "init", "--yes", "--url", url(),
                "--token-id", "root@pam!sim", "--fingerprint", simFingerprint);
        assertThat(wrongSecret.exit()).isEqualTo(1);
        assertThat(wrongSecret.err()).contains("did not accept the credentials", "Nothing was written")
                .doesNotContain("not-the-secret");
        Run missing = run(Map.of(), "init", "--yes", "--url", url());
        assertThat(missing.exit()).isEqualTo(2);
        Run json = run(Map.of(), "init", "--json", "--url", url());
        assertThat(JSON.readTree(json.out()).path("ok").asBoolean(true)).isFalse();
        assertThat(Files.readString(conf)).as("nothing written").isEqualTo(before);
        Run notConfigured = run(Map.of(), "test-connection");
        assertThat(notConfigured.exit()).isEqualTo(1);
        assertThat(notConfigured.err()).contains("proxmox-mcp init");
    }

    @Test
    @Order(2)
    void initWithoutATerminalSetsUpAWorkingConnectionAndAToken() throws Exception {
        Path conf = home.resolve("conf/io.pvemcp.pve.client.cfg");
        Run r = run(Map.of("PROXMOX_TOKEN_SECRET", simToken), "init", "--json", "--force", "--url", url(), "--token-id",
                "root@pam!sim", "--fingerprint", simFingerprint, "--scopes", "proxmox:read");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode out = JSON.readTree(r.out());
        assertThat(out.path("proxmox").path("version").asText()).isEqualTo("9.1.1");
        assertThat(out.path("certificate").path("trust").asText()).isEqualTo("fingerprint");
        assertThat(out.path("token").asText()).startsWith("ey");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf))).isEqualTo("rw-------");
        assertThat(Files.readString(conf)).contains("token.secret = " + simToken, "fingerprint = " + simFingerprint);
        assertThat(r.err()).doesNotContain(simToken);

        Run check = run(Map.of(), "test-connection", "--json");
        assertThat(check.exit()).as(check.err()).isZero();
        assertThat(JSON.readTree(check.out()).path("nodes").size()).isEqualTo(3);
        Run text = run(Map.of(), "test-connection");
        assertThat(text.out()).contains("Connected to Proxmox VE 9.1.1", "pve1", "online");
        Run tokens = run(Map.of(), "token", "list", "--json");
        assertThat(tokens.out()).contains(out.path("token_id").asText());
    }

    @Test
    @Order(3)
    void initAddsAClusterThatTestConnectionAndTokensKnow() throws Exception {
        Path lab = home.resolve("conf/io.pvemcp.pve.cluster~lab.cfg");
        try {
            Run bad = run(Map.of("PROXMOX_TOKEN_SECRET", simToken), "init", "--json", "--cluster", "no way", "--url",
                    url(), "--token-id", "root@pam!sim", "--fingerprint", simFingerprint);
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.out()).contains("not a valid cluster name");
            Run r = run(Map.of("PROXMOX_TOKEN_SECRET", simToken), "init", "--json", "--cluster", "lab", "--url", url(),
                    "--token-id", "root@pam!sim", "--fingerprint", simFingerprint);
            assertThat(r.exit()).as(r.err() + r.out()).isZero();
            JsonNode out = JSON.readTree(r.out());
            assertThat(out.path("cluster").asText()).isEqualTo("lab");
            assertThat(out.has("token")).as("adding a cluster makes no token").isFalse();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lab))).isEqualTo("rw-------");
            assertThat(Files.readString(lab)).contains("token.secret = " + simToken);
            Run again = run(Map.of("PROXMOX_TOKEN_SECRET", simToken), "init", "--json", "--cluster", "lab", "--url",
                    url(), "--token-id", "root@pam!sim", "--fingerprint", simFingerprint);
            assertThat(again.exit()).as("an existing cluster is not replaced without --force").isEqualTo(2);

            Run check = run(Map.of(), "test-connection", "--json");
            assertThat(check.exit()).as(check.err()).isZero();
            JsonNode clusters = JSON.readTree(check.out()).path("clusters");
            assertThat(clusters.path("default").path("ok").asBoolean()).isTrue();
            assertThat(clusters.path("lab").path("nodes").size()).isEqualTo(3);
            Run one = run(Map.of(), "test-connection", "--cluster", "lab");
            assertThat(one.out()).contains("Connected to Proxmox VE 9.1.1");
            Run none = run(Map.of(), "test-connection", "--cluster", "prod");
            assertThat(none.exit()).isEqualTo(1);
            assertThat(none.err()).contains("There is no cluster 'prod'; configured: default, lab");

            Run bound = run(Map.of(), "token", "create", "--name", "lab-only", "--scopes", "proxmox:read", "--clusters",
                    "lab", "--json");
            assertThat(bound.exit()).as(bound.err()).isZero();
            assertThat(JSON.readTree(bound.out()).toString()).contains("lab");
            Run graded = run(Map.of(), "token", "create", "--name", "ops", "--scopes", "proxmox:read,proxmox:power",
                    "--clusters", "default", "--cluster", "lab", "--cluster-scopes", "proxmox:read", "--cluster-nodes",
                    "pve1", "--json");
            assertThat(graded.exit()).as(graded.err() + graded.out()).isZero();
            assertThat(JSON.readTree(graded.out()).path("limits").asText())
                    .isEqualTo("clusters default,lab (scopes proxmox:read, nodes pve1)");
            Run wider = run(Map.of(), "token", "create", "--name", "x", "--scopes", "proxmox:read", "--cluster", "lab",
                    "--cluster-scopes", "proxmox:power");
            assertThat(wider.exit()).isEqualTo(2);
            assertThat(wider.out()).contains("proxmox:power is not among the token's scopes");
            Run unknown = run(Map.of(), "token", "create", "--name", "x", "--scopes", "proxmox:read", "--clusters",
                    "prod");
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.out()).contains("'prod' is not a configured cluster; configured: default, lab");

            // a further cluster from environment variables alone (PROXMOX_CLUSTER_<NAME>_<SETTING>), as a container gets it
            Map<String, String> edge = Map.of("PROXMOX_CLUSTER_EDGE_HOST", url(), "PROXMOX_CLUSTER_EDGE_TOKEN_ID",
                    "root@pam!sim", "PROXMOX_CLUSTER_EDGE_TOKEN_SECRET", simToken, "PROXMOX_CLUSTER_EDGE_FINGERPRINT",
                    simFingerprint);
            Run fromEnv = run(edge, "test-connection", "--cluster", "edge", "--json");
            assertThat(fromEnv.exit()).as(fromEnv.err() + fromEnv.out()).isZero();
            assertThat(JSON.readTree(fromEnv.out()).path("nodes").size()).isEqualTo(3);
            Run edgeToken = run(edge, "token", "create", "--name", "edge-only", "--scopes", "proxmox:read", "--clusters",
                    "edge", "--json");
            assertThat(edgeToken.exit()).as(edgeToken.err() + edgeToken.out()).isZero();
            Run typo = run(Map.of("PROXMOX_CLUSTER_EDGE_HOTS", "x"), "test-connection");
            assertThat(typo.exit()).isNotZero();
            assertThat(typo.err() + typo.out()).contains("PROXMOX_CLUSTER_EDGE_HOTS", "PROXMOX_CLUSTER_<NAME>_<SETTING>");
        } finally {
            Files.deleteIfExists(lab);
        }
    }

    @Test
    @Order(4)
    void initAsksOnATerminal() throws Exception {
        Path script = Path.of("/usr/bin/script");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(script), "util-linux script is installed");
        Path copy = dir.resolve("interactive");
        copy(home, copy);
        Files.delete(copy.resolve("conf/io.pvemcp.pve.client.cfg"));
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "-qec", copy.resolve("bin/proxmox-mcp")
                + " init --data " + dir.resolve("interactive-data"), "/dev/null");
        pb.environment().keySet().removeIf(k -> k.startsWith("MCP_") || k.startsWith("PROXMOX_"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        StringBuilder seen = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                byte[] buf = new byte[4096];
                int n;
                while ((n = p.getInputStream().read(buf)) > 0) {
                    synchronized (seen) {
                        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try (OutputStream in = p.getOutputStream()) {
            answer(in, seen, "Proxmox VE node", "127.0.0.1:" + simPort);
            answer(in, seen, "API token (t) or user and password (p)", "t");
            answer(in, seen, "API token id", "root@pam!sim");
            answer(in, seen, "API token secret", simToken);
            answer(in, seen, "Trust this certificate", "y");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        reader.join(2000);
        String text;
        synchronized (seen) {
            text = seen.toString().replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "");
        }
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains(simFingerprint, "Connected to Proxmox VE 9.1.1", "claude_desktop_config.json")
                .as("the secret is not echoed").doesNotContain(simToken);
        assertThat(Files.readString(copy.resolve("conf/io.pvemcp.pve.client.cfg"))).contains("token.id = root@pam!sim");
    }

    private static void answer(OutputStream in, StringBuilder seen, String prompt, String value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int from;
        synchronized (seen) {
            from = seen.length();
        }
        while (true) {
            synchronized (seen) {
                if (seen.indexOf(prompt) >= 0 && seen.indexOf(":", seen.lastIndexOf(prompt)) >= 0) {
                    seen.replace(0, seen.length(), seen.toString().replace(prompt, "[answered] "));
                    break;
                }
            }
            assertThat(System.nanoTime()).as("the prompt '%s' appears (after %d chars)", prompt, from)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
        in.write((value + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    @Test
    @Order(5)
    void talksToARunningServer() throws Exception {
        Run down = run(Map.of("MCP_TOKEN", "x"), "health", "--url", "http://127.0.0.1:" + ServerProcess.freePort()
                + "/mcp");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.out()).contains("UNHEALTHY", "is the server running");

        server = ServerProcess.start("cli", List.of("--demo", "--sim-port", Integer.toString(ServerProcess.freePort()),
                "--data", dir.resolve("server-data").toString()), Map.of());
        Map<String, String> env = Map.of("MCP_TOKEN", server.token(), "MCP_URL", server.url());
        Run health = run(env, "health");
        assertThat(health.exit()).as(health.out() + health.err()).isZero();
        assertThat(health.out()).contains("Proxmox VE 9.1.1", "healthy");
        JsonNode healthJson = JSON.readTree(run(env, "health", "--json").out());
        assertThat(healthJson.path("healthy").asBoolean()).isTrue();
        assertThat(healthJson.path("mcp").path("tools").asInt()).isPositive();

        Run list = run(env, "tools", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).startsWith("NAME").contains("proxmox_vm_start", "read-only", "destructive");
        JsonNode listed = JSON.readTree(run(env, "tools", "list", "--json").out());
        assertThat(listed.findValuesAsText("name")).contains("proxmox_vm_list");

        Run started = run(env, "call", "proxmox_vm_start", "vmid=102");
        assertThat(started.exit()).as(started.err()).isZero();
        assertThat(started.out()).contains("102");
        Run failed = run(env, "call", "proxmox_vm_get_info", "vmid=999");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.out()).contains("failed:", "999");
        Run badArgs = run(env, "call", "proxmox_vm_get_info", "vmid");
        assertThat(badArgs.exit()).isEqualTo(2);
        Run unknown = run(env, "call", "no_such_tool");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("tools list");
        JsonNode called = JSON.readTree(run(env, "call", "proxmox_vm_list", "status=running", "--json").out());
        assertThat(called.path("isError").asBoolean()).isFalse();
        assertThat(called.path("structuredContent").isObject()).isTrue();

        Run refused = run(Map.of("MCP_TOKEN", "not-a-token", "MCP_URL", server.url()), "tools", "list");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("401");
    }

    @Test
    @Order(6)
    void everyCommandHasHelp() throws Exception {
        for (String[] cmd : List.of(new String[] {"--help"}, new String[] {"init", "--help"},
                new String[] {"serve", "--help"}, new String[] {"stdio", "--help"}, new String[] {"sim", "--help"},
                new String[] {"health", "--help"}, new String[] {"test-connection", "--help"},
                new String[] {"tools", "list", "--help"}, new String[] {"call", "--help"},
                new String[] {"token", "create", "--help"}, new String[] {"audit", "verify", "--help"},
                new String[] {"console-password", "--help"}, new String[] {"version"})) {
            Run r = run(Map.of(), cmd);
            assertThat(r.exit()).as(String.join(" ", cmd)).isZero();
            assertThat(r.out()).as(String.join(" ", cmd)).isNotBlank();
        }
        assertThat(run(Map.of(), "no-such-command").exit()).isEqualTo(2);
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!f.toString().contains("/data/")) {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
