package io.pvemcp.tools.firewall.internal;

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

/**
 * {@code proxmox_firewall_objects}: what rules refer to by name: aliases (a name for an address or network), IP sets
 * (named lists, used as {@code +name}) and, for the cluster, security groups with their rules.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_firewall_objects", title = "Firewall aliases, IP sets, groups", risk = Risk.READ,
        category = "firewall", idempotent = true,
        description = "Firewall aliases, IP sets with their entries, and security groups with their rules; of the "
                + "cluster or a guest (vmid).")
public final class FirewallObjectsTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("vmid", Firewall.vmid())
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("firewall", JsonSchema.string())
            .required("aliases", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
            .required("ipsets", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
            .optional("groups", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
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
        ProxmoxClient pve = call.proxmox().uncached();
        Firewall.Scope scope = Firewall.scope(call.proxmox(), call.arguments());
        List<Map<String, Object>> aliases = new ArrayList<>();
        StringBuilder text = new StringBuilder(Character.toUpperCase(scope.name().charAt(0))
                + scope.name().substring(1)).append(":\nAliases:");
        for (Object o : Json.list(Futures.join(pve.get(scope.base() + "/aliases", scope.params())))) {
            Map<String, Object> a = Json.map(o);
            aliases.add(pick(a, "name", "cidr", "comment"));
            text.append("\n- ").append(a.get("name")).append(" = ").append(a.get("cidr"))
                    .append(a.get("comment") == null ? "" : " (" + a.get("comment") + ")");
        }
        List<Map<String, Object>> ipsets = new ArrayList<>();
        text.append("\nIP sets (use as +name):");
        for (Object o : Json.list(Futures.join(pve.get(scope.base() + "/ipset", scope.params())))) {
            Map<String, Object> s = pick(Json.map(o), "name", "comment");
            Map<String, Object> p = new LinkedHashMap<>(scope.params());
            p.put("name", s.get("name"));
            List<String> entries = new ArrayList<>();
            for (Object e : Json.list(Futures.join(pve.get(scope.base() + "/ipset/{name}", p)))) {
                Map<String, Object> entry = Json.map(e);
                entries.add((Json.bool(entry, "nomatch", false) ? "!" : "") + entry.get("cidr"));
            }
            s.put("entries", entries);
            ipsets.add(s);
            text.append("\n- ").append(s.get("name")).append(": ").append(entries.isEmpty() ? "empty"
                    : String.join(", ", entries));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("firewall", scope.name());
        out.put("aliases", aliases);
        out.put("ipsets", ipsets);
        if (scope.guest() == null) {
            List<Map<String, Object>> groups = new ArrayList<>();
            text.append("\nSecurity groups (use in a rule of type group):");
            for (var g : Firewall.groups(pve).entrySet()) {
                Firewall.Scope group = Firewall.groupScope(g.getKey());
                List<String> rules = new ArrayList<>();
                for (Map<String, Object> r : Firewall.rules(pve, group)) {
                    rules.add(String.valueOf(r.get("applies")));
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("group", g.getKey());
                if (!g.getValue().isEmpty()) {
                    m.put("comment", g.getValue());
                }
                m.put("rules", rules);
                groups.add(m);
                text.append("\n- ").append(g.getKey()).append(": ").append(rules.isEmpty() ? "no rules"
                        : String.join("; ", rules));
            }
            out.put("groups", groups);
        }
        return ToolResult.of(text.toString(), out);
    }

    private static Map<String, Object> pick(Map<String, Object> from, String... keys) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : keys) {
            if (from.get(k) != null) {
                m.put(k, from.get(k));
            }
        }
        return m;
    }
}
