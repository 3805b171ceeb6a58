package io.pvemcp.http.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.api.Caller;
import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.registry.ToolRegistry.CallOutcome;
import io.pvemcp.registry.ToolRegistry.ToolDescription;
import io.pvemcp.security.Admission;
import io.pvemcp.security.Gatekeeper;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API for integrations that do not speak MCP, at {@code /api/v1}: {@code GET /tools} lists the tools the
 * caller may use, {@code POST /tools/{name}} calls one with its arguments as a JSON object, {@code GET /openapi.json}
 * describes both, generated from the live registry. Requests are admitted by the same {@link AdmissionFilter} as MCP
 * ones (Host and Origin checks, the bearer token, its scopes and rate limit), and calls go through the registry's
 * one call path, with its checks and audit.
 */
@Component(service = Servlet.class, configurationPid = "io.pvemcp.http")
@HttpWhiteboardServletPattern(OpenApiDocument.PREFIX + "/*")
@HttpWhiteboardServletName("rest-api")
@HttpWhiteboardServletAsyncSupported
public final class RestApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RestApiServlet.class);
    private static final long CALL_TIMEOUT_MS = 15 * 60 * 1000L;

    private final transient ObjectMapper mapper = new ObjectMapper();
    private final transient Gatekeeper gatekeeper;
    private final transient ToolRegistry registry;
    private final transient String version;
    private final int maxRequestBytes;

    @Activate
    public RestApiServlet(BundleContext context, HttpConfig config, @Reference Gatekeeper gatekeeper,
            @Reference ToolRegistry registry) {
        this.gatekeeper = gatekeeper;
        this.registry = registry;
        this.maxRequestBytes = Math.max(1024, config.max_request_bytes());
        var v = context.getBundle().getVersion();
        this.version = v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Caller admitted = AdmissionFilter.caller(req);
        if (admitted == null) {
            resp.setHeader("Retry-After", "2");
            error(resp, 503, "The REST API is starting; try again shortly", null);
            return;
        }
        Caller caller = admitted.toBuilder().transport("rest").clientName(req.getHeader("User-Agent")).build();
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.equals("/tools")) {
            if (allow(req, resp, "GET")) {
                Map<String, Object> body = new LinkedHashMap<>();
                List<Map<String, Object>> tools = new ArrayList<>();
                registry.describeTools(caller).forEach(t -> tools.add(describe(t)));
                body.put("tools", tools);
                json(resp, 200, body);
            }
        } else if (path.equals("/openapi.json")) {
            if (allow(req, resp, "GET")) {
                String server = req.getScheme() + "://" + req.getHeader("Host");
                json(resp, 200, OpenApiDocument.build(server, version, registry.describeTools(caller)));
            }
        } else if (path.startsWith("/tools/") && path.length() > 7 && path.indexOf('/', 7) < 0) {
            String name = path.substring(7);
            if (req.getMethod().equals("GET")) {
                ToolDescription t = registry.describeTools(caller).stream().filter(d -> d.name().equals(name))
                        .findFirst().orElse(null);
                if (t == null) {
                    error(resp, 404, "No tool '" + name + "' for you; GET " + OpenApiDocument.PREFIX + "/tools lists "
                            + "the tools you may call", "unknown");
                } else {
                    json(resp, 200, describe(t));
                }
            } else if (allow(req, resp, "GET, POST")) {
                call(req, resp, caller, name);
            }
        } else {
            error(resp, 404, "Not found. The API has GET " + OpenApiDocument.PREFIX + "/tools, POST "
                    + OpenApiDocument.PREFIX + "/tools/{name} and GET " + OpenApiDocument.PREFIX + "/openapi.json",
                    null);
        }
    }

    private void call(HttpServletRequest req, HttpServletResponse resp, Caller caller, String name) throws IOException {
        String type = req.getContentType();
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            error(resp, 415, "Send the arguments as a JSON object with Content-Type: application/json", null);
            return;
        }
        Map<String, Object> arguments;
        try {
            byte[] body = Requests.body(req, resp, maxRequestBytes);
            JsonNode node = body.length == 0 ? mapper.createObjectNode() : mapper.readTree(body);
            if (node == null || !node.isObject()) {
                error(resp, 400, "The body must be a JSON object of the tool's arguments, e.g. {\"node\": \"pve1\"}",
                        "invalid");
                return;
            }
            arguments = mapper.convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<>() {
            });
        } catch (Requests.TooLarge e) {
            error(resp, 413, "The request is larger than " + maxRequestBytes + " bytes", null);
            return;
        } catch (JsonProcessingException e) {
            error(resp, 400, "The body is not valid JSON" + (e.getLocation() == null ? "" : " (at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"), "invalid");
            return;
        } catch (IOException e) {
            LOG.debug("a client went away while sending its request: {}", e.toString());
            return;
        }
        Admission charged = gatekeeper.chargeCall(caller, name, arguments);
        if (charged != null) {
            Requests.refusalHeaders(resp, charged);
            error(resp, 429, charged.description(), "rate-limited");
            return;
        }
        AsyncContext async = req.startAsync();
        async.setTimeout(CALL_TIMEOUT_MS);
        registry.call(caller, name, arguments).whenComplete((outcome, failure) -> {
            HttpServletResponse r = (HttpServletResponse) async.getResponse();
            try {
                if (failure != null) {
                    LOG.warn("REST call of {} failed", name, failure);
                    error(r, 500, "The call failed inside the server; the server log has the details", "error");
                } else {
                    answer(r, name, outcome);
                }
            } catch (IOException | IllegalStateException e) {
                LOG.debug("answering a REST call failed: {}", e.toString());
            } finally {
                async.complete();
            }
        });
    }

    private void answer(HttpServletResponse resp, String name, CallOutcome o) throws IOException {
        int status = switch (o.outcome()) {
            case "ok", "approved" -> 200;
            case "pending" -> 202;
            case "declined", "rejected", "expired" -> 409;
            case "failed" -> 422;
            case "invalid" -> 400;
            case "denied" -> 403;
            case "unknown", "switched-off" -> 404;
            case "error" -> 422;
            case "busy", "unavailable", "cancelled" -> 503;
            default -> 500;
        };
        if (status == 202) {
            Map<String, Object> held = new LinkedHashMap<>();
            held.put("tool", name);
            held.put("outcome", o.outcome());
            held.put("text", o.text());
            if (o.structuredContent() != null) {
                held.putAll(o.structuredContent());
            }
            json(resp, 202, held);
            return;
        }
        if (status != 200) {
            if (status == 503) {
                resp.setHeader("Retry-After", "5");
            }
            error(resp, status, o.text(), o.outcome());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tool", name);
        body.put("outcome", o.outcome());
        body.put("text", o.text());
        body.put("content", o.content());
        if (o.structuredContent() != null) {
            body.put("structuredContent", o.structuredContent());
        }
        json(resp, 200, body);
    }

    private static Map<String, Object> describe(ToolDescription t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        if (!t.title().isEmpty()) {
            m.put("title", t.title());
        }
        m.put("description", t.description());
        m.put("category", t.category());
        m.put("scope", t.scope());
        m.put("risk", t.risk());
        m.put("annotations", Map.of("readOnlyHint", t.readOnly(), "destructiveHint", t.destructive(),
                "idempotentHint", t.idempotent(), "openWorldHint", t.openWorld()));
        m.put("inputSchema", t.inputSchema());
        if (t.outputSchema() != null) {
            m.put("outputSchema", t.outputSchema());
        }
        m.put("call", "POST " + OpenApiDocument.PREFIX + "/tools/" + t.name());
        return m;
    }

    private static boolean allow(HttpServletRequest req, HttpServletResponse resp, String methods) throws IOException {
        if (List.of(methods.split(",\\s*")).contains(req.getMethod())) {
            return true;
        }
        resp.setHeader("Allow", methods);
        error(resp, 405, "Method not allowed here: use " + methods, null);
        return false;
    }

    private static final ObjectMapper ERRORS = new ObjectMapper();

    private static void error(HttpServletResponse resp, int status, String message, String outcome) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message == null ? "" : message);
        if (outcome != null) {
            body.put("outcome", outcome);
        }
        resp.setStatus(status);
        resp.setContentType("application/json;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getOutputStream().write(ERRORS.writeValueAsBytes(body));
    }

    private void json(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getOutputStream().write(mapper.writeValueAsBytes(body));
    }
}
