package io.pvemcp.tools.access.internal;

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
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox_token_set}: creates an API token of a user, or changes one. A new token's secret is in this answer
 * only: Proxmox keeps a hash of it, the audit log stores arguments (which never hold it), and nothing else repeats it.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_token_set", title = "Create or change an API token", risk = Risk.CHANGE,
        category = "access", scope = Scopes.ADMIN, idempotent = true,
        description = "Creates a user's API token (its secret is shown once, in this answer) or changes one.")
public final class TokenSetTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("userid", Accounts.userid())
            .required("token", JsonSchema.string().pattern("^[A-Za-z][A-Za-z0-9.\\-_]+$").maxLength(64)
                    .description("Token name, e.g. ci"))
            .optional("privsep", JsonSchema.bool().description("Own ACLs (default) or false: the user's rights"))
            .optional("expire", Accounts.expire())
            .optional("comment", JsonSchema.string().maxLength(2048))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("tokenid", JsonSchema.string())
            .required("created", JsonSchema.bool())
            .optional("secret", JsonSchema.string())
            .required("privsep", JsonSchema.bool())
            .required("expire", JsonSchema.string())
            .build();

    private record Plan(String tokenid, Map<String, Object> current, Map<String, Object> params, List<String> changes) {
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
        return new Preview(summary(p, false), p.current() == null ? List.of() : List.of(Accounts.target("token",
                p.tokenid())), p.params() == null ? List.of() : List.of(new Preview.Request(p.current() == null ? "POST"
                : "PUT", "/access/users/" + call.arguments().string("userid") + "/token/"
                + call.arguments().string("token"), p.params())), p.current() == null ? "The token's secret is shown "
                + "once, in the answer." : null, true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        ProxmoxClient pve = call.proxmox();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("userid", call.arguments().string("userid"));
        params.put("tokenid", call.arguments().string("token"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tokenid", p.tokenid());
        out.put("created", p.current() == null);
        Map<String, Object> now = p.current();
        if (p.params() != null) {
            params.putAll(p.params());
            Object answer = Futures.join(pve.request(p.current() == null ? "POST" : "PUT",
                    "/access/users/{userid}/token/{tokenid}", params));
            if (p.current() == null) {
                Map<String, Object> created = Json.map(answer);
                out.put("secret", Json.string(created, "value"));
                now = Json.map(created.getOrDefault("info", Map.of()));
            } else {
                now = Json.map(answer);
            }
        }
        boolean privsep = Json.bool(now, "privsep", true);
        out.put("privsep", privsep);
        out.put("expire", Accounts.date(now.get("expire")));
        StringBuilder text = new StringBuilder(summary(p, true));
        if (out.containsKey("secret")) {
            text.append("\nSecret (shown this once; Proxmox keeps only a hash, so store it now): ")
                    .append(out.get("secret")).append("\nUse it as PVEAPIToken=").append(p.tokenid()).append("=<secret>.");
            text.append(privsep ? " It has no rights of its own yet: grant them with proxmox_acl_set (token "
                    + p.tokenid() + "); they are capped by the user's." : " It has the rights of "
                    + call.arguments().string("userid") + ".");
        }
        return ToolResult.of(text.toString(), out);
    }

    private static String summary(Plan p, boolean done) {
        if (p.params() == null) {
            return "Nothing: token " + p.tokenid() + " has these settings already.";
        }
        return (p.current() == null ? (done ? "Created" : "Create") + " API token " + p.tokenid()
                : (done ? "Changed" : "Change") + " API token " + p.tokenid() + ":") + (p.changes().isEmpty() ? ""
                : (p.current() == null ? " with " : " ") + String.join(", ", p.changes())) + ".";
    }

    private static Plan plan(ToolCall call) {
        ProxmoxClient pve = call.proxmox();
        Arguments a = call.arguments();
        String userid = a.string("userid");
        String name = a.string("token");
        Map<String, Object> current = null;
        for (Object o : Json.list(Accounts.requireUser(pve, userid).getOrDefault("tokens", List.of()))) {
            Map<String, Object> t = Json.map(o);
            if (name.equals(Json.string(t, "tokenid"))) {
                current = t;
            }
        }
        String tokenid = userid + "!" + name;
        Map<String, Object> params = new LinkedHashMap<>();
        List<String> changes = new ArrayList<>();
        if (a.has("privsep")) {
            boolean v = a.bool("privsep", true);
            if (current == null || Json.bool(current, "privsep", true) != v) {
                params.put("privsep", v ? 1 : 0);
                changes.add(v ? "its own permissions (privilege separation)" : "the user's permissions");
            }
        }
        if (a.has("expire")) {
            long v = Accounts.epoch(a.string("expire"));
            if (current == null || Json.longValue(current, "expire", 0) != v) {
                params.put("expire", v);
                changes.add("expiring " + a.string("expire"));
            }
        }
        if (a.has("comment")) {
            String v = a.string("comment");
            if (current == null || !v.equals(current.get("comment") == null ? "" : current.get("comment").toString())) {
                params.put("comment", v);
                changes.add("comment " + v);
            }
        }
        if (current != null && params.isEmpty()) {
            return new Plan(tokenid, current, null, List.of());
        }
        if (current != null && (params.containsKey("privsep") || params.containsKey("expire"))) {
            Accounts.notSelf(pve, "changing the permissions or expiry of token " + tokenid, List.of(tokenid));
        }
        return new Plan(tokenid, current, params, changes);
    }
}
