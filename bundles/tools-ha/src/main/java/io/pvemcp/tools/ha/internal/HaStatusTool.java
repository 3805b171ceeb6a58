package io.pvemcp.tools.ha.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** {@code proxmox_ha_status}: the HA stack as the manager sees it, with each resource's requested and actual state. */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ha_status", title = "HA status", risk = Risk.READ, category = "ha", idempotent = true,
        description = "High availability: quorum, master, each node's LRM, every HA guest with its requested and "
                + "actual state, groups and rules.")
public final class HaStatusTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object().build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("quorate", JsonSchema.bool())
            .optional("master", JsonSchema.string())
            .required("nodes", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
            .required("resources", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
            .required("groups", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
            .required("rules", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
            .build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    /** @return the HA rules; none on a node older than Proxmox VE 9, which has groups instead */
    static java.util.List<Object> rules(ProxmoxClient pve) {
        try {
            return Json.list(pve.get("/cluster/ha/rules", Map.of()).join());
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof io.pvemcp.api.pve.ProxmoxException p && p.status() == 501) {
                return java.util.List.of();
            }
            throw e;
        }
    }

    @Override
    public ToolResult call(ToolCall call) {
        ProxmoxClient pve = call.proxmox();
        boolean quorate = false;
        String master = null;
        List<Map<String, Object>> nodes = new ArrayList<>();
        Map<String, String> actual = new LinkedHashMap<>();
        Map<String, String> where = new LinkedHashMap<>();
        for (Object o : Json.list(Futures.join(pve.get("/cluster/ha/status/current", Map.of())))) {
            Map<String, Object> s = Json.map(o);
            switch (Json.string(s, "type")) {
                case "quorum" -> quorate = Json.bool(s, "quorate", false);
                case "master" -> master = Json.string(s, "node");
                case "lrm" -> nodes.add(Map.of("node", Json.string(s, "node"), "status", Json.string(s, "status")));
                case "service" -> {
                    actual.put(Json.string(s, "sid"), Json.string(s, "state"));
                    where.put(Json.string(s, "sid"), Json.string(s, "node"));
                }
                default -> {
                }
            }
        }
        Map<Long, String> names = Ha.names(pve);
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Object o : Json.list(Futures.join(pve.get("/cluster/ha/resources", Map.of())))) {
            Map<String, Object> r = Json.map(o);
            String sid = Json.string(r, "sid");
            long vmid = Long.parseLong(sid.substring(sid.indexOf(':') + 1));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sid", sid);
            m.put("vmid", vmid);
            m.put("name", names.get(vmid));
            m.put("requested", r.get("state") == null ? "started" : Json.string(r, "state"));
            m.put("state", actual.get(sid));
            m.put("node", where.get(sid));
            for (String k : List.of("group", "max_restart", "max_relocate", "failback", "comment")) {
                if (r.get(k) != null) {
                    m.put(k, r.get(k));
                }
            }
            resources.add(m);
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Object o : Json.list(Futures.join(pve.get("/cluster/ha/groups", Map.of())))) {
            Map<String, Object> g = Json.map(o);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("group", Json.string(g, "group"));
            m.put("nodes", Json.string(g, "nodes"));
            m.put("restricted", Json.bool(g, "restricted", false));
            m.put("nofailback", Json.bool(g, "nofailback", false));
            groups.add(m);
        }
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object o : rules(pve)) {
            Map<String, Object> r = Json.map(o);
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : List.of("rule", "type", "resources", "nodes", "affinity", "strict", "disable", "comment")) {
                if (r.get(k) != null) {
                    m.put(k, k.equals("strict") || k.equals("disable") ? (Object) Json.bool(r, k, false) : r.get(k));
                }
            }
            rules.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("quorate", quorate);
        if (master != null) {
            out.put("master", master);
        }
        out.put("nodes", nodes);
        out.put("resources", resources);
        out.put("groups", groups);
        out.put("rules", rules);
        StringBuilder text = new StringBuilder("HA: ").append(quorate ? "quorate" : "NO QUORUM")
                .append(master == null ? ", no master" : ", master " + master).append(", ").append(resources.size())
                .append(resources.size() == 1 ? " guest" : " guests").append(':');
        for (Map<String, Object> r : resources) {
            text.append("\n- ").append(r.get("sid")).append(r.get("name") == null ? "" : " (" + r.get("name") + ")")
                    .append(": ").append(r.get("state")).append(" on ").append(r.get("node")).append(", requested ")
                    .append(r.get("requested")).append(r.get("group") == null ? "" : ", group " + r.get("group"));
        }
        for (Map<String, Object> r : rules) {
            text.append("\n- rule ").append(r.get("rule")).append(" (").append(r.get("type")).append(Boolean.TRUE.equals(
                    r.get("disable")) ? ", disabled" : "").append("): ").append(r.get("resources"))
                    .append(r.get("nodes") == null ? "" : " on " + r.get("nodes"))
                    .append(r.get("affinity") == null ? "" : " " + r.get("affinity") + (
                            "negative".equals(r.get("affinity")) ? ": kept apart" : ": kept together"))
                    .append(Boolean.TRUE.equals(r.get("strict")) ? ", strict" : "");
        }
        return ToolResult.of(text.toString(), out);
    }
}
