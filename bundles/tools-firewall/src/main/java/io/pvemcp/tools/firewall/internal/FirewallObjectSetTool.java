package io.pvemcp.tools.firewall.internal;

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
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox_firewall_object_set}: creates or changes an alias, an IP set (entries added and removed) or a
 * security group, or deletes one. Deleting, and removing entries from an IP set, are destroy-class: rules that use
 * them match less from then on.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_firewall_object_set", title = "Set an alias, IP set or group", risk = Risk.DESTROY,
        category = "firewall", scope = Scopes.WRITE, idempotent = true,
        description = "Creates or changes a firewall alias (cidr), IP set (add/remove entries) or security group; "
                + "or deletes one.")
public final class FirewallObjectSetTool implements Tool {

    private static final String CIDR = "^[0-9a-fA-F.:]{2,39}(/\\d{1,3})?$";

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("kind", JsonSchema.string().enumValues("alias", "ipset", "group"))
            .required("name", JsonSchema.string().pattern("^[A-Za-z][A-Za-z0-9_-]{1,63}$"))
            .optional("vmid", Firewall.vmid().description("A guest's alias or IP set"))
            .optional("cidr", JsonSchema.string().pattern(CIDR).description("Alias: address or network"))
            .optional("add", JsonSchema.array(JsonSchema.string().pattern("^!?[0-9A-Za-z.:/_-]{2,64}$")).maxItems(64)
                    .description("IP set entries; !x excludes x"))
            .optional("remove", JsonSchema.array(JsonSchema.string().pattern("^[0-9A-Za-z.:/_-]{2,64}$")).maxItems(64))
            .optional("comment", JsonSchema.string().maxLength(256))
            .optional("delete", JsonSchema.bool())
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("kind", JsonSchema.string())
            .required("name", JsonSchema.string())
            .required("exists", JsonSchema.bool())
            .build();

    private record Plan(String kind, String name, List<Preview.Request> requests, String summary) {
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
    public Risk risk(Arguments arguments) {
        return arguments.bool("delete", false) || arguments.has("remove") ? Risk.DESTROY : Risk.CHANGE;
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        return new Preview(p.summary(), List.of(), p.requests(), null, !call.arguments().bool("delete", false), false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        for (Preview.Request r : p.requests()) {
            Futures.join(call.proxmox().request(r.method(), r.path(), r.params()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", p.kind());
        out.put("name", p.name());
        out.put("exists", !call.arguments().bool("delete", false));
        return ToolResult.of(p.requests().isEmpty() ? p.summary() : "Done: " + p.summary(), out);
    }

    private static Plan plan(ToolCall call) {
        ProxmoxClient pve = call.proxmox().uncached();
        Arguments a = call.arguments();
        String kind = a.string("kind");
        String name = a.string("name");
        if (kind.equals("group") && a.has("vmid")) {
            throw ToolException.invalidArgument("vmid", "security groups belong to the cluster; leave vmid out");
        }
        if (!kind.equals("alias") && a.has("cidr")) {
            throw ToolException.invalidArgument("cidr", "cidr is an alias's; an IP set takes add and remove");
        }
        if (!kind.equals("ipset") && (a.has("add") || a.has("remove"))) {
            throw ToolException.invalidArgument(a.has("add") ? "add" : "remove", "entries belong to an IP set");
        }
        Firewall.Scope scope = Firewall.scope(call.proxmox(), new Arguments(a.has("vmid") ? Map.of("vmid",
                a.asMap().get("vmid")) : Map.of()));
        return switch (kind) {
            case "alias" -> alias(pve, a, scope, name);
            case "ipset" -> ipset(pve, a, scope, name);
            default -> group(pve, a, name);
        };
    }

    private static Map<String, Object> params(Firewall.Scope scope, Object... kv) {
        Map<String, Object> p = new LinkedHashMap<>(scope.params());
        for (int i = 0; i + 1 < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                p.put(String.valueOf(kv[i]), kv[i + 1]);
            }
        }
        return p;
    }

    private static String path(Firewall.Scope scope, String rest) {
        return scope.base() + rest;
    }

    private static Plan alias(ProxmoxClient pve, Arguments a, Firewall.Scope scope, String name) {
        Map<String, Object> current = null;
        for (Object o : Json.list(Futures.join(pve.get(scope.base() + "/aliases", scope.params())))) {
            if (name.equals(Json.string(Json.map(o), "name"))) {
                current = Json.map(o);
            }
        }
        String comment = a.string("comment", null);
        if (a.bool("delete", false)) {
            if (current == null) {
                return new Plan("alias", name, List.of(), "Nothing: " + scope.name() + " has no alias " + name + ".");
            }
            return new Plan("alias", name, List.of(new Preview.Request("DELETE", path(scope, "/aliases/{name}"),
                    params(scope, "name", name))), "Delete alias " + name + " (" + current.get("cidr") + ") of "
                    + scope.name() + "; rules that name it no longer match it.");
        }
        if (current == null) {
            if (!a.has("cidr")) {
                throw ToolException.invalidArgument("cidr", "a new alias needs its address or network");
            }
            return new Plan("alias", name, List.of(new Preview.Request("POST", path(scope, "/aliases"), params(scope,
                    "name", name, "cidr", a.string("cidr"), "comment", comment))), "Create alias " + name + " = "
                    + a.string("cidr") + " in " + scope.name() + ".");
        }
        String cidr = a.string("cidr", Json.string(current, "cidr"));
        boolean same = cidr.equals(current.get("cidr")) && (comment == null || comment.equals(current.get("comment")));
        if (same) {
            return new Plan("alias", name, List.of(), "Nothing: alias " + name + " is like that already.");
        }
        return new Plan("alias", name, List.of(new Preview.Request("PUT", path(scope, "/aliases/{name}"),
                params(scope, "name", name, "cidr", cidr, "comment", comment))), "Change alias " + name + " of "
                + scope.name() + (cidr.equals(current.get("cidr")) ? ": comment " + comment : ": " + current.get("cidr")
                + " → " + cidr + "; every rule that names it matches the new address from then on") + ".");
    }

    private static Plan ipset(ProxmoxClient pve, Arguments a, Firewall.Scope scope, String name) {
        boolean exists = false;
        for (Object o : Json.list(Futures.join(pve.get(scope.base() + "/ipset", scope.params())))) {
            exists |= name.equals(Json.string(Json.map(o), "name"));
        }
        List<String> entries = new ArrayList<>();
        if (exists) {
            for (Object o : Json.list(Futures.join(pve.get(scope.base() + "/ipset/{name}", params(scope, "name",
                    name))))) {
                entries.add(Json.string(Json.map(o), "cidr"));
            }
        }
        List<Preview.Request> requests = new ArrayList<>();
        if (a.bool("delete", false)) {
            if (!exists) {
                return new Plan("ipset", name, List.of(), "Nothing: " + scope.name() + " has no IP set " + name + ".");
            }
            requests.add(new Preview.Request("DELETE", path(scope, "/ipset/{name}"), params(scope, "name", name,
                    "force", entries.isEmpty() ? null : 1)));
            return new Plan("ipset", name, requests, "Delete IP set " + name + " of " + scope.name() + " with its "
                    + entries.size() + " entries (" + String.join(", ", entries) + "); rules that use +" + name
                    + " no longer match them.");
        }
        List<String> said = new ArrayList<>();
        if (!exists) {
            requests.add(new Preview.Request("POST", path(scope, "/ipset"), params(scope, "name", name, "comment",
                    a.string("comment", null))));
            said.add("create IP set " + name + " in " + scope.name());
        }
        List<String> added = new ArrayList<>();
        for (String e : a.has("add") ? a.strings("add") : List.<String>of()) {
            String cidr = e.startsWith("!") ? e.substring(1) : e;
            if (!entries.contains(cidr)) {
                requests.add(new Preview.Request("POST", path(scope, "/ipset/{name}"), params(scope, "name", name,
                        "cidr", cidr, "nomatch", e.startsWith("!") ? 1 : null)));
                added.add(e);
            }
        }
        List<String> removed = new ArrayList<>();
        for (String cidr : a.has("remove") ? a.strings("remove") : List.<String>of()) {
            if (entries.contains(cidr)) {
                requests.add(new Preview.Request("DELETE", path(scope, "/ipset/{name}/{cidr}"), params(scope,
                        "name", name, "cidr", cidr)));
                removed.add(cidr);
            }
        }
        if (!added.isEmpty()) {
            said.add("add " + String.join(", ", added) + (exists ? " to IP set " + name : ""));
        }
        if (!removed.isEmpty()) {
            said.add("remove " + String.join(", ", removed) + " from IP set " + name + " (rules using +" + name
                    + " no longer match them)");
        }
        if (requests.isEmpty()) {
            return new Plan("ipset", name, List.of(), "Nothing: IP set " + name + " is like that already.");
        }
        return new Plan("ipset", name, requests, Character.toUpperCase(said.get(0).charAt(0))
                + String.join("; ", said).substring(1) + ".");
    }

    private static Plan group(ProxmoxClient pve, Arguments a, String name) {
        Map<String, String> groups = Firewall.groups(pve);
        String comment = a.string("comment", null);
        if (a.bool("delete", false)) {
            if (!groups.containsKey(name)) {
                return new Plan("group", name, List.of(), "Nothing: there is no security group " + name + ".");
            }
            Firewall.Scope scope = Firewall.groupScope(name);
            int rules = Firewall.rules(pve, scope).size();
            if (rules > 0) {
                throw new ToolException("Security group " + name + " still has " + rules + " rules; Proxmox deletes "
                        + "empty groups only. Delete its rules (proxmox_firewall_rule_delete with group) first.");
            }
            List<String> users = new ArrayList<>();
            for (Map<String, Object> r : Firewall.rules(pve, Firewall.scope(pve, new Arguments(Map.of())))) {
                if ("group".equals(r.get("type")) && name.equals(r.get("action"))) {
                    users.add("rule " + r.get("pos") + " of the cluster firewall");
                }
            }
            if (!users.isEmpty()) {
                throw new ToolException("Security group " + name + " is used by " + String.join(", ", users)
                        + "; delete or change those rules first.");
            }
            return new Plan("group", name, List.of(new Preview.Request("DELETE", "/cluster/firewall/groups/{group}",
                    Map.of("group", name))), "Delete the empty security group " + name + ".");
        }
        if (!groups.containsKey(name)) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("group", name);
            if (comment != null) {
                p.put("comment", comment);
            }
            return new Plan("group", name, List.of(new Preview.Request("POST", "/cluster/firewall/groups", p)),
                    "Create security group " + name + "; add its rules with proxmox_firewall_rule_add (group " + name
                    + ") and use it in a rule of type group.");
        }
        if (comment == null || comment.equals(groups.get(name))) {
            return new Plan("group", name, List.of(), "Nothing: security group " + name + " is like that already.");
        }
        return new Plan("group", name, List.of(new Preview.Request("POST", "/cluster/firewall/groups", Map.of("group",
                name, "rename", name, "comment", comment))), "Set the comment of security group " + name + ".");
    }
}
