package io.pvemcp.tools.network.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** {@code proxmox_sdn_list}: the cluster's software-defined network, zones and their VNets (read-only). */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_sdn_list", title = "SDN zones and VNets", risk = Risk.READ, category = "network",
        scope = Scopes.ADMIN, idempotent = true,
        description = "The cluster's SDN zones (type, bridge, nodes) and their VNets (tag, alias).")
public final class SdnListTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object().build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("zones", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
            .build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    @Override
    public ToolResult call(ToolCall call) {
        ProxmoxClient pve = call.proxmox();
        Map<String, List<Map<String, Object>>> vnets = new LinkedHashMap<>();
        for (Object o : Json.list(Futures.join(pve.get("/cluster/sdn/vnets", Map.of())))) {
            Map<String, Object> v = Json.map(o);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vnet", Json.string(v, "vnet"));
            for (String k : List.of("tag", "alias", "vlanaware", "state")) {
                if (v.get(k) != null) {
                    m.put(k, v.get(k));
                }
            }
            vnets.computeIfAbsent(Json.string(v, "zone"), z -> new ArrayList<>()).add(m);
        }
        List<Map<String, Object>> zones = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Object o : Json.list(Futures.join(pve.get("/cluster/sdn/zones", Map.of())))) {
            Map<String, Object> z = Json.map(o);
            Map<String, Object> m = new LinkedHashMap<>();
            String id = Json.string(z, "zone");
            m.put("zone", id);
            for (String k : List.of("type", "bridge", "nodes", "mtu", "ipam", "dhcp", "state")) {
                if (z.get(k) != null) {
                    m.put(k, z.get(k));
                }
            }
            m.put("vnets", vnets.getOrDefault(id, List.of()));
            zones.add(m);
            text.append("\n- zone ").append(id).append(" (").append(m.get("type"))
                    .append(m.get("bridge") == null ? "" : " on " + m.get("bridge")).append("): ");
            List<String> names = new ArrayList<>();
            for (Map<String, Object> v : vnets.getOrDefault(id, List.of())) {
                names.add(v.get("vnet") + (v.get("tag") == null ? "" : " tag " + v.get("tag"))
                        + (v.get("alias") == null ? "" : " (" + v.get("alias") + ")"));
            }
            text.append(names.isEmpty() ? "no VNets" : String.join(", ", names));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("zones", zones);
        return ToolResult.of(zones.isEmpty() ? "No SDN zones are configured." : "SDN:" + text, out);
    }
}
