package io.pvemcp.tools.firewall.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_firewall_rules", title = "Firewall rules", risk = Risk.READ, category = "firewall",
        idempotent = true,
        description = "Firewall rules (in order, with positions, as Proxmox applies them) and options of the "
                + "cluster, a node, a guest or a group.")
public final class FirewallRulesTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("vmid", Firewall.vmid())
            .optional("node", Firewall.node())
            .optional("group", Firewall.group())
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("firewall", JsonSchema.string())
            .required("options", JsonSchema.object().additionalProperties(true))
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

    @Override
    public ToolResult call(ToolCall call) {
        Firewall.Scope scope = Firewall.scope(call.proxmox(), call.arguments());
        boolean group = scope.params().containsKey("group");
        Map<String, Object> options = group ? new LinkedHashMap<>() : new LinkedHashMap<>(Firewall.options(
                call.proxmox(), scope));
        options.remove("digest");
        List<Map<String, Object>> rules = Firewall.rules(call.proxmox(), scope);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("firewall", scope.name());
        out.put("options", options);
        out.put("rules", rules);
        StringBuilder text = new StringBuilder(Character.toUpperCase(scope.name().charAt(0)) + scope.name().substring(1))
                .append(group ? " (used by rules of type group)" : " is " + (Integer.valueOf(1).equals(
                        options.get("enable")) ? "on" : "off"))
                .append(options.containsKey("policy_in") ? ", policy in " + options.get("policy_in") : "")
                .append(options.containsKey("policy_out") ? ", out " + options.get("policy_out") : "").append("; ")
                .append(rules.size()).append(rules.size() == 1 ? " rule" : " rules").append(rules.isEmpty() ? "." : ":");
        for (Map<String, Object> r : rules) {
            text.append("\n").append(r.get("pos")).append(": ").append(r.get("applies"))
                    .append(r.get("comment") == null ? "" : " (" + r.get("comment") + ")");
        }
        return ToolResult.of(text.toString(), out);
    }
}
