package io.pvemcp.tools.firewall.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox_firewall_rule_add}: adds a rule to the cluster's, a node's or a guest's firewall, shown as Proxmox
 * applies it; a rule that would lock the management interface out is refused with the reason.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_firewall_rule_add", title = "Add a firewall rule", risk = Risk.CHANGE,
        category = "firewall", scope = io.pvemcp.api.Scopes.WRITE,
        description = "Adds a firewall rule to the cluster, a node or a guest (first by default, or at pos); refuses "
                + "one that locks out port 8006 or SSH.")
public final class FirewallRuleAddTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("vmid", Firewall.vmid())
            .optional("node", Firewall.node())
            .optional("group", Firewall.group())
            .required("type", JsonSchema.string().enumValues("in", "out", "group"))
            .required("action", JsonSchema.string().pattern("^(ACCEPT|DROP|REJECT|[A-Za-z][A-Za-z0-9_-]{1,17})$")
                    .description("ACCEPT, DROP, REJECT; for type group the security group"))
            .optional("macro", JsonSchema.string().pattern("^[A-Za-z][A-Za-z0-9-]{0,31}$")
                    .description("e.g. HTTPS, SSH"))
            .optional("proto", JsonSchema.string().pattern("^[a-z0-9-]{1,16}$").description("e.g. tcp, udp, icmp"))
            .optional("dport", JsonSchema.string().pattern("^[a-zA-Z0-9:,-]{1,128}$").description("e.g. 443, 8000:8100"))
            .optional("sport", JsonSchema.string().pattern("^[a-zA-Z0-9:,-]{1,128}$"))
            .optional("source", JsonSchema.string().pattern("^[0-9A-Za-z.:/,+_-]{1,256}$")
                    .description("Address, CIDR, alias or +ipset; default any"))
            .optional("dest", JsonSchema.string().pattern("^[0-9A-Za-z.:/,+_-]{1,256}$"))
            .optional("iface", JsonSchema.string().pattern("^net\\d{1,2}$").description("Guests: e.g. net0"))
            .optional("comment", JsonSchema.string().maxLength(256))
            .optional("enable", JsonSchema.bool().defaultValue(true))
            .optional("pos", JsonSchema.integer().minimum(0).maximum(9999).description("Default 0: first"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("firewall", JsonSchema.string())
            .required("pos", JsonSchema.integer())
            .required("applies", JsonSchema.string())
            .build();

    private record Plan(Firewall.Scope scope, Map<String, Object> params, Map<String, Object> rule, int pos) {
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
        return new Preview("Add to " + p.scope().name() + " at position " + p.pos() + ": " + Firewall.describe(p.rule())
                + ".", p.scope().targets(call.proxmox()), List.of(new Preview.Request("POST", p.scope().rules(), p.params())), null, true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        Futures.join(call.proxmox().post(p.scope().rules(), p.params()));
        Map<String, Object> stored = Firewall.rules(call.proxmox(), p.scope()).stream()
                .filter(r -> ((Number) r.get("pos")).intValue() == p.pos()).findFirst().orElseThrow(
                        () -> new ToolException("The rule was added, but Proxmox does not list it at position " + p.pos()
                                + "; read the rules with proxmox_firewall_rules."));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("firewall", p.scope().name());
        out.put("pos", p.pos());
        out.put("applies", stored.get("applies"));
        String note = p.scope().params().containsKey("group") ? " It applies wherever a rule of type group uses "
                + p.scope().params().get("group") + "." : Integer.valueOf(1).equals(Firewall.options(call.proxmox(),
                p.scope()).get("enable")) ? "" : " That firewall is off, so the rule does nothing until it is switched on.";
        return ToolResult.of("Added to " + p.scope().name() + " at position " + p.pos() + ": " + stored.get("applies")
                + "." + note, out);
    }

    private static Plan plan(ToolCall call) {
        Firewall.Scope scope = Firewall.scope(call.proxmox(), call.arguments());
        Map<String, Object> rule = new LinkedHashMap<>();
        for (String k : List.of("type", "action", "macro", "proto", "dport", "sport", "source", "dest", "iface",
                "comment")) {
            call.arguments().optionalString(k).ifPresent(v -> rule.put(k, v));
        }
        String action = String.valueOf(rule.get("action"));
        if ("group".equals(rule.get("type"))) {
            if (scope.params().containsKey("group")) {
                throw ToolException.invalidArgument("type", "a security group cannot contain a rule of type group");
            }
            java.util.Set<String> groups = Firewall.groups(call.proxmox()).keySet();
            if (!groups.contains(action)) {
                throw ToolException.invalidArgument("action", "for type group, action is the security group; there "
                        + "is no group " + action + (groups.isEmpty() ? " (there are none)" : "; the groups are "
                        + String.join(", ", groups)));
            }
        } else if (!action.matches("ACCEPT|DROP|REJECT")) {
            throw ToolException.invalidArgument("action", "action is ACCEPT, DROP or REJECT (a security group's name "
                    + "goes with type group)");
        }
        if (rule.get("iface") != null && scope.guest() == null) {
            throw ToolException.invalidArgument("iface", "a guest's network device (net0, ...) applies to a guest's "
                    + "firewall only");
        }
        if (rule.get("dport") != null && rule.get("proto") == null && rule.get("macro") == null) {
            throw ToolException.invalidArgument("proto", "dport needs a protocol (tcp or udp)");
        }
        rule.put("enable", call.arguments().bool("enable", true) ? 1 : 0);
        String lockout = Firewall.lockout(scope, rule, Firewall.apiPort(call.proxmox()));
        if (lockout != null) {
            throw new ToolException(lockout);
        }
        int count = Firewall.rules(call.proxmox(), scope).size();
        int pos = (int) Math.min(call.arguments().integer("pos", 0), count);
        Map<String, Object> params = new LinkedHashMap<>(scope.params());
        params.putAll(rule);
        params.put("pos", pos);
        return new Plan(scope, params, rule, pos);
    }
}
