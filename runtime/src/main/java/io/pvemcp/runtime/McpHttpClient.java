package io.pvemcp.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The command line's MCP client: JSON-RPC over Streamable HTTP, enough for {@code tools list}, {@code call} and
 * {@code health}. It opens a session with {@code initialize}, reads answers given as JSON or as an event stream
 * (passing progress notifications on), and ends the session when closed.
 */
final class McpHttpClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String VERSION = "2025-11-25";

    /** The server answered with an error, or not as MCP. */
    static final class McpException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        McpException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final HttpClient http;
    private final URI url;
    private final String token;
    private final AtomicLong ids = new AtomicLong();
    private String session;
    private JsonNode serverInfo;

    McpHttpClient(String url, String token) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), url, token);
    }

    McpHttpClient(HttpClient http, String url, String token) {
        this.http = http;
        this.url = URI.create(url);
        this.token = token;
    }

    /** Opens the session. */
    JsonNode initialize() throws IOException, InterruptedException {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("protocolVersion", VERSION);
        params.put("capabilities", Map.of());
        params.put("clientInfo", Map.of("name", "proxmox-mcp-cli", "version", Home.version()));
        JsonNode result = request("initialize", params, null);
        serverInfo = result.path("serverInfo");
        notify("notifications/initialized");
        return result;
    }

    JsonNode serverInfo() {
        return serverInfo;
    }

    /**
     * Sends a request and waits for its answer.
     *
     * @param progress gets {@code notifications/progress} params while the request runs, or {@code null}
     * @return the result
     * @throws McpException on a JSON-RPC error or an HTTP refusal, with the server's message
     */
    JsonNode request(String method, Object params, Consumer<JsonNode> progress) throws IOException,
            InterruptedException {
        long id = ids.incrementAndGet();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("jsonrpc", "2.0");
        message.put("id", id);
        message.put("method", method);
        if (params != null) {
            message.put("params", params);
        }
        HttpResponse<InputStream> resp = http.send(post(message), HttpResponse.BodyHandlers.ofInputStream());
        resp.headers().firstValue("Mcp-Session-Id").ifPresent(s -> session = s);
        String type = resp.headers().firstValue("Content-Type").orElse("");
        if (resp.statusCode() >= 400 || (!type.startsWith("application/json") && !type.startsWith("text/event-stream"))) {
            String body = new String(resp.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new McpException(resp.statusCode(), refusal(resp.statusCode(), body));
        }
        if (type.startsWith("application/json")) {
            return answer(JSON.readTree(resp.body()));
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (line.isEmpty() && data.length() > 0) {
                    JsonNode event = JSON.readTree(data.toString());
                    data.setLength(0);
                    if (event.has("id") && event.path("id").asLong() == id) {
                        return answer(event);
                    }
                    if ("notifications/progress".equals(event.path("method").asText()) && progress != null) {
                        progress.accept(event.path("params"));
                    }
                }
            }
        }
        throw new McpException(0, "the server closed the stream before answering " + method);
    }

    void notify(String method) throws IOException, InterruptedException {
        Map<String, Object> message = Map.of("jsonrpc", "2.0", "method", method);
        http.send(post(message), HttpResponse.BodyHandlers.discarding());
    }

    private HttpRequest post(Object message) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(message)));
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token.strip());
        }
        if (session != null) {
            b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", VERSION);
        }
        return b.build();
    }

    private static JsonNode answer(JsonNode message) throws McpException {
        if (message.has("error")) {
            throw new McpException(0, message.path("error").path("message").asText("error"));
        }
        return message.path("result");
    }

    private static String refusal(int status, String body) {
        String detail = body;
        try {
            JsonNode n = JSON.readTree(body);
            detail = n.path("error").isObject() ? n.path("error").path("message").asText(body)
                    : n.path("error_description").asText(n.path("error").asText(body));
        } catch (IOException e) {
            // not JSON: the body as it is
        }
        return switch (status) {
            case 401 -> "The server refused the token (401): " + detail + ". Pass one with --token or MCP_TOKEN "
                    + "(proxmox-mcp token create).";
            case 403 -> "Forbidden (403): " + detail;
            case 429 -> "Rate limited (429): " + detail;
            default -> "HTTP " + status + ": " + detail;
        };
    }

    @Override
    public void close() {
        if (session == null) {
            return;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).DELETE()
                .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", VERSION);
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token.strip());
        }
        try {
            http.send(b.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the server is gone; nothing to end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
