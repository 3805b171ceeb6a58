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
 * {@code proxmox_acl_set}: grants a user, group or token a role on a path ("grant anna@pve PVEVMUser on /vms/100"), or
 * revokes it. A grant is a change; a revocation takes access away and is a destroy-class call. Nothing revokes the
 * access of the account this server uses.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_acl_set", title = "Grant or revoke a role", risk = Risk.DESTROY, category = "access",
        scope = Scopes.ADMIN, idempotent = true,
        description = "Grants a user, group or token a role on a path (/, /vms/100, /pool/dev, /storage/local, "
                + "/nodes/pve1), or revokes it.")
public final class AclSetTool implements Tool {

    /** The ACL paths Proxmox VE accepts, by their first part. */
    private static final String ACL_PATH = "^/((access(/(groups|realm)(/[A-Za-z0-9.\\-_]+)?)?)|(cluster(/[A-Za-z0-9."
            + "\\-_]+){0,3})|(mapping(/[A-Za-z0-9.\\-_]+){0,2})|(nodes(/[A-Za-z0-9.\\-_]+)?)|(pool(/[A-Za-z0-9\\-_]+)"
            + "{0,3})|(sdn(/[A-Za-z0-9.\\-_]+){0,4})|(storage(/[A-Za-z0-9.\\-_]+)?)|(vms(/[1-9][0-9]{2,8})?))?$";

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("path", JsonSchema.string().pattern(ACL_PATH).maxLength(128))
            .required("role", Accounts.id().description("e.g. PVEAuditor (read-only), PVEVMUser, PVEVMAdmin"))
            .optional("user", Accounts.userid())
            .optional("group", Accounts.id())
            .optional("token", JsonSchema.string().pattern(Accounts.TOKENID).maxLength(128))
            .optional("propagate", JsonSchema.bool().description("To paths below; default true"))
            .optional("revoke", JsonSchema.bool())
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("path", JsonSchema.string())
            .required("role", JsonSchema.string())
            .required("subject", JsonSchema.string())
            .required("granted", JsonSchema.bool())
            .optional("effective", JsonSchema.array(JsonSchema.string()))
            .build();

    private record Plan(String subject, Map<String, Object> params, String summary) {
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
        return arguments.bool("revoke", false) ? Risk.DESTROY : Risk.CHANGE;
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        return new Preview(p.summary(), List.of(Accounts.target("acl", call.arguments().string("path"))),
                p.params() == null ? List.of() : List.of(new Preview.Request("PUT", "/access/acl", p.params())),
                null, true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        ProxmoxClient pve = call.proxmox();
        Arguments a = call.arguments();
        if (p.params() != null) {
            Futures.join(pve.put("/access/acl", p.params()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", a.string("path"));
        out.put("role", a.string("role"));
        out.put("subject", p.subject());
        out.put("granted", !a.bool("revoke", false));
        StringBuilder text = new StringBuilder(p.params() == null ? p.summary()
                : p.summary().replaceFirst("^Grant ", "Granted ").replaceFirst("^Revoke ", "Revoked "));
        if (!p.subject().startsWith("@")) {
            List<String> effective = PermissionsTool.privileges(pve, p.subject(), a.string("path"));
            out.put("effective", effective);
            text.append(' ').append(p.subject()).append(" now holds ").append(effective.isEmpty() ? "no privileges"
                    : effective.size() + " privileges (" + String.join(", ", effective) + ")").append(" on ")
                    .append(a.string("path")).append('.');
        }
        return ToolResult.of(text.toString(), out);
    }

    private static Plan plan(ToolCall call) {
        ProxmoxClient pve = call.proxmox();
        Arguments a = call.arguments();
        List<String> given = new ArrayList<>();
        for (String k : List.of("user", "group", "token")) {
            if (a.has(k)) {
                given.add(k);
            }
        }
        if (given.size() != 1) {
            throw ToolException.invalidArgument(given.isEmpty() ? "user" : given.get(1), "give exactly one of user, "
                    + "group or token" + (given.isEmpty() ? "" : ", not " + String.join(" and ", given)));
        }
        String kind = given.get(0);
        String subject = a.string(kind);
        String path = a.string("path");
        String role = a.string("role");
        boolean revoke = a.bool("revoke", false);
        boolean propagate = a.bool("propagate", true);
        Map<String, Map<String, Object>> roles = Accounts.roles(pve);
        if (!roles.containsKey(role)) {
            throw ToolException.invalidArgument("role", "there is no role " + role + "; the roles are "
                    + String.join(", ", roles.keySet()));
        }
        String note = "";
        switch (kind) {
            case "user" -> Accounts.requireUser(pve, subject);
            case "group" -> {
                if (!Accounts.groupIds(pve).contains(subject)) {
                    throw ToolException.invalidArgument("group", "there is no group " + subject + "; the groups are "
                            + String.join(", ", Accounts.groupIds(pve)));
                }
            }
            default -> {
                Map<String, Object> user = Accounts.requireUser(pve, Accounts.userOf(subject));
                String name = subject.substring(subject.indexOf('!') + 1);
                Map<String, Object> token = null;
                for (Object o : Json.list(user.getOrDefault("tokens", List.of()))) {
                    if (name.equals(Json.string(Json.map(o), "tokenid"))) {
                        token = Json.map(o);
                    }
                }
                if (token == null) {
                    throw ToolException.invalidArgument("token", "user " + Accounts.userOf(subject) + " has no token "
                            + name + (Accounts.tokens(user).isEmpty() ? "" : "; its tokens are "
                            + String.join(", ", Accounts.tokens(user))));
                }
                if (!revoke && !Json.bool(token, "privsep", true)) {
                    note = " The token has no privilege separation, so it uses its user's permissions and this "
                            + "entry changes nothing until privsep is switched on.";
                }
            }
        }
        String ugid = kind.equals("group") ? "@" + subject : subject;
        boolean present = false;
        for (Map<String, Object> e : Accounts.acl(pve)) {
            if (path.equals(Json.string(e, "path")) && role.equals(Json.string(e, "roleid"))
                    && kind.equals(Json.string(e, "type")) && subject.equals(Json.string(e, "ugid"))
                    && (revoke || Json.bool(e, "propagate", true) == propagate)) {
                present = true;
            }
        }
        String what = role + " on " + path + " for " + kind + " " + subject;
        if (revoke && !present) {
            return new Plan(ugid, null, "Nothing: " + kind + " " + subject + " has no " + role + " on " + path + ".");
        }
        if (!revoke && present) {
            return new Plan(ugid, null, "Nothing: " + what + " is granted already.");
        }
        if (revoke) {
            Accounts.notSelf(pve, "revoking " + what, List.of(ugid));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("path", path);
        params.put("roles", role);
        params.put(kind + "s", subject);
        params.put("propagate", propagate ? 1 : 0);
        if (revoke) {
            params.put("delete", 1);
        }
        return new Plan(ugid, params, (revoke ? "Revoke " : "Grant ") + what + (revoke ? "" : propagate
                ? " (and below)" : " (this path only)") + "." + note);
    }
}
