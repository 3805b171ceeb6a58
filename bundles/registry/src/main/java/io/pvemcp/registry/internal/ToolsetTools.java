package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

import io.pvemcp.api.Caller;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;

/**
 * The discovery tools of dynamic toolsets, served by the registry itself: {@code proxmox_toolsets} lists the
 * toolsets a caller may enable with their tools, {@code proxmox_toolset_enable} enables (or disables) some for the
 * MCP session and tells the client {@code notifications/tools/list_changed}.
 */
final class ToolsetTools {

    /** A tool as the discovery tools name it. */
    record Listed(String name, String title, String risk) {
    }

    private final Supplier<Toolsets> toolsets;
    private final Function<Caller, Map<String, List<Listed>>> catalogue;
    private final McpSessionsNotifier notifier;

    /** Sends {@code tools/list_changed} to one session. */
    interface McpSessionsNotifier {
        boolean notify(String session, String method);
    }

    /**
     * @param toolsets the configured toolsets
     * @param catalogue the tools a caller may use by toolset, were they enabled
     * @param notifier tells a session its tool list changed
     */
    ToolsetTools(Supplier<Toolsets> toolsets, Function<Caller, Map<String, List<Listed>>> catalogue,
            McpSessionsNotifier notifier) {
        this.toolsets = toolsets;
        this.catalogue = catalogue;
        this.notifier = notifier;
    }

    private static Dictionary<String, Object> properties(String name, String title, String description) {
        return Properties.readTool(name, title, Toolsets.REGISTRY, description);
    }

    static Dictionary<String, Object> listProperties() {
        return properties("proxmox_toolsets", "List toolsets", "The toolsets (groups of tools: vm, ct, snapshot, "
                + "backup, storage, tasks, ...) this session can enable, with each tool's title; enable them with "
                + "proxmox_toolset_enable.");
    }

    static Dictionary<String, Object> enableProperties() {
        return properties("proxmox_toolset_enable", "Enable toolsets", "Enables toolsets for this session (or "
                + "disables them with enable: false); their tools appear in tools/list at once.");
    }

    Tool list() {
        return new Tool() {
            @Override
            public Map<String, Object> inputSchema() {
                return JsonSchema.object().build();
            }

            @Override
            public Map<String, Object> outputSchema() {
                return JsonSchema.object()
                        .required("toolsets", JsonSchema.array(JsonSchema.object()
                                .required("name", JsonSchema.string())
                                .required("enabled", JsonSchema.bool())
                                .required("tools", JsonSchema.array(JsonSchema.string()))))
                        .build();
            }

            @Override
            public ToolResult call(ToolCall call) {
                Set<String> on = toolsets.get().enabled(call.caller().sessionId());
                boolean dynamic = toolsets.get().dynamic() && call.caller().sessionId() != null;
                List<Map<String, Object>> sets = new ArrayList<>();
                StringBuilder text = new StringBuilder(dynamic ? "Toolsets (enable with proxmox_toolset_enable):"
                        : "Toolsets (all enabled on this server):");
                for (Map.Entry<String, List<Listed>> e : catalogue.apply(call.caller()).entrySet()) {
                    boolean enabled = !dynamic || on.contains(e.getKey());
                    List<String> tools = e.getValue().stream().map(t -> t.name() + ": " + t.title()).toList();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", e.getKey());
                    m.put("enabled", enabled);
                    m.put("tools", tools);
                    sets.add(m);
                    text.append("\n- ").append(e.getKey()).append(enabled ? " (enabled)" : "").append(": ")
                            .append(String.join("; ", tools));
                }
                return ToolResult.of(text.toString(), Map.of("toolsets", sets));
            }
        };
    }

    Tool enable() {
        return new Tool() {
            @Override
            public Map<String, Object> inputSchema() {
                return JsonSchema.object()
                        .required("toolsets", JsonSchema.array(JsonSchema.string().pattern("^[a-z][a-z0-9_-]{0,31}$"))
                                .minItems(1).maxItems(32))
                        .optional("enable", JsonSchema.bool().defaultValue(true))
                        .build();
            }

            @Override
            public Map<String, Object> outputSchema() {
                return JsonSchema.object()
                        .required("enabled", JsonSchema.array(JsonSchema.string()))
                        .required("changed", JsonSchema.bool())
                        .build();
            }

            @Override
            public ToolResult call(ToolCall call) {
                String session = call.caller().sessionId();
                Toolsets sets = toolsets.get();
                if (session == null || !sets.dynamic()) {
                    throw new ToolException(session == null ? "Toolsets are enabled per MCP session; this call has "
                            + "none (REST sees every allowed toolset)." : "This server shows every toolset already "
                                    + "(dynamic toolsets are off); nothing to enable.");
                }
                Map<String, List<Listed>> known = catalogue.apply(call.caller());
                Set<String> wanted = new LinkedHashSet<>(call.arguments().strings("toolsets"));
                List<String> unknown = wanted.stream().filter(w -> !known.containsKey(w)).toList();
                if (!unknown.isEmpty()) {
                    throw new ToolException("No toolset " + String.join(", ", unknown) + " for you here. Toolsets: "
                            + String.join(", ", known.keySet()) + ".");
                }
                boolean on = call.arguments().bool("enable", true);
                boolean changed = sets.enable(session, wanted, on);
                if (changed) {
                    notifier.notify(session,
                            io.modelcontextprotocol.spec.McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED);
                }
                List<String> enabled = new ArrayList<>(sets.enabled(session));
                int tools = enabled.stream().mapToInt(s -> known.getOrDefault(s, List.of()).size()).sum();
                return ToolResult.of((changed ? (on ? "Enabled " : "Disabled ") + String.join(", ", wanted)
                        + "; the tool list changed." : "Nothing changed.") + " Enabled now: " + (enabled.isEmpty()
                                ? "none" : String.join(", ", enabled) + " (" + tools + " tools)") + ".",
                        Map.of("enabled", enabled, "changed", changed));
            }
        };
    }

    /** @return the tools by toolset, sorted, for a catalogue function */
    static Map<String, List<Listed>> group(List<Map.Entry<String, Listed>> tools) {
        Map<String, List<Listed>> out = new TreeMap<>();
        for (Map.Entry<String, Listed> e : tools) {
            out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
        return out;
    }
}
