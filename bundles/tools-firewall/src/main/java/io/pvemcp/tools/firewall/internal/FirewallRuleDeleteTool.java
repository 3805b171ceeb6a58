package io.pvemcp.tools.firewall.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** {@code proxmox_firewall_rule_delete}: deletes one rule by its position, after the person saw which. */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_firewall_rule_delete", title = "Delete a firewall rule", risk = Risk.DESTROY,
        category = "firewall", scope = Scopes.DESTROY,
        description = "Deletes a firewall rule of the cluster, a node, a guest or a security group by its position "
                + "(see proxmox_firewall_rules).")
public final class FirewallRuleDeleteTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("vmid", Firewall.vmid())
            .optional("node", Firewall.node())
            .optional("group", Firewall.group())
            .required("pos", JsonSchema.integer().minimum(0).maximum(9999))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("firewall", JsonSchema.string())
            .required("deleted", JsonSchema.string().description("The rule, as it applied"))
            .build();

    private record Plan(Firewall.Scope scope, Map<String, Object> rule, int pos) {
    }

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        Map<String, Object> params = new LinkedHashMap<>(p.scope().params());
        params.put("pos", p.pos());
        String management = Firewall.management(p.scope(), p.rule(), Firewall.apiPort(call.proxmox()));
        return new Preview("Delete rule " + p.pos() + " of " + p.scope().name() + ": " + p.rule().get("applies")
                + (p.rule().get("comment") == null ? "" : " (" + p.rule().get("comment") + ")") + "."
                + (management == null ? "" : " " + management),
                p.scope().targets(call.proxmox()), List.of(new Preview.Request("DELETE", p.scope().rules()
                        .replace("{group}", String.valueOf(p.scope().params().getOrDefault("group", ""))) + "/" + p.pos(), params)), "The rules after it move up by one.", false, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        Map<String, Object> params = new LinkedHashMap<>(p.scope().params());
        params.put("pos", p.pos());
        Futures.join(call.proxmox().delete(p.scope().rules() + "/{pos}", params));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("firewall", p.scope().name());
        out.put("deleted", p.rule().get("applies"));
        return ToolResult.of("Deleted rule " + p.pos() + " of " + p.scope().name() + ": " + p.rule().get("applies")
                + ". The rules after it moved up by one.", out);
    }

    private static Plan plan(ToolCall call) {
        Firewall.Scope scope = Firewall.scope(call.proxmox(), call.arguments());
        int pos = (int) call.arguments().integer("pos");
        List<Map<String, Object>> rules = Firewall.rules(call.proxmox(), scope);
        Map<String, Object> rule = rules.stream().filter(r -> ((Number) r.get("pos")).intValue() == pos).findFirst()
                .orElseThrow(() -> ToolException.invalidArgument("pos", scope.name() + " has " + (rules.isEmpty()
                        ? "no rules" : "rules 0 to " + (rules.size() - 1)) + "; proxmox_firewall_rules lists them"));
        return new Plan(scope, rule, pos);
    }
}
