package io.pvemcp.tools.ha.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.Guests;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox_ha_rule_set}: an HA rule of Proxmox VE 9, which replaced HA groups: node affinity (run these guests on
 * these nodes, by priority) or resource affinity (keep these guests together, or apart); or deletes one. The HA
 * manager may move guests to satisfy a rule, so it is a power-class call.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ha_rule_set", title = "Set an HA rule", risk = Risk.POWER, category = "ha",
        scope = Scopes.ADMIN, idempotent = true,
        description = "Creates, changes or deletes an HA rule: node affinity (guests on nodes, by priority) or "
                + "keeping guests together or apart.")
public final class HaRuleSetTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("rule", JsonSchema.string().pattern("^[a-zA-Z][a-zA-Z0-9_-]{0,63}$"))
            .optional("type", JsonSchema.string().enumValues("node-affinity", "resource-affinity"))
            .optional("vmids", JsonSchema.array(JsonSchema.integer().minimum(100).maximum(999_999_999)).maxItems(64))
            .optional("nodes", JsonSchema.array(JsonSchema.string().pattern("^[a-zA-Z0-9-]{1,63}(:\\d{1,4})?$"))
                    .maxItems(64).description("node or node:priority (higher first)"))
            .optional("affinity", JsonSchema.string().enumValues("positive", "negative")
                    .description("Together or apart (resource-affinity)"))
            .optional("strict", JsonSchema.bool().description("Only these nodes, never others"))
            .optional("disable", JsonSchema.bool())
            .optional("comment", JsonSchema.string().maxLength(4096))
            .optional("delete", JsonSchema.bool().description("Delete the rule"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("rule", JsonSchema.string())
            .required("exists", JsonSchema.bool())
            .build();

    private record Plan(String rule, Preview.Request request, String summary) {
    }

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    /** Deleting a rule or switching it off only frees the HA manager's hands: a change. */
    @Override
    public Risk risk(Arguments arguments) {
        return arguments.bool("delete", false) || arguments.bool("disable", false) ? Risk.CHANGE : Risk.POWER;
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        return new Preview(p.summary(), List.of(), p.request() == null ? List.of() : List.of(p.request()), null, true,
                false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        if (p.request() != null) {
            Futures.join(call.proxmox().request(p.request().method(), p.request().method().equals("POST")
                    ? "/cluster/ha/rules" : "/cluster/ha/rules/{rule}", p.request().params()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rule", p.rule());
        out.put("exists", !call.arguments().bool("delete", false));
        return ToolResult.of(p.request() == null ? p.summary() : "Done: " + p.summary() + " proxmox_ha_status shows "
                + "the rules.", out);
    }

    private static Plan plan(ToolCall call) {
        ProxmoxClient pve = call.proxmox();
        Arguments a = call.arguments();
        String id = a.string("rule");
        Map<String, Object> current = null;
        for (Object o : Json.list(Futures.join(pve.get("/cluster/ha/rules", Map.of())))) {
            if (id.equals(Json.string(Json.map(o), "rule"))) {
                current = Json.map(o);
            }
        }
        if (a.bool("delete", false)) {
            if (current == null) {
                return new Plan(id, null, "Nothing: there is no HA rule " + id + ".");
            }
            return new Plan(id, new Preview.Request("DELETE", "/cluster/ha/rules/" + id, Map.of("rule", id)),
                    "Delete HA rule " + id + " (" + current.get("type") + " of " + current.get("resources") + ").");
        }
        String type = current != null ? Json.string(current, "type") : a.string("type", null);
        if (type == null) {
            throw ToolException.invalidArgument("type", "there is no HA rule " + id + "; say which type to create: "
                    + "node-affinity (with nodes) or resource-affinity (with affinity)");
        }
        if (current != null && a.has("type") && !a.string("type").equals(type)) {
            throw ToolException.invalidArgument("type", "rule " + id + " is a " + type + " rule; its type cannot "
                    + "change");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        List<String> said = new ArrayList<>();
        if (a.has("vmids")) {
            List<String> sids = new ArrayList<>();
            Map<String, Object> resources = new LinkedHashMap<>();
            for (Object o : Json.list(Futures.join(pve.get("/cluster/ha/resources", Map.of())))) {
                resources.put(Json.string(Json.map(o), "sid"), o);
            }
            for (Object v : Json.list(a.asMap().get("vmids"))) {
                GuestRef g = Futures.join(Guests.locate(pve, ((Number) v).intValue(), null, null));
                String sid = Ha.sid(g);
                if (!resources.containsKey(sid)) {
                    throw ToolException.invalidArgument("vmids", g.kind() + " " + g.vmid() + (g.name() == null ? ""
                            : " (" + g.name() + ")") + " is not under HA; put it under HA with proxmox_ha_set first");
                }
                sids.add(sid);
            }
            params.put("resources", String.join(",", sids));
            said.add("guests " + String.join(", ", sids));
        } else if (current == null) {
            throw ToolException.invalidArgument("vmids", "a new rule needs the guests it is about");
        }
        if (a.has("nodes")) {
            params.put("nodes", String.join(",", a.strings("nodes")));
            said.add("nodes " + String.join(", ", a.strings("nodes")));
        }
        for (String k : List.of("affinity", "comment")) {
            if (a.has(k)) {
                params.put(k, a.string(k));
                said.add(k.equals("affinity") ? ("negative".equals(a.string(k)) ? "kept apart" : "kept together")
                        : "comment " + a.string(k));
            }
        }
        for (String k : List.of("strict", "disable")) {
            if (a.has(k)) {
                params.put(k, a.bool(k, false) ? 1 : 0);
                said.add(k.equals("strict") ? (a.bool(k, false) ? "strict (never other nodes)" : "not strict")
                        : (a.bool(k, false) ? "disabled" : "enabled"));
            }
        }
        if (current != null) {
            Map<String, Object> was = current;
            params.entrySet().removeIf(e -> String.valueOf(e.getValue()).equals(String.valueOf(was.get(e.getKey()))));
            if (params.isEmpty()) {
                return new Plan(id, null, "Nothing: HA rule " + id + " is like that already.");
            }
        }
        params.put("rule", id);
        params.put("type", type);
        return new Plan(id, new Preview.Request(current == null ? "POST" : "PUT", current == null ? "/cluster/ha/rules"
                : "/cluster/ha/rules/" + id, params), (current == null ? "Create " : "Change ") + type + " rule "
                + id + ": " + String.join(", ", said) + ". The HA manager may move guests to satisfy it.");
    }
}
