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
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox_user_set}: creates a user or changes one (name, email, comment, groups, enabled, expiry). A new user
 * of the {@code pve} realm may get a password, which is never repeated in a question, an answer or the audit.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_user_set", title = "Create or change a user", risk = Risk.CHANGE, category = "access",
        scope = Scopes.ADMIN, idempotent = true,
        description = "Creates a user or changes one. A user has no rights until granted a role "
                + "(proxmox_acl_set).")
public final class UserSetTool implements Tool {

    private static final List<String> FIELDS = List.of("firstname", "lastname", "email", "comment", "enable",
            "expire", "groups");

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("userid", Accounts.userid())
            .optional("password", JsonSchema.string().minLength(8).maxLength(64).description("New @pve user only"))
            .optional("firstname", JsonSchema.string().maxLength(1024))
            .optional("lastname", JsonSchema.string().maxLength(1024))
            .optional("email", JsonSchema.string().maxLength(254).pattern("^$|^[^\\s@]+@[^\\s@]+$"))
            .optional("comment", JsonSchema.string().maxLength(2048))
            .optional("groups", JsonSchema.array(Accounts.id()).maxItems(64).description("Replaces the user's groups"))
            .optional("enable", JsonSchema.bool())
            .optional("expire", Accounts.expire())
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("userid", JsonSchema.string())
            .required("created", JsonSchema.bool())
            .required("changed", JsonSchema.array(JsonSchema.string()))
            .build();

    private record Plan(String userid, boolean create, Map<String, Object> params, List<String> changes) {

        String summary(boolean done) {
            if (params == null) {
                return "Nothing: user " + userid + " has these settings already.";
            }
            return (create ? (done ? "Created" : "Create") + " user " + userid : (done ? "Changed" : "Change")
                    + " user " + userid + ":") + (changes.isEmpty() ? "" : (create ? " with " : " ")
                    + String.join(", ", changes)) + ".";
        }
    }

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    /** Disabling a user, or giving it an expiry, locks a person (or an automation) out: a destroy-class call. */
    @Override
    public Risk risk(Arguments arguments) {
        return Boolean.FALSE.equals(arguments.asMap().get("enable")) ? Risk.DESTROY : Risk.CHANGE;
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        return new Preview(p.summary(false), p.create() ? List.of() : List.of(Accounts.target("user", p.userid())),
                p.params() == null ? List.of() : List.of(request(p)), null, true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        if (p.params() != null) {
            Preview.Request r = request(p);
            Futures.join(call.proxmox().request(r.method(), p.create() ? "/access/users" : "/access/users/{userid}",
                    r.params()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("userid", p.userid());
        out.put("created", p.create());
        out.put("changed", p.params() == null ? List.of() : p.changes());
        String text = p.summary(true) + (p.create() ? " It has no rights yet: grant a role with proxmox_acl_set."
                : "");
        return ToolResult.of(text, out);
    }

    private static Preview.Request request(Plan p) {
        return new Preview.Request(p.create() ? "POST" : "PUT", p.create() ? "/access/users"
                : "/access/users/" + p.userid(), p.params());
    }

    private static Plan plan(ToolCall call) {
        ProxmoxClient pve = call.proxmox();
        Arguments a = call.arguments();
        String userid = a.string("userid");
        Map<String, Object> current = Accounts.users(pve).get(userid);
        boolean create = current == null;
        if (a.has("password") && !create) {
            throw ToolException.invalidArgument("password", "user " + userid + " exists; this tool sets a password "
                    + "for a new user only. The user changes it in the web interface (or root, with passwd, for @pam)");
        }
        if (a.has("password") && !userid.endsWith("@pve")) {
            throw ToolException.invalidArgument("password", "only users of the pve realm have a password kept by "
                    + "Proxmox; " + userid.substring(userid.indexOf('@') + 1) + " checks passwords itself");
        }
        if (a.has("groups")) {
            List<String> known = Accounts.groupIds(pve);
            for (String g : a.strings("groups")) {
                if (!known.contains(g)) {
                    throw ToolException.invalidArgument("groups", "there is no group " + g + "; the groups are "
                            + (known.isEmpty() ? "none (create one with proxmox_group_set)" : String.join(", ", known)));
                }
            }
        }
        if (!create && Boolean.FALSE.equals(a.asMap().get("enable"))) {
            Accounts.notSelf(pve, "disabling user " + userid, List.of(userid));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        List<String> changes = new ArrayList<>();
        for (String k : FIELDS) {
            if (!a.has(k)) {
                continue;
            }
            Object v = switch (k) {
                case "enable" -> a.bool(k, true) ? 1 : 0;
                case "expire" -> Accounts.epoch(a.string(k));
                case "groups" -> String.join(",", a.strings(k));
                default -> a.string(k);
            };
            Object was = current == null ? null : switch (k) {
                case "enable" -> Json.bool(current, k, true) ? 1 : 0;
                case "expire" -> Json.longValue(current, k, 0);
                case "groups" -> String.join(",", Accounts.groups(current));
                default -> current.get(k) == null ? "" : current.get(k).toString();
            };
            if (was != null && String.valueOf(was).equals(String.valueOf(v))) {
                continue;
            }
            params.put(k, v);
            changes.add(switch (k) {
                case "enable" -> a.bool(k, true) ? "enabled" : "disabled (it can no longer log in or use its tokens)";
                case "expire" -> "expiring " + a.string(k);
                case "groups" -> "groups " + (a.strings(k).isEmpty() ? "none" : String.join(", ", a.strings(k)));
                default -> k + " " + v;
            });
        }
        if (create && a.has("password")) {
            params.put("password", a.string("password"));
            changes.add("a password");
        }
        if (!create && params.isEmpty()) {
            return new Plan(userid, false, null, List.of());
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("userid", userid);
        all.putAll(params);
        return new Plan(userid, create, all, changes);
    }
}
