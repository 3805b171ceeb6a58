package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Content;
import io.pvemcp.api.ResourceContents;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolResult;
import io.pvemcp.registry.McpContextKeys;
import io.pvemcp.registry.ToolRegistry;

import reactor.core.publisher.Mono;

/**
 * Tools for the transports: {@code tools/list} and {@code tools/call} for MCP, and the description and call the
 * REST API uses. Every call goes through the {@link ToolInvoker}; this class only adapts its answer.
 */
final class McpTools {

    private final McpHandlers core;
    private final Contributions<Tool, ToolEntry> tools;
    private final ToolInvoker invoker;
    private final Supplier<ToolRegistry.Switches> switches;
    private final ObjectMapper mapper;

    McpTools(McpHandlers core, Contributions<Tool, ToolEntry> tools, ToolInvoker invoker,
            Supplier<ToolRegistry.Switches> switches, ObjectMapper mapper) {
        this.core = core;
        this.tools = tools;
        this.invoker = invoker;
        this.switches = switches;
        this.mapper = mapper;
    }

    Mono<McpSchema.ListToolsResult> list(McpAsyncServerExchange exchange, Object params) {
        Caller caller = core.caller(exchange);
        List<McpSchema.Tool> visible = new ArrayList<>();
        ToolRegistry.Switches on = switches.get();
        Toolsets sets = invoker.toolsets();
        Clusters clusters = invoker.clusters();
        boolean several = clusters.several();
        List<String> reachable = several ? clusters.reachable(caller) : List.of();
        for (ToolEntry t : tools.active()) {
            if (caller.hasScope(t.scope) && on.allows(t.bundle, t.name) && sets.visible(caller, t.category)) {
                visible.add(t.descriptor(reachable, several));
            }
        }
        return Mono.just(new McpSchema.ListToolsResult(visible, null));
    }

    /** @return the tools a caller may use now, with their schemas */
    List<ToolRegistry.ToolDescription> describe(Caller caller) {
        List<ToolRegistry.ToolDescription> out = new ArrayList<>();
        ToolRegistry.Switches on = switches.get();
        Toolsets sets = invoker.toolsets();
        Clusters clusters = invoker.clusters();
        boolean several = clusters.several();
        List<String> reachable = several ? clusters.reachable(caller) : List.of();
        for (ToolEntry t : tools.active()) {
            if (caller.hasScope(t.scope) && on.allows(t.bundle, t.name) && sets.visible(caller, t.category)) {
                out.add(t.description(reachable, several));
            }
        }
        return out;
    }

    /** The params of {@code tools/call}, read from the parsed message as they are (no conversion on the hot path). */
    private record CallParams(String name, Map<String, Object> arguments, Object progressToken) {
    }

    @SuppressWarnings("unchecked")
    private static CallParams callParams(Object params) {
        if (!(params instanceof Map<?, ?> p)) {
            throw invalid("this method needs params, a JSON object");
        }
        Object name = p.get("name");
        if (name == null) {
            throw invalid("the tool name is missing");
        }
        if (!(name instanceof String n)) {
            throw invalid("name must be a string");
        }
        Object args = p.get("arguments");
        if (args != null && !(args instanceof Map)) {
            throw invalid("arguments must be an object");
        }
        Object meta = p.get("_meta");
        if (meta != null && !(meta instanceof Map)) {
            throw invalid("_meta must be an object");
        }
        return new CallParams(n, args == null ? Map.of() : (Map<String, Object>) args,
                meta == null ? null : ((Map<?, ?>) meta).get("progressToken"));
    }

    private static McpError invalid(String why) {
        return McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: " + why).build();
    }

    /** @return whether a tool of this name is registered now */
    boolean has(String name) {
        return invoker.has(name);
    }

    Mono<CallToolResult> call(McpAsyncServerExchange exchange, Object params) {
        CallParams request = callParams(params);
        Caller caller = core.caller(exchange);
        Object progressToken = request.progressToken();
        Map<String, Object> arguments = request.arguments();
        return Mono.deferContextual(ctx -> {
            Object requestId = ctx.getOrDefault(McpContextKeys.REQUEST_ID, null);
            CancellationSignal signal = new CancellationSignal();
            String key = requestId == null ? null : exchange.sessionId() + "/" + requestId;
            core.running(key, signal);
            // the future is not cancelled with the subscription: the call runs to its end (it is told to stop) and is
            // audited then
            boolean here = Boolean.TRUE.equals(ctx.getOrDefault(McpContextKeys.MAY_BLOCK, Boolean.FALSE));
            return Mono.fromFuture(() -> invoker.invoke(caller, request.name(), arguments, new McpChannel(exchange),
                    progressToken, signal, here), true)
                    .doOnCancel(signal::cancel)
                    .doFinally(s -> core.finished(key, signal))
                    .handle((ToolInvoker.Invocation i, reactor.core.publisher.SynchronousSink<CallToolResult> sink) -> {
                        if ("unknown".equals(i.outcome())) {
                            sink.error(McpError.builder(ErrorCodes.INVALID_PARAMS).message("Unknown tool: "
                                    + McpHandlers.printable(request.name())).data("Call tools/list to see the tools you "
                                    + "can use.").build());
                        } else {
                            sink.next(toMcp(i));
                        }
                    });
        });
    }

    /**
     * Calls a tool for a transport other than MCP: no client to talk back to, so progress and log messages go to the
     * server log only and sampling and elicitation are refused.
     */
    CompletionStage<ToolRegistry.CallOutcome> call(Caller caller, String name, Map<String, Object> arguments) {
        return invoker.invoke(caller, name, arguments, ClientChannel.NONE, null, new CancellationSignal())
                .thenApply(this::outcome);
    }

    private ToolRegistry.CallOutcome outcome(ToolInvoker.Invocation i) {
        if (!i.ok()) {
            List<Map<String, Object>> content = List.of(Map.of("type", "text", "text", i.message()));
            return new ToolRegistry.CallOutcome(i.outcome(), i.message(), content, i.details());
        }
        ToolResult r = i.result();
        List<Map<String, Object>> content = new ArrayList<>();
        String text = null;
        for (Content c : r.content()) {
            content.add(json(c));
            if (text == null && c.type() == Content.Type.TEXT) {
                text = c.text();
            }
        }
        Map<String, Object> structured = structured(r, i.cluster());
        String structuredText = structuredText(structured);
        if (structuredText != null) {
            content.add(Map.of("type", "text", "text", structuredText));
        }
        return new ToolRegistry.CallOutcome(i.outcome(), text != null ? text : structuredText == null ? ""
                : structuredText, content, structured);
    }

    private CallToolResult toMcp(ToolInvoker.Invocation i) {
        if (!i.ok()) {
            return error(i.message());
        }
        ToolResult r = i.result();
        List<McpSchema.Content> content = new ArrayList<>();
        for (Content c : r.content()) {
            content.add(toMcp(c));
        }
        if (r.structuredContent() != null) {
            String text = structuredText(structured(r, i.cluster()));
            if (text == null) {
                return error(invoker.bug(i.tool(), "returned structured content that cannot be written as JSON")
                        .message());
            }
            // Clients that ignore structured content still give the model the data (MCP: SHOULD).
            content.add(new McpSchema.TextContent(text));
            // the structured content is the same JSON: written once, included as it is
            return new CallToolResult(content, false, new RawValue(text), null);
        }
        return new CallToolResult(content, false, null, null);
    }

    /** @return the structured content, led by the name of the cluster the call went to when the server has several */
    private static Map<String, Object> structured(ToolResult r, String cluster) {
        Map<String, Object> s = r.structuredContent();
        if (s == null || cluster == null) {
            return s;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(Clusters.ARGUMENT, cluster);
        s.forEach(out::putIfAbsent);
        return out;
    }

    /** @return the structured content as JSON text, or {@code null} if there is none or it cannot be written */
    private String structuredText(Map<String, Object> structured) {
        if (structured == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(structured);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static CallToolResult error(String message) {
        return new CallToolResult(List.of(new McpSchema.TextContent(message)), true, null, null);
    }

    static McpSchema.Content toMcp(Content c) {
        return switch (c.type()) {
            case TEXT -> new McpSchema.TextContent(c.text());
            case IMAGE -> new McpSchema.ImageContent(null, c.data(), c.mimeType());
            case AUDIO -> new McpSchema.AudioContent(null, c.data(), c.mimeType());
            case RESOURCE -> new McpSchema.EmbeddedResource(null, McpResources.toMcp(c.resource(), null));
        };
    }

    /** A content item as MCP writes it, JSON-shaped, for transports that are not MCP. */
    static Map<String, Object> json(Content c) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (c.type()) {
            case TEXT -> {
                m.put("type", "text");
                m.put("text", c.text());
            }
            case IMAGE, AUDIO -> {
                m.put("type", c.type() == Content.Type.IMAGE ? "image" : "audio");
                m.put("data", c.data());
                m.put("mimeType", c.mimeType());
            }
            case RESOURCE -> {
                ResourceContents r = c.resource();
                Map<String, Object> res = new LinkedHashMap<>();
                res.put("uri", r.uri());
                if (r.mimeType() != null) {
                    res.put("mimeType", r.mimeType());
                }
                if (r.text() != null) {
                    res.put("text", r.text());
                } else {
                    res.put("blob", r.blob());
                }
                m.put("type", "resource");
                m.put("resource", res);
            }
        }
        return m;
    }
}
