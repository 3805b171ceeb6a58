package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pvemcp.pve.sim.Simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded fuzzer in the test command: schema-aware arguments for every tool the server lists (valid but odd, and
 * invalid), over MCP Streamable HTTP, malformed JSON-RPC over HTTP and over stdio, against the Proxmox VE simulator.
 * It asserts invariants that hold whatever the order of the calls: no 5xx, no internal error, no bug report from the
 * registry (an exception, a result that breaks its schema), the session and the process stay alive, no request
 * outside the Proxmox VE API contract reaches the simulator, and no value smuggles an option into a property string.
 * The seed is fixed, so every run makes the same calls; {@code -Dfuzz.seed=N} tries others.
 */
class FuzzIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = ServerProcess.HTTP;
    static final String TOKEN = "root@pam!fuzz";
    static final String SECRET = "4d1c3b2a-0f9e-4e8d-9c7b-6a5f4e3d2c1b";
    static final String MCP_SECRET = "fuzz-secret-key-of-at-least-32-bytes-long!";
    static final long SEED = Long.getLong("fuzz.seed", 20261203L);
    static final int CASES_PER_TOOL = Integer.getInteger("fuzz.cases", 100);
    /** What an injected option looks like once it got into a guest's configuration. */
    static final List<String> MARKERS = List.of("cache=unsafe", "pvemcpinject", "firewall=9");
    static final Set<String> FREE_TEXT = Set.of("description", "sshkeys", "ssh-public-keys", "ciuser", "cipassword",
            "name", "hostname", "searchdomain", "nameserver", "digest", "meta", "smbios1", "vmgenid");
    /** What the registry says when a tool misbehaves, or a server error looks like. */
    static final List<String> BUG_SIGNS = List.of("failed unexpectedly", "(reference ", "does not match its output schema",
            "returned no", "Internal error", "Exception", "java.", "io.pvemcp", "NullPointer");

    @TempDir
    static Path data;
    @TempDir
    static Path stdioData;
    static Simulator sim;
    static ServerProcess server;
    static String bearer;
    static final List<String> problems = new CopyOnWriteArrayList<>();

    @org.junit.jupiter.api.BeforeEach
    void forgetProblems() {
        problems.clear();
    }

    @BeforeAll
    static void start() throws Exception {
        sim = Simulator.builder().port(0).apiToken(TOKEN, SECRET).taskTimeScale(0.02).authFailureDelay(Duration.ZERO)
                .start();
        Map<String, String> env = new LinkedHashMap<>(proxmox());
        env.put("SECRET_KEY", MCP_SECRET);
        // not a test of the rate limits: the fuzzer makes thousands of calls in a minute
        env.put("MCP_RATE_BURST", "100000");
        env.put("MCP_RATE_PER_MINUTE", "100000");
        env.put("MCP_MESSAGE_BURST", "100000");
        env.put("MCP_MESSAGE_RATE_PER_MINUTE", "100000");
        server = ServerProcess.start("fuzz-server", List.of("--data", data.toString()), env);
        bearer = server.token();
    }

    static Map<String, String> proxmox() {
        return Map.of("PROXMOX_HOST", "127.0.0.1", "PROXMOX_PORT", Integer.toString(sim.port()), "PROXMOX_TOKEN_ID",
                TOKEN, "PROXMOX_TOKEN_SECRET", SECRET, "PROXMOX_FINGERPRINT", sim.fingerprint());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                assertThat(server.stop()).isTrue();
                List<String> errors = server.log().lines().filter(l -> l.contains(" ERROR ")).toList();
                assertThat(errors).as("ERROR lines in the server log (see target/e2e/fuzz-server.log)").isEmpty();
            }
        } finally {
            sim.close();
        }
    }

    // ---- HTTP

    static HttpResponse<String> post(String session, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url())).timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        headers.forEach(b::setHeader);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String initialize() throws Exception {
        HttpResponse<String> r = post(null, ServerProcess.INIT, Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String session = r.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", Map.of())
                .statusCode()).isEqualTo(202);
        return session;
    }

    static void assertAlive(String session, String after) throws Exception {
        HttpResponse<String> r = post(session, "{\"jsonrpc\":\"2.0\",\"id\":\"alive\",\"method\":\"ping\"}", Map.of());
        assertThat(r.statusCode()).as("the session answers a ping after %s", after).isEqualTo(200);
        assertThat(r.body()).contains("\"result\"");
    }

    static void check(String what, int status, String body) {
        if (status >= 500) {
            problems.add(what + ": HTTP " + status + " " + abbreviate(body));
            return;
        }
        JsonNode answer;
        try {
            answer = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (Exception e) {
            problems.add(what + ": the answer is not JSON: " + abbreviate(body));
            return;
        }
        if (answer == null) {
            return;
        }
        JsonNode error = answer.path("error");
        if (error.isObject()) {
            int code = error.path("code").asInt();
            String message = error.path("message").asText();
            if (code == -32603 || BUG_SIGNS.stream().anyMatch(message::contains)) {
                problems.add(what + ": internal error " + abbreviate(body));
            }
            return;
        }
        JsonNode result = answer.path("result");
        if (result.path("isError").asBoolean(false)) {
            String text = result.at("/content/0/text").asText("");
            if (BUG_SIGNS.stream().anyMatch(text::contains)) {
                problems.add(what + ": the tool reported a bug: " + abbreviate(text));
            }
        }
    }

    static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    // ---- arguments from schemas

    static final List<String> STRINGS = List.of("pve1", "pve2", "pve3", "local", "local-lvm", "nfs-shared", "vmbr0",
            "vmbr1", "web01", "db-01", "fuzz-vm", "debian-13", "alpine", "dhcp", "10.0.0.5/24", "10.0.0.1",
            "ip=10.0.0.5/24,gw=10.0.0.1", "local:iso/debian-13.1.0-amd64-netinst.iso",
            "local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst",
            "UPID:pve1:0000A1B2:00C3D4E5:6553F0A0:qmstart:100:root@pam:", "production", "dev", "tmp", "web*", "*",
            "a", "ünïcödé-名前", "emoji 🚀", "line\nbreak", "tab\there", "quote\"s", "back\\slash", "semi;colon",
            "$(reboot)", "`id`", "../../etc/passwd", "%00", "\u0000nul", "x,cache=unsafe",
            "local:iso/debian-13.1.0-amd64-netinst.iso,cache=unsafe", "vmbr0,firewall=9", "web;pvemcpinject=1",
            "local-lvm,pvemcpinject=1", "dhcp,pvemcpinject=1", " leading", "trailing ", "CamelCase", "UPPER",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHxyzxyzxyzxyzxyzxyzxyzxyzxyz fuzz@host", "Sup3r-secret-pw",
            "1", "-1", "0", "null", "true", "{}", "[]", "debug", "info", "error");

    static Object valid(String name, Map<?, ?> schema, Random r, int depth) {
        if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
            return values.get(r.nextInt(values.size()));
        }
        String type = type(schema, r);
        switch (type) {
            case "integer", "number" -> {
                long min = schema.get("minimum") instanceof Number n ? n.longValue() : 0;
                long max = schema.get("maximum") instanceof Number n ? n.longValue() : 1_000_000;
                if (name.equals("timeout") || name.endsWith("_seconds")) {
                    return Math.max(min, Math.min(max, 3));
                }
                long[] picks = {min, max, min + 1, Math.max(min, max - 1), (min + max) / 2, 100, 101, 102, 103, 108,
                    200, 202, 9000, 999};
                long v = picks[r.nextInt(picks.length)];
                return v < min || v > max ? min : v;
            }
            case "boolean" -> {
                return r.nextBoolean();
            }
            case "array" -> {
                int max = schema.get("maxItems") instanceof Number n ? Math.min(n.intValue(), 4) : 3;
                int min = schema.get("minItems") instanceof Number n ? n.intValue() : 0;
                List<Object> out = new ArrayList<>();
                int count = min + (max > min ? r.nextInt(max - min + 1) : 0);
                Map<?, ?> items = schema.get("items") instanceof Map<?, ?> m ? m : Map.of("type", "string");
                for (int i = 0; i < count; i++) {
                    out.add(valid(name, items, r, depth + 1));
                }
                return out;
            }
            case "object" -> {
                return depth > 2 ? Map.of() : arguments(schema, r, true, depth + 1);
            }
            case "null" -> {
                return null;
            }
            default -> {
                return string(schema, r);
            }
        }
    }

    static String string(Map<?, ?> schema, Random r) {
        Pattern pattern = schema.get("pattern") instanceof String p ? Pattern.compile(p) : null;
        int min = schema.get("minLength") instanceof Number n ? n.intValue() : 0;
        int max = schema.get("maxLength") instanceof Number n ? n.intValue() : Integer.MAX_VALUE;
        List<String> fitting = new ArrayList<>();
        for (String s : STRINGS) {
            if (s.length() >= min && s.length() <= max && (pattern == null || pattern.matcher(s).find())) {
                fitting.add(s);
            }
        }
        if (max < 10_000 && max >= min && (pattern == null || pattern.matcher("x".repeat(Math.max(1, max))).find())) {
            fitting.add("x".repeat(Math.max(1, max)));
        }
        if (fitting.isEmpty()) {
            return "a".repeat(Math.max(min, 1));
        }
        return fitting.get(r.nextInt(fitting.size()));
    }

    static String type(Map<?, ?> schema, Random r) {
        Object t = schema.get("type");
        if (t instanceof List<?> l && !l.isEmpty()) {
            return String.valueOf(l.get(r.nextInt(l.size())));
        }
        return t == null ? "string" : t.toString();
    }

    static Map<String, Object> arguments(Map<?, ?> schema, Random r, boolean valid, int depth) {
        Map<?, ?> props = schema.get("properties") instanceof Map<?, ?> m ? m : Map.of();
        List<?> required = schema.get("required") instanceof List<?> l ? l : List.of();
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : props.entrySet()) {
            String name = String.valueOf(e.getKey());
            boolean req = required.contains(name);
            if (req || r.nextInt(3) == 0 || name.equals("timeout")) {
                out.put(name, valid(name, (Map<?, ?>) e.getValue(), r, depth));
            }
        }
        if (!valid) {
            breakOne(out, props, required, r);
        }
        return out;
    }

    /** Makes the arguments invalid in one way: a wrong type, a value out of range, a missing or an unknown member. */
    static void breakOne(Map<String, Object> args, Map<?, ?> props, List<?> required, Random r) {
        int how = r.nextInt(6);
        List<String> names = new ArrayList<>();
        props.keySet().forEach(k -> names.add(String.valueOf(k)));
        if (names.isEmpty() || how == 0) {
            args.put("pvemcp_unknown_" + r.nextInt(100), r.nextBoolean() ? "x" : 1);
            return;
        }
        String name = names.get(r.nextInt(names.size()));
        Map<?, ?> schema = (Map<?, ?>) props.get(name);
        Object[] wrong = {null, "not-a-number", -1, 1e308, List.of(1, 2), Map.of("x", 1), true, "",
            "x".repeat(20_000), Long.MAX_VALUE, -0.5};
        switch (how) {
            case 1 -> {
                if (!required.isEmpty()) {
                    args.remove(String.valueOf(required.get(r.nextInt(required.size()))));
                } else {
                    args.put(name, wrong[r.nextInt(wrong.length)]);
                }
            }
            case 2 -> {
                if (schema.get("maximum") instanceof Number n) {
                    args.put(name, n.longValue() + 1);
                } else if (schema.get("maxLength") instanceof Number n) {
                    args.put(name, "y".repeat(n.intValue() + 1));
                } else {
                    args.put(name, wrong[r.nextInt(wrong.length)]);
                }
            }
            case 3 -> {
                if (schema.get("minimum") instanceof Number n) {
                    args.put(name, n.longValue() - 1);
                } else {
                    args.put(name, Map.of("nested", List.of(Map.of())));
                }
            }
            default -> args.put(name, wrong[r.nextInt(wrong.length)]);
        }
    }

    // ---- the tests

    @Test
    void everyToolSurvivesSchemaAwareValidButOddAndInvalidArguments() throws Exception {
        String session = initialize();
        JsonNode listed = JSON.readTree(post(session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
                Map.of()).body());
        List<JsonNode> tools = new ArrayList<>();
        listed.at("/result/tools").forEach(tools::add);
        assertThat(tools).as("the server lists its tools").hasSizeGreaterThan(20);
        // the full input schemas, with the bounds and patterns that tools/list leaves to the server
        JsonNode full = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(server.url().replace("/mcp",
                "/api/v1/openapi.json"))).header("Authorization", "Bearer " + bearer).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("components").path("schemas");
        Random r = new Random(SEED);
        List<Map<String, Object>> calls = new ArrayList<>();
        for (JsonNode tool : tools) {
            JsonNode input = full.path(tool.path("name").asText() + "_input");
            assertThat(input.isObject()).as("full input schema of %s", tool.path("name").asText()).isTrue();
            Map<?, ?> schema = JSON.convertValue(input, Map.class);
            for (int i = 0; i < CASES_PER_TOOL; i++) {
                Map<String, Object> call = new LinkedHashMap<>();
                call.put("name", tool.path("name").asText());
                call.put("arguments", arguments(schema, r, i % 3 != 0, 0));
                calls.add(call);
            }
        }
        Collections.shuffle(calls, r);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> running = new ArrayList<>();
        long started = System.nanoTime();
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            Map<String, Object> call = calls.get(i);
            int id = i + 10;
            running.add(pool.submit(() -> {
                String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "method", "tools/call",
                        "params", call));
                HttpResponse<String> resp = post(session, body, Map.of());
                check("tools/call " + abbreviate(JSON.writeValueAsString(call)), resp.statusCode(), resp.body());
                JsonNode a = JSON.readTree(resp.body());
                outcomes.merge(a.has("error") ? "protocol error" : a.at("/result/isError").asBoolean() ? "tool error"
                        : "ok", 1, Integer::sum);
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertAlive(session, calls.size() + " tool calls");
        System.out.printf("fuzz: %d tool calls over %d tools in %d ms: %s%n", calls.size(), tools.size(),
                (System.nanoTime() - started) / 1_000_000, outcomes);
        assertThat(problems).as("what the fuzzer found").isEmpty();
        assertThat(outcomes.getOrDefault("ok", 0)).as("some calls did succeed").isGreaterThan(calls.size() / 10);
        assertThat(sim.contractViolations()).as("requests outside the Proxmox VE 9.1 API contract").isEmpty();
        assertThat(configs()).as("guest configurations after the fuzz").doesNotContain(MARKERS.toArray(String[]::new));
    }

    @Test
    void malformedJsonRpcOverHttpNeverBreaksTheServerOrTheSession() throws Exception {
        String session = initialize();
        Random r = new Random(SEED + 1);
        List<String> seeds = List.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{\"cursor\":null}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"proxmox_vm_list\","
                        + "\"arguments\":{\"limit\":2}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"resources/read\",\"params\":{\"uri\":\"proxmox://cluster/overview\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"prompts/get\",\"params\":{\"name\":\"proxmox_cluster_health_check\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"completion/complete\",\"params\":{\"ref\":{\"type\":"
                        + "\"ref/prompt\",\"name\":\"proxmox_cluster_health_check\"},\"argument\":{\"name\":\"x\",\"value\":\"\"}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"info\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"resources/subscribe\",\"params\":{\"uri\":\"proxmox://cluster/overview\"}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":3}}",
                "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"f\",\"version\":\"1\"}}}");
        Set<Integer> allowed = Set.of(200, 202, 400, 404, 406, 413, 415);
        int n = Integer.getInteger("fuzz.messages", 700);
        for (int i = 0; i < n; i++) {
            String seed = seeds.get(r.nextInt(seeds.size()));
            String body = mutate(seed, r);
            Map<String, String> headers = new LinkedHashMap<>();
            if (r.nextInt(10) == 0) {
                String[][] odd = {{"Content-Type", "text/plain"}, {"Accept", "text/html"}, {"MCP-Protocol-Version",
                    "1999-01-01"}, {"Mcp-Session-Id", "not-a-session"}, {"Content-Type", "application/json; charset=latin1"},
                    {"Accept", "*/*"}, {"MCP-Protocol-Version", "2025-06-18"}};
                String[] h = odd[r.nextInt(odd.length)];
                headers.put(h[0], h[1]);
            }
            HttpResponse<String> resp = post(session, body, headers);
            String what = "message " + i + " " + abbreviate(body) + " " + headers;
            if (!allowed.contains(resp.statusCode())) {
                problems.add(what + ": HTTP " + resp.statusCode() + " " + abbreviate(resp.body()));
            }
            if (resp.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                check(what, resp.statusCode(), resp.body());
            }
            if (i % 50 == 49) {
                assertAlive(session, what);
            }
        }
        assertAlive(session, n + " malformed messages");
        assertThat(problems).as("what the fuzzer found").isEmpty();
    }

    static String mutate(String seed, Random r) throws Exception {
        switch (r.nextInt(8)) {
            case 0 -> {
                return seed.substring(0, r.nextInt(seed.length()));
            }
            case 1 -> {
                StringBuilder sb = new StringBuilder(seed);
                int at = r.nextInt(sb.length());
                String[] junk = {"\u0000", "\"", "{", "}", "[", ",", ":", "\\", "\n", "\u2028", "\uFFFF", "é", "null"};
                sb.insert(at, junk[r.nextInt(junk.length)]);
                return sb.toString();
            }
            case 2 -> {
                ObjectNode node = (ObjectNode) JSON.readTree(seed);
                List<String> fields = new ArrayList<>();
                node.fieldNames().forEachRemaining(fields::add);
                String field = fields.get(r.nextInt(fields.size()));
                Object[] values = {null, 0, -1, Long.MAX_VALUE, 1.5e300, "", "x".repeat(5000), List.of(), List.of(1),
                    Map.of(), Map.of("a", Map.of("b", List.of())), true, "2.0", "tools/call"};
                node.set(field, JSON.valueToTree(values[r.nextInt(values.length)]));
                return JSON.writeValueAsString(node);
            }
            case 3 -> {
                ObjectNode node = (ObjectNode) JSON.readTree(seed);
                if (node.path("params").isObject()) {
                    ObjectNode params = (ObjectNode) node.path("params");
                    List<String> fields = new ArrayList<>();
                    params.fieldNames().forEachRemaining(fields::add);
                    if (!fields.isEmpty()) {
                        Object[] values = {null, 5, "", List.of("a"), Map.of(), "\u0000", "../x", "proxmox://x/{y}"};
                        params.set(fields.get(r.nextInt(fields.size())), JSON.valueToTree(values[r.nextInt(values.length)]));
                    }
                }
                return JSON.writeValueAsString(node);
            }
            case 4 -> {
                int depth = 2000 + r.nextInt(5000);
                return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":" + "[".repeat(depth)
                        + "]".repeat(depth) + "}}";
            }
            case 5 -> {
                byte[] bytes = new byte[1 + r.nextInt(64)];
                r.nextBytes(bytes);
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
            case 6 -> {
                return seed + seed;
            }
            default -> {
                return seed.replace("\"2.0\"", r.nextBoolean() ? "2.0" : "\"1.0\"");
            }
        }
    }

    @Test
    void malformedLinesOnStdioGetErrorsAndTheProcessLivesUntilTheEndOfInput() throws Exception {
        List<String> cmd = List.of(ServerProcess.DIST.resolve("bin/proxmox-mcp").toString(), "stdio", "--data",
                stdioData.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ServerProcess.OUT.resolve("fuzz-stdio.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MCP_") || k.startsWith("PROXMOX_"));
        pb.environment().putAll(proxmox());
        Process p = pb.start();
        List<String> answers = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    answers.add(line);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.start();
        Random r = new Random(SEED + 2);
        List<String> lines = new ArrayList<>();
        lines.add("{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"}}}");
        lines.add("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        int pings = 0;
        String seed = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"proxmox_vm_list\","
                + "\"arguments\":{\"limit\":2}}}";
        for (int i = 0; i < Integer.getInteger("fuzz.lines", 300); i++) {
            String line = mutate(seed, r).replace("\n", " ").replace("\r", " ").replace("\u2028", " ");
            lines.add(line);
            if (i % 10 == 9) {
                lines.add("{\"jsonrpc\":\"2.0\",\"id\":\"ping-" + pings++ + "\",\"method\":\"ping\"}");
            }
        }
        lines.add("null");
        lines.add("{\"jsonrpc\":\"2.0\",\"id\":\"last\",\"method\":\"ping\"}");
        try (OutputStream out = p.getOutputStream()) {
            for (String line : lines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (answers.stream().noneMatch(a -> a.contains("\"id\":\"last\"")) && System.nanoTime() < deadline
                    && p.isAlive()) {
                Thread.sleep(50);
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the process ends when its input does").isTrue();
        reader.join(5000);
        assertThat(p.exitValue()).isZero();
        for (String a : answers) {
            JsonNode node = JSON.readTree(a);
            assertThat(node.path("jsonrpc").asText()).as(a).isEqualTo("2.0");
            if (node.path("error").isObject()) {
                assertThat(node.at("/error/code").asInt()).as(a).isNotEqualTo(-32603);
            }
        }
        for (int i = 0; i < pings; i++) {
            String id = "\"id\":\"ping-" + i + "\"";
            assertThat(answers).as("ping %d answered", i).anySatisfy(a -> assertThat(a).contains(id, "\"result\""));
        }
        assertThat(answers).anySatisfy(a -> assertThat(a).contains("\"id\":\"last\"", "\"result\""));
    }

    // ---- the simulator's state, read as a Proxmox client would

    static String configs() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("sim", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(sim.caCertificatePem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient pve = HttpClient.newBuilder().sslContext(ssl).build();
        StringBuilder all = new StringBuilder();
        JsonNode resources = get(pve, "/cluster/resources?type=vm");
        for (JsonNode g : resources.path("data")) {
            String path = "/nodes/" + URLEncoder.encode(g.path("node").asText(), StandardCharsets.UTF_8) + "/"
                    + g.path("type").asText() + "/" + g.path("vmid").asInt() + "/config";
            // free text is free (a description may say anything; SSH keys are URL-encoded): look at the rest, the
            // property strings and plain options an injected value would end up in
            get(pve, path).path("data").fields().forEachRemaining(f -> {
                if (!FREE_TEXT.contains(f.getKey())) {
                    all.append(f.getKey()).append(": ").append(f.getValue().asText()).append('\n');
                }
            });
        }
        assertThat(all.length()).as("configurations were read").isGreaterThan(100);
        assertThat(all).as("option values were read").contains("net0: ");
        return all.toString();
    }

    static JsonNode get(HttpClient pve, String path) throws Exception {
        HttpResponse<String> r = pve.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api2/json" + path))
                .header("Authorization", "PVEAPIToken=" + TOKEN + "=" + SECRET).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
