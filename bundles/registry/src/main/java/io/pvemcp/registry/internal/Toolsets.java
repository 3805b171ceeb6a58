package io.pvemcp.registry.internal;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.pvemcp.api.Caller;

/**
 * Which toolsets (tool categories: vm, ct, snapshot, backup, ...) a caller sees: those the operator offers (all
 * unless configured), within those its token allows, and, in dynamic mode, only those the MCP session enabled; the
 * registry's own tools are always there. REST callers have no session, so dynamic mode does not apply to them.
 */
final class Toolsets {

    /** The registry's own tools: approvals and toolset discovery. */
    static final String REGISTRY = "registry";

    private final Set<String> offered;
    private final boolean dynamic;
    private final Map<String, Set<String>> enabled = new ConcurrentHashMap<>();

    /**
     * @param offered the toolsets this server offers; empty for all
     * @param dynamic whether MCP sessions start with the discovery tools only
     */
    Toolsets(Set<String> offered, boolean dynamic) {
        this.offered = Set.copyOf(offered);
        this.dynamic = dynamic;
    }

    static Toolsets all() {
        return new Toolsets(Set.of(), false);
    }

    boolean dynamic() {
        return dynamic;
    }

    /** @return whether the server and the caller's credentials allow a toolset at all */
    boolean allowed(Caller caller, String toolset) {
        if (REGISTRY.equals(toolset)) {
            return true;
        }
        return (offered.isEmpty() || offered.contains(toolset)) && caller.limits().allowsToolset(toolset);
    }

    /** @return whether the caller sees a toolset's tools now */
    boolean visible(Caller caller, String toolset) {
        if (!allowed(caller, toolset)) {
            return false;
        }
        if (!dynamic || REGISTRY.equals(toolset) || caller.sessionId() == null) {
            return true;
        }
        return enabled.getOrDefault(caller.sessionId(), Set.of()).contains(toolset);
    }

    /**
     * @param session an MCP session
     * @param sets toolsets to enable or disable for it
     * @param on enable or disable
     * @return whether the session's set changed
     */
    boolean enable(String session, Set<String> sets, boolean on) {
        Set<String> mine = enabled.computeIfAbsent(session, s -> ConcurrentHashMap.newKeySet());
        return on ? mine.addAll(sets) : mine.removeAll(sets);
    }

    /** @return the toolsets a session enabled */
    Set<String> enabled(String session) {
        return session == null ? Set.of() : new LinkedHashSet<>(enabled.getOrDefault(session, Set.of()));
    }

    void forget(String session) {
        enabled.remove(session);
    }

    /** @return why a toolset's tool is not visible to the caller, as a message, or {@code null} if it is */
    String refusal(Caller caller, String tool, String toolset) {
        if (visible(caller, toolset)) {
            return null;
        }
        if (!offered.isEmpty() && !offered.contains(toolset)) {
            return "The tool " + tool + " (toolset " + toolset + ") is not offered by this server; its operator "
                    + "chose the toolsets " + String.join(", ", new java.util.TreeSet<>(offered)) + ".";
        }
        if (!caller.limits().allowsToolset(toolset)) {
            return "The tool " + tool + " (toolset " + toolset + ") is outside what your token allows (toolsets "
                    + String.join(", ", caller.limits().toolsets()) + ").";
        }
        return "The tool " + tool + " belongs to the toolset " + toolset + ", which this session has not enabled. "
                + "Enable it with proxmox_toolset_enable (toolsets: [\"" + toolset + "\"]), then call it.";
    }
}
