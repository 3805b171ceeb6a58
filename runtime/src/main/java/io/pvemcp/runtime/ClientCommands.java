package io.pvemcp.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The commands that talk to a running server: {@code tools list}, {@code call}, {@code health}. */
final class ClientCommands {

    private ClientCommands() {
    }

    /** Where the server is and how to get in. */
    static final class ServerOptions {
        @Option(names = "--url", paramLabel = "URL", description = "The MCP endpoint (default: from the configuration, "
                + "http://127.0.0.1:8000/mcp, or MCP_URL).")
        String url;

        @Option(names = "--token", paramLabel = "TOKEN", description = "A bearer token (default: MCP_TOKEN).")
        String token;

        @Option(names = "--ca-file", paramLabel = "FILE", description = "Trust the server's HTTPS certificate if this "
                + "CA (PEM) signed it, e.g. a self-signed certificate itself (default: MCP_CA_FILE, else the system's CAs).")
        java.nio.file.Path caFile;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        /** @return an HTTP client that trusts the given CA, or the system's */
        HttpClient http() throws IOException {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            java.nio.file.Path ca = caFile;
            if (ca == null && System.getenv("MCP_CA_FILE") != null && !System.getenv("MCP_CA_FILE").isBlank()) {
                ca = java.nio.file.Path.of(System.getenv("MCP_CA_FILE").strip());
            }
            if (ca != null) {
                try (java.io.InputStream in = java.nio.file.Files.newInputStream(ca)) {
                    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
                    ks.load(null, null);
                    int i = 0;
                    for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509")
                            .generateCertificates(in)) {
                        ks.setCertificateEntry("ca" + i++, c);
                    }
                    javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(ks);
                    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
                    ctx.init(null, tmf.getTrustManagers(), null);
                    b.sslContext(ctx);
                } catch (java.security.GeneralSecurityException e) {
                    throw new IOException("The CA file " + ca + " is not a PEM certificate: " + e.getMessage(), e);
                }
            }
            return b.build();
        }

        String url() throws IOException {
            if (url != null) {
                return url;
            }
            String env = System.getenv("MCP_URL");
            if (env != null && !env.isBlank()) {
                return env.strip();
            }
            return SecuritySetup.resource(SecuritySetup.read(Home.locate()), false, null, null);
        }

        String token() {
            return token != null ? token : System.getenv("MCP_TOKEN");
        }
    }

    /** {@code proxmox-mcp tools}. */
    @Command(name = "tools", mixinStandardHelpOptions = true, description = "Works with the tools of a running server.",
            subcommands = ToolsList.class)
    static final class Tools implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** {@code proxmox-mcp tools list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = {
        "Lists the tools a running server offers to your token, over MCP.",
        "Exit code 0 on success, 1 when the server cannot be reached or refuses."})
    static final class ToolsList implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Override
        public Integer call() throws Exception {
            Terminal t = new Terminal(spec.commandLine().getOut(), spec.commandLine().getErr());
            try (McpHttpClient c = new McpHttpClient(server.http(), server.url(), server.token())) {
                c.initialize();
                JsonNode tools = c.request("tools/list", Map.of(), null).path("tools");
                if (server.json) {
                    t.println(McpHttpClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tools));
                    return 0;
                }
                List<String[]> rows = Terminal.rows("NAME", "HINTS", "TITLE");
                for (JsonNode tool : tools) {
                    JsonNode a = tool.path("annotations");
                    String hints = a.path("readOnlyHint").asBoolean() ? "read-only"
                            : a.path("destructiveHint").asBoolean(true) ? "destructive" : "changes";
                    rows.add(new String[] {tool.path("name").asText(), hints, tool.path("title").asText("")});
                }
                t.table(rows);
                t.println(t.dim(tools.size() + " tools on " + c.serverInfo().path("title").asText("the server") + " "
                        + c.serverInfo().path("version").asText("")));
                return 0;
            } catch (IOException e) {
                t.error(t.bad("error: ") + message(e, server));
                return 1;
            }
        }
    }

    /** {@code proxmox-mcp call TOOL key=value ...}. */
    @Command(name = "call", mixinStandardHelpOptions = true, description = {
        "Calls a tool of a running server over MCP, e.g.: proxmox-mcp call proxmox_vm_start vmid=100",
        "Values are read as JSON where the tool's schema wants a number, boolean, array or object, as text otherwise.",
        "A spinner shows the progress the tool reports. Exit code 0 when the tool succeeded, 1 when it failed or the "
            + "server refused, 2 for arguments that are not key=value."})
    static final class Call implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Parameters(index = "0", paramLabel = "TOOL", description = "The tool name.")
        String tool;

        @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "The arguments.")
        List<String> arguments = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Terminal t = new Terminal(spec.commandLine().getOut(), spec.commandLine().getErr());
            try (McpHttpClient c = new McpHttpClient(server.http(), server.url(), server.token())) {
                c.initialize();
                JsonNode schema = null;
                for (JsonNode d : c.request("tools/list", Map.of(), null).path("tools")) {
                    if (d.path("name").asText().equals(tool)) {
                        schema = d.path("inputSchema");
                    }
                }
                if (schema == null) {
                    t.error(t.bad("error: ") + "the server offers no tool '" + tool + "' to your token; see: proxmox-mcp "
                            + "tools list");
                    return 1;
                }
                Map<String, Object> args;
                try {
                    args = arguments(arguments, schema);
                } catch (IllegalArgumentException e) {
                    t.error(t.bad("error: ") + e.getMessage());
                    return 2;
                }
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("name", tool);
                params.put("arguments", args);
                params.put("_meta", Map.of("progressToken", "cli-" + System.nanoTime()));
                JsonNode result;
                try (Terminal.Spinner spinner = server.json ? null : t.spinner("Calling " + tool)) {
                    result = c.request("tools/call", params, p -> {
                        if (spinner != null) {
                            String msg = p.path("message").asText("");
                            spinner.update(msg.isEmpty() ? "Calling " + tool + " (" + p.path("progress").asText() + ")"
                                    : msg);
                        }
                    });
                }
                boolean failed = result.path("isError").asBoolean(false);
                if (server.json) {
                    t.println(McpHttpClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
                } else {
                    JsonNode content = result.path("content");
                    String text = content.size() > 0 ? content.get(0).path("text").asText("") : "";
                    t.println(failed ? t.bad("failed: ") + text : text);
                    if (!failed && result.has("structuredContent")) {
                        t.println(t.dim(McpHttpClient.JSON.writerWithDefaultPrettyPrinter()
                                .writeValueAsString(result.path("structuredContent"))));
                    }
                }
                return failed ? 1 : 0;
            } catch (IOException e) {
                t.error(t.bad("error: ") + message(e, server));
                return 1;
            }
        }

        static Map<String, Object> arguments(List<String> pairs, JsonNode schema) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("'" + pair + "' is not key=value, e.g. vmid=100");
                }
                String key = pair.substring(0, eq);
                String value = pair.substring(eq + 1);
                String type = schema.path("properties").path(key).path("type").asText("");
                if (type.equals("string")) {
                    out.put(key, value);
                    continue;
                }
                try {
                    out.put(key, McpHttpClient.JSON.readValue(value, Object.class));
                } catch (IOException e) {
                    out.put(key, value);
                }
            }
            return out;
        }
    }

    /** {@code proxmox-mcp health}. */
    @Command(name = "health", mixinStandardHelpOptions = true, description = {
        "Checks a running server: that it answers HTTP, that Proxmox VE is reachable with its credentials, and, with a "
            + "token, that MCP works and which tools it serves.",
        "Exit code 0 when healthy, 1 when not (the output says what is wrong)."})
    static final class Health implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Override
        public Integer call() throws Exception {
            Terminal t = new Terminal(spec.commandLine().getOut(), spec.commandLine().getErr());
            String url = server.url();
            URI u = URI.create(url);
            String base = u.getScheme() + "://" + u.getRawAuthority();
            HttpClient http = server.http();
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("url", url);
            boolean healthy = true;
            List<String[]> rows = Terminal.rows("CHECK", "STATE", "DETAIL");
            try {
                HttpResponse<String> alive = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                boolean ok = alive.statusCode() == 200;
                healthy &= ok;
                report.put("http", Map.of("ok", ok, "status", alive.statusCode()));
                rows.add(new String[] {"HTTP", ok ? t.ok("ok") : t.bad("FAILED"), base + " answers " + alive.statusCode()});
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode r = McpHttpClient.JSON.readTree(ready.body());
                JsonNode pve = r.path("checks").path("proxmox");
                boolean pveOk = pve.path("ok").asBoolean();
                healthy &= pveOk;
                report.put("proxmox", McpHttpClient.JSON.convertValue(pve, Map.class));
                rows.add(new String[] {"Proxmox VE", pveOk ? t.ok("ok") : t.bad("FAILED"), pveOk ? "Proxmox VE "
                        + pve.path("version").asText() + " at " + pve.path("url").asText() + " ("
                        + pve.path("latencyMs").asText() + " ms)" : pve.path("error").asText("not reachable")});
                JsonNode reg = r.path("checks").path("registry");
                boolean regOk = reg.path("ok").asBoolean();
                healthy &= regOk;
                report.put("registry", McpHttpClient.JSON.convertValue(reg, Map.class));
                rows.add(new String[] {"Registry", regOk ? t.ok("ok") : t.bad("FAILED"), regOk ? reg.path("tools").asText()
                        + " tools, " + reg.path("sessions").asText() + " sessions" : reg.path("error").asText()});
                JsonNode bundles = r.path("checks").path("bundles");
                List<String> down = new ArrayList<>();
                bundles.path("notRunning").forEach(b -> down.add(b.asText()));
                boolean coreDown = down.stream().anyMatch(b -> b.startsWith("io.pvemcp.") && !b.startsWith(
                        "io.pvemcp.sample") && !b.startsWith("io.pvemcp.conformance"));
                healthy &= !coreDown;
                report.put("bundles", McpHttpClient.JSON.convertValue(bundles, Map.class));
                rows.add(new String[] {"Bundles", down.isEmpty() ? t.ok("ok") : coreDown ? t.bad("FAILED")
                        : t.style("@|yellow warning|@"), bundles.path("active").asText() + " active" + (down.isEmpty()
                                ? "" : "; not running: " + String.join(", ", down))});
            } catch (IOException e) {
                healthy = false;
                report.put("http", Map.of("ok", false, "error", String.valueOf(e.getMessage())));
                rows.add(new String[] {"HTTP", t.bad("FAILED"), "nothing answers at " + base + " (" + e + "); is the "
                        + "server running? proxmox-mcp serve"});
            }
            if (server.token() == null || server.token().isBlank()) {
                report.put("mcp", Map.of("checked", false));
                rows.add(new String[] {"MCP", t.dim("skipped"), "no token (--token or MCP_TOKEN)"});
            } else if (report.get("http") instanceof Map<?, ?> h && Boolean.TRUE.equals(h.get("ok"))) {
                try (McpHttpClient c = new McpHttpClient(server.http(), url, server.token())) {
                    c.initialize();
                    int tools = c.request("tools/list", Map.of(), null).path("tools").size();
                    report.put("mcp", Map.of("ok", true, "tools", tools));
                    rows.add(new String[] {"MCP", t.ok("ok"), tools + " tools for this token"});
                } catch (IOException e) {
                    healthy = false;
                    report.put("mcp", Map.of("ok", false, "error", String.valueOf(e.getMessage())));
                    rows.add(new String[] {"MCP", t.bad("FAILED"), String.valueOf(e.getMessage())});
                }
            }
            report.put("healthy", healthy);
            if (server.json) {
                t.println(McpHttpClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            } else {
                t.table(rows);
                t.println(healthy ? t.ok("healthy") : t.bad("UNHEALTHY"));
            }
            return healthy ? 0 : 1;
        }
    }

    static String message(IOException e, ServerOptions server) {
        if (e instanceof java.net.ConnectException || e.getCause() instanceof java.net.ConnectException) {
            try {
                return "nothing answers at " + server.url() + "; is the server running? (proxmox-mcp serve)";
            } catch (IOException ignored) {
                return "the server cannot be reached";
            }
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
