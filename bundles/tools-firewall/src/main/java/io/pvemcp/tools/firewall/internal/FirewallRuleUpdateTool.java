package io.pvemcp.tools.firewall.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Arguments;
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

/**
 * {@code proxmox_firewall_rule_update}: changes a rule (the fields given; {@code unset} removes some) and/or moves it
 * to another position. The result is held to the same lock-out check as a new rule. Changing what a rule of the
 * cluster's or a node's firewall matches, switching it off or moving it is a destroy-class call (it can take the
 * management interface away); a comment, or a guest's or security group's rule, is a change.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_firewall_rule_update", title = "Change or move a firewall rule", risk = Risk.DESTROY,
        category = "firewall", scope = Scopes.WRITE, idempotent = true,
        description = "Changes a firewall rule (fields given; unset removes some) or moves it (moveto); refuses a "
                + "result that locks out 8006 or SSH.")
public final class FirewallRuleUpdateTool implements Tool {

    private static final List<String> FIELDS = List.of("type", "action", "macro", "proto", "dport", "sport", "source",
            "dest", "iface", "comment");
    private static final List<String> MATCHING = List.of("type", "action", "macro", "proto", "dport", "sport",
            "source", "dest", "iface", "enable", "moveto", "unset");

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("vmid", Firewall.vmid())
            .optional("node", Firewall.node())
            .optional("group", Firewall.group())
            .required("pos", JsonSchema.integer().minimum(0).maximum(9999))
            .optional("moveto", JsonSchema.integer().minimum(0).maximum(9999).description("New position"))
            .optional("type", JsonSchema.string().enumValues("in", "out", "group"))
            .optional("action", JsonSchema.string().pattern("^(ACCEPT|DROP|REJECT|[A-Za-z][A-Za-z0-9_-]{1,17})$"))
            .optional("macro", JsonSchema.string().pattern("^[A-Za-z][A-Za-z0-9-]{0,31}$"))
            .optional("proto", JsonSchema.string().pattern("^[a-z0-9-]{1,16}$"))
            .optional("dport", JsonSchema.string().pattern("^[a-zA-Z0-9:,-]{1,128}$"))
            .optional("sport", JsonSchema.string().pattern("^[a-zA-Z0-9:,-]{1,128}$"))
            .optional("source", JsonSchema.string().pattern("^[0-9A-Za-z.:/,+_-]{1,256}$"))
            .optional("dest", JsonSchema.string().pattern("^[0-9A-Za-z.:/,+_-]{1,256}$"))
            .optional("iface", JsonSchema.string().pattern("^net\\d{1,2}$"))
            .optional("comment", JsonSchema.string().maxLength(256))
            .optional("enable", JsonSchema.bool())
            .optional("unset", JsonSchema.array(JsonSchema.string().enumValues("macro", "proto", "dport", "sport",
                    "source", "dest", "iface", "comment")).maxItems(8))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("firewall", JsonSchema.string())
            .required("pos", JsonSchema.integer())
            .required("applies", JsonSchema.string())
            .build();

    private record Plan(Firewall.Scope scope, int pos, Map<String, Object> before, Map<String, Object> after,
            Map<String, Object> change, Integer moveto, String summary) {
    }

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    /** Destroy on a host firewall (the cluster's or a node's) when what the rule matches, or its place, changes. */
    @Override
    public Risk risk(Arguments arguments) {
        boolean host = !arguments.has("vmid") && !arguments.has("group");
        return host && MATCHING.stream().anyMatch(arguments::has) ? Risk.DESTROY : Risk.CHANGE;
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        List<Preview.Request> requests = new ArrayList<>();
        if (p.change() != null) {
            requests.add(new Preview.Request("PUT", p.scope().rules() + "/" + p.pos(), p.change()));
        }
        if (p.moveto() != null) {
            Map<String, Object> move = new LinkedHashMap<>(p.scope().params());
            move.put("pos", p.pos());
            move.put("moveto", p.moveto());
            requests.add(new Preview.Request("PUT", p.scope().rules() + "/" + p.pos(), move));
        }
        return new Preview(p.summary(), p.scope().targets(call.proxmox()), requests, null, true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        if (p.change() != null) {
            Futures.join(call.proxmox().put(p.scope().rules() + "/{pos}", p.change()));
        }
        int at = p.pos();
        if (p.moveto() != null) {
            Map<String, Object> move = new LinkedHashMap<>(p.scope().params());
            move.put("pos", p.pos());
            move.put("moveto", p.moveto());
            Futures.join(call.proxmox().put(p.scope().rules() + "/{pos}", move));
            int count = Firewall.rules(call.proxmox(), p.scope()).size();
            at = p.moveto() > p.pos() ? Math.min(p.moveto() - 1, count - 1) : p.moveto();
        }
        int pos = at;
        Map<String, Object> stored = Firewall.rules(call.proxmox(), p.scope()).stream()
                .filter(r -> ((Number) r.get("pos")).intValue() == pos).findFirst().orElse(p.after());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("firewall", p.scope().name());
        out.put("pos", pos);
        out.put("applies", Firewall.describe(stored));
        return ToolResult.of(p.change() == null && p.moveto() == null ? p.summary() : "Done: " + p.summary()
                + " Now at position " + pos + ": " + out.get("applies") + ".", out);
    }

    private static Plan plan(ToolCall call) {
        Arguments a = call.arguments();
        Firewall.Scope scope = Firewall.scope(call.proxmox(), a);
        int pos = (int) a.integer("pos");
        List<Map<String, Object>> rules = Firewall.rules(call.proxmox(), scope);
        Map<String, Object> before = rules.stream().filter(r -> ((Number) r.get("pos")).intValue() == pos).findFirst()
                .orElseThrow(() -> ToolException.invalidArgument("pos", scope.name() + " has " + (rules.isEmpty()
                        ? "no rules" : "rules 0 to " + (rules.size() - 1)) + "; proxmox_firewall_rules lists them"));
        Map<String, Object> after = new LinkedHashMap<>(before);
        after.remove("applies");
        Map<String, Object> change = new LinkedHashMap<>();
        for (String k : FIELDS) {
            if (a.has(k) && !a.string(k).equals(String.valueOf(before.get(k)))) {
                change.put(k, a.string(k));
                after.put(k, a.string(k));
            }
        }
        if (a.has("enable")) {
            int v = a.bool("enable", true) ? 1 : 0;
            if (!(before.get("enable") instanceof Number n && n.intValue() == v)) {
                change.put("enable", v);
                after.put("enable", v);
            }
        }
        List<String> unset = new ArrayList<>();
        for (String k : a.has("unset") ? a.strings("unset") : List.<String>of()) {
            if (before.get(k) != null) {
                unset.add(k);
                after.remove(k);
            }
        }
        if (after.get("dport") != null && after.get("proto") == null && after.get("macro") == null) {
            throw ToolException.invalidArgument("proto", "dport needs a protocol (tcp or udp) or a macro");
        }
        String lockout = Firewall.lockout(scope, after, Firewall.apiPort(call.proxmox()));
        if (lockout != null) {
            throw new ToolException(lockout);
        }
        Integer moveto = a.has("moveto") && a.integer("moveto") != pos ? (int) Math.min(a.integer("moveto"),
                rules.size()) : null;
        List<String> said = new ArrayList<>();
        Map<String, Object> params = null;
        if (!change.isEmpty() || !unset.isEmpty()) {
            params = new LinkedHashMap<>(scope.params());
            params.put("pos", pos);
            params.putAll(change);
            if (!unset.isEmpty()) {
                params.put("delete", String.join(",", unset));
            }
            said.add("change rule " + pos + " of " + scope.name() + ": " + Firewall.describe(before) + " → "
                    + Firewall.describe(after) + (a.has("comment") ? " (" + a.string("comment") + ")" : ""));
        }
        if (moveto != null) {
            said.add("move rule " + pos + " of " + scope.name() + " to position " + moveto + " (Proxmox evaluates "
                    + "rules in order)");
        }
        if (said.isEmpty()) {
            return new Plan(scope, pos, before, after, null, null, "Nothing: rule " + pos + " of " + scope.name()
                    + " is like that already.");
        }
        String management = Firewall.management(scope, before, Firewall.apiPort(call.proxmox()));
        String summary = Character.toUpperCase(said.get(0).charAt(0)) + String.join("; then ", said).substring(1)
                + "." + (management != null && Firewall.management(scope, after, Firewall.apiPort(call.proxmox()))
                == null ? " " + management : "");
        return new Plan(scope, pos, before, after, params, moveto, summary);
    }
}
