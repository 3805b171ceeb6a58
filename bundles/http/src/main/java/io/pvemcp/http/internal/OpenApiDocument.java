package io.pvemcp.http.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.registry.ToolRegistry.ToolDescription;

/**
 * The OpenAPI 3.1 description of the REST API, built from the tools the registry serves right now: one operation
 * per tool, whose request body is the tool's input schema and whose result carries its output schema. Tool schemas
 * are JSON Schema 2020-12, the dialect of OpenAPI 3.1, so they are used as they are; only their local references
 * ({@code #/$defs/...}) are rewritten to where the schema now lives.
 */
final class OpenApiDocument {

    static final String PREFIX = "/api/v1";

    private OpenApiDocument() {
    }

    static Map<String, Object> build(String serverUrl, String version, List<ToolDescription> tools) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", map("title", "Proxmox MCP Server REST API", "version", version, "description",
                "The tools of the Proxmox MCP Server for integrations that do not speak MCP: the same tools, "
                        + "authentication, scopes, rate limits and audit. Generated from the tools the server serves "
                        + "now, as the caller may see them; a hot-deployed tool appears here too."));
        doc.put("servers", List.of(map("url", serverUrl)));
        doc.put("security", List.of(map("bearer", List.of())));

        Map<String, Object> schemas = new LinkedHashMap<>();
        schemas.put("Error", map("type", "object", "required", List.of("error"), "properties", map(
                "error", map("type", "string", "description", "What went wrong and what to do"),
                "outcome", map("type", "string"))));
        schemas.put("Tool", map("type", "object", "required", List.of("name", "description", "scope", "inputSchema"),
                "properties", map("name", map("type", "string"), "title", map("type", "string"),
                        "description", map("type", "string"), "category", map("type", "string"),
                        "scope", map("type", "string"), "annotations", map("type", "object"),
                        "inputSchema", map("type", "object"), "outputSchema", map("type", "object"))));
        Map<String, Object> paths = new LinkedHashMap<>();
        paths.put(PREFIX + "/tools", map("get", operation("listTools", "List the tools you may call", null,
                "The tools your credentials may call now, with their input and output schemas.", null,
                map("type", "object", "required", List.of("tools"), "properties", map("tools",
                        map("type", "array", "items", ref("Tool")))))));
        paths.put(PREFIX + "/openapi.json", map("get", operation("openApi", "This document", null,
                "The OpenAPI description of the tools you may call now.", null, map("type", "object"))));
        for (ToolDescription t : tools) {
            String input = t.name() + "_input";
            schemas.put(input, relocate(t.inputSchema(), "#/components/schemas/" + input + "/"));
            Map<String, Object> structured;
            if (t.outputSchema() != null) {
                String output = t.name() + "_output";
                schemas.put(output, relocate(t.outputSchema(), "#/components/schemas/" + output + "/"));
                structured = ref(output);
            } else {
                structured = map("type", "object");
            }
            Map<String, Object> result = map("type", "object", "required", List.of("tool", "outcome", "text", "content"),
                    "properties", map("tool", map("const", t.name()), "outcome", map("const", "ok"),
                            "text", map("type", "string", "description", "A short summary for a reader"),
                            "content", map("type", "array", "items", map("type", "object"),
                                    "description", "The result as MCP content items"),
                            "structuredContent", structured));
            Map<String, Object> op = operation(t.name(), t.title().isEmpty() ? t.name() : t.title(), t.category(),
                    t.description() + "\n\nScope: " + t.scope() + "; risk: " + t.risk() + (t.idempotent()
                            ? "; idempotent" : "") + (t.readOnly() ? "." : "; a 202 answer means it waits for a "
                            + "person's approval."), ref(input), result);
            op.put("x-scope", t.scope());
            paths.put(PREFIX + "/tools/" + t.name(), map("post", op));
        }
        doc.put("paths", paths);
        doc.put("components", map("schemas", schemas, "securitySchemes", map("bearer", map("type", "http",
                "scheme", "bearer", "bearerFormat", "JWT or API key", "description",
                "A token from 'proxmox-mcp token create'; the scopes decide which tools appear and may be called"))));
        return doc;
    }

    private static Map<String, Object> operation(String id, String summary, String tag, String description,
            Map<String, Object> body, Map<String, Object> ok) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", id);
        op.put("summary", summary);
        op.put("description", description);
        if (tag != null && !tag.isEmpty()) {
            op.put("tags", List.of(tag));
        }
        if (body != null) {
            op.put("requestBody", map("required", true, "content", map("application/json", map("schema", body))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("200", response("Success", ok));
        if (body != null) {
            responses.put("400", response("The arguments do not match the input schema", ref("Error")));
        }
        responses.put("401", response("No valid token", ref("Error")));
        responses.put("403", response("The token lacks the scope, or the call is outside its limits", ref("Error")));
        if (body != null) {
            responses.put("404", response("No such tool, or it is switched off", ref("Error")));
            responses.put("422", response("The tool ran and failed; the error says why", ref("Error")));
        }
        responses.put("429", response("Rate limit; see Retry-After", ref("Error")));
        if (body != null) {
            responses.put("503", response("The server is busy or cannot audit calls now", ref("Error")));
        }
        op.put("responses", responses);
        return op;
    }

    private static Map<String, Object> response(String description, Map<String, Object> schema) {
        return map("description", description, "content", map("application/json", map("schema", schema)));
    }

    private static Map<String, Object> ref(String schema) {
        return map("$ref", "#/components/schemas/" + schema);
    }

    /** Copies a schema, pointing its document-local references at its new place. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> relocate(Map<String, Object> schema, String base) {
        Map<String, Object> out = new LinkedHashMap<>();
        schema.forEach((k, v) -> out.put(k, relocateValue(k, v, base)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object relocateValue(String key, Object v, String base) {
        if ("$ref".equals(key) && v instanceof String s && s.startsWith("#/")) {
            return base + s.substring(2);
        }
        if (v instanceof Map<?, ?> m) {
            return relocate((Map<String, Object>) m, base);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(relocateValue(null, o, base));
            }
            return out;
        }
        return v;
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
