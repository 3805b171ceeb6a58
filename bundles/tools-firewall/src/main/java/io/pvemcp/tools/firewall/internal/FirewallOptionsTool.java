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
 * {@code proxmox_firewall_options}: switches a firewall on or off and sets its policies. Switching the cluster's or a
 * host's firewall on, or making its input policy DROP or REJECT, can cut the management interface off, so such a call
 * is destroy class: a person confirms it, told what reaches 8006 and SSH afterwards.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_firewall_options", title = "Firewall on, off and policies", risk = Risk.DESTROY,
        category = "firewall", scope = Scopes.WRITE,
        description = "Switches the firewall of the cluster, a node or a guest on or off and sets its input and output "
                + "policy.")
public final class FirewallOptionsTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("vmid", Firewall.vmid())
            .optional("node", Firewall.node())
            .optional("enable", JsonSchema.bool())
            .optional("policy_in", JsonSchema.string().enumValues("ACCEPT", "DROP", "REJECT"))
            .optional("policy_out", JsonSchema.string().enumValues("ACCEPT", "DROP", "REJECT"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("firewall", JsonSchema.string())
            .required("options", JsonSchema.object().additionalProperties(true))
            .build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    /** Destroy class when a host firewall (the cluster's or a node's) may start dropping what reaches it. */
    @Override
    public Risk risk(Arguments arguments) {
        boolean host = !arguments.has("vmid");
        boolean tightens = arguments.bool("enable", false) || arguments.optionalString("policy_in")
                .filter(p -> !"ACCEPT".equals(p)).isPresent();
        return host && tightens ? Risk.DESTROY : Risk.CHANGE;
    }

    @Override
    public Preview preview(ToolCall call) {
        Firewall.Scope scope = Firewall.scope(call.proxmox(), call.arguments());
        Map<String, Object> params = params(call, scope);
        Map<String, Object> now = Firewall.options(call.proxmox(), scope);
        List<String> changes = new ArrayList<>();
        for (String k : List.of("enable", "policy_in", "policy_out")) {
            if (params.containsKey(k) && !String.valueOf(params.get(k)).equals(String.valueOf(now.get(k)))) {
                changes.add(k + " " + now.getOrDefault(k, "unset") + " → " + params.get(k));
            }
        }
        if (changes.isEmpty()) {
            return new Preview("Nothing: " + scope.name() + " has these options already.", scope.targets(
                    call.proxmox()), List.of(), null, true, false);
        }
        String warning = "";
        if (scope.host() && risk(call.arguments()) == Risk.DESTROY) {
            int port = Firewall.apiPort(call.proxmox());
            String host = call.proxmox().connection() == null ? "Proxmox" : call.proxmox().connection().host();
            warning = " With the firewall on and input dropped, the web interface (8006) and SSH (22) are reached only "
                    + "from the cluster's local network and through the rules that accept them; this server talks to "
                    + host + ":" + port + " and loses its connection if it is outside them. Check the rules "
                    + "(proxmox_firewall_rules) first.";
        }
        return new Preview("Set " + String.join(", ", changes) + " on " + scope.name() + "." + warning,
                scope.targets(call.proxmox()), List.of(new Preview.Request("PUT", scope.base() + "/options", params)),
                null, true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Firewall.Scope scope = Firewall.scope(call.proxmox(), call.arguments());
        Futures.join(call.proxmox().put(scope.base() + "/options", params(call, scope)));
        Map<String, Object> options = new LinkedHashMap<>(Firewall.options(call.proxmox(), scope));
        options.remove("digest");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("firewall", scope.name());
        out.put("options", options);
        return ToolResult.of(Character.toUpperCase(scope.name().charAt(0)) + scope.name().substring(1) + " is now "
                + (Integer.valueOf(1).equals(options.get("enable")) ? "on" : "off")
                + (options.containsKey("policy_in") ? ", policy in " + options.get("policy_in") : "")
                + (options.containsKey("policy_out") ? ", out " + options.get("policy_out") : "") + ".", out);
    }

    private static Map<String, Object> params(ToolCall call, Firewall.Scope scope) {
        if (scope.base().equals("/nodes/{node}/firewall") && (call.arguments().has("policy_in")
                || call.arguments().has("policy_out"))) {
            throw ToolException.invalidArgument("policy_in", "a node's host firewall has no policies of its own: they "
                    + "are the cluster's (leave node out) or a guest's");
        }
        Map<String, Object> p = new LinkedHashMap<>(scope.params());
        if (call.arguments().has("enable")) {
            p.put("enable", call.arguments().bool("enable", false) ? 1 : 0);
        }
        call.arguments().optionalString("policy_in").ifPresent(v -> p.put("policy_in", v));
        call.arguments().optionalString("policy_out").ifPresent(v -> p.put("policy_out", v));
        if (p.size() == scope.params().size()) {
            throw ToolException.invalidArgument("enable", "name what to set: enable, policy_in or policy_out");
        }
        return p;
    }
}
