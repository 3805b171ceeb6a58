package io.pvemcp.tools.access.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * {@code proxmox_access_delete}: deletes a user (with its tokens), a group, a custom role or an API token, and with it
 * the ACL entries that name it, which the question lists. Refused for root@pam, built-in roles, and whatever this
 * server's own access depends on.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_access_delete", title = "Delete a user, group, role or token", risk = Risk.DESTROY,
        category = "access", scope = Scopes.ADMIN,
        description = "Deletes a user (with its tokens), group, custom role or API token, and the ACL entries "
                + "naming it.")
public final class AccessDeleteTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("kind", JsonSchema.string().enumValues("user", "group", "role", "token"))
            .required("id", JsonSchema.string().maxLength(128).description("anna@pve, a group, a role, anna@pve!ci"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("kind", JsonSchema.string())
            .required("id", JsonSchema.string())
            .required("deleted", JsonSchema.bool())
            .required("acl_entries_removed", JsonSchema.integer())
            .build();

    private record Plan(String kind, String id, Preview.Request request, List<String> entries, String summary) {
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
        return new Preview(p.summary(), List.of(Accounts.target(p.kind(), p.id())), List.of(p.request()), p.kind()
                + " " + p.id() + " no longer exists; whoever it gave access to loses it.", false, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        Map<String, Object> params = new LinkedHashMap<>(p.request().params());
        String template = switch (p.kind()) {
            case "user" -> "/access/users/{userid}";
            case "group" -> "/access/groups/{groupid}";
            case "role" -> "/access/roles/{roleid}";
            default -> "/access/users/{userid}/token/{tokenid}";
        };
        Futures.join(call.proxmox().delete(template, params));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", p.kind());
        out.put("id", p.id());
        out.put("deleted", true);
        out.put("acl_entries_removed", p.entries().size());
        return ToolResult.of("Deleted " + p.summary().substring("Delete ".length()), out);
    }

    private static Plan plan(ToolCall call) {
        ProxmoxClient pve = call.proxmox();
        String kind = call.arguments().string("kind");
        String id = call.arguments().string("id");
        String pattern = switch (kind) {
            case "user" -> Accounts.USERID;
            case "token" -> Accounts.TOKENID;
            default -> Accounts.ID;
        };
        if (!id.matches(pattern)) {
            throw ToolException.invalidArgument("id", id + " is no " + kind + " id; write " + switch (kind) {
                case "user" -> "name@realm, e.g. anna@pve";
                case "token" -> "user@realm!token, e.g. anna@pve!ci";
                default -> "letters, digits, '.', '-' and '_'";
            });
        }
        Map<String, Object> params = new LinkedHashMap<>();
        String what;
        List<String> subjects = new ArrayList<>();
        switch (kind) {
            case "user" -> {
                if (id.equals("root@pam")) {
                    throw ToolException.invalidArgument("id", "root@pam is the built-in superuser, which Proxmox "
                            + "never deletes");
                }
                Map<String, Object> u = Accounts.requireUser(pve, id);
                params.put("userid", id);
                List<String> tokens = Accounts.tokens(u);
                what = "user " + id + (tokens.isEmpty() ? "" : " with its tokens " + String.join(", ", tokens));
                subjects.add(id);
                tokens.forEach(t -> subjects.add(id + "!" + t));
            }
            case "token" -> {
                String userid = Accounts.userOf(id);
                String name = id.substring(id.indexOf('!') + 1);
                Map<String, Object> u = Accounts.requireUser(pve, userid);
                if (!Accounts.tokens(u).contains(name)) {
                    throw ToolException.invalidArgument("id", "user " + userid + " has no token " + name
                            + (Accounts.tokens(u).isEmpty() ? "" : "; its tokens are "
                            + String.join(", ", Accounts.tokens(u))));
                }
                params.put("userid", userid);
                params.put("tokenid", name);
                what = "API token " + id + " (whatever uses it stops working)";
                subjects.add(id);
            }
            case "group" -> {
                List<String> groups = Accounts.groupIds(pve);
                if (!groups.contains(id)) {
                    throw ToolException.invalidArgument("id", "there is no group " + id + "; the groups are "
                            + String.join(", ", groups));
                }
                params.put("groupid", id);
                List<String> members = new ArrayList<>();
                Accounts.users(pve).forEach((u, m) -> {
                    if (Accounts.groups(m).contains(id)) {
                        members.add(u);
                    }
                });
                what = "group " + id + (members.isEmpty() ? "" : " (members " + String.join(", ", members) + ")");
                subjects.add("@" + id);
            }
            default -> {
                Map<String, Map<String, Object>> roles = Accounts.roles(pve);
                if (!roles.containsKey(id)) {
                    throw ToolException.invalidArgument("id", "there is no role " + id + "; the roles are "
                            + String.join(", ", roles.keySet()));
                }
                if (Json.bool(roles.get(id), "special", false)) {
                    throw ToolException.invalidArgument("id", id + " is a built-in role, which Proxmox never deletes");
                }
                params.put("roleid", id);
                what = "role " + id;
            }
        }
        List<String> entries = new ArrayList<>();
        List<String> holders = new ArrayList<>(subjects);
        for (Map<String, Object> e : Accounts.acl(pve)) {
            String ugid = ("group".equals(Json.string(e, "type")) ? "@" : "") + Json.string(e, "ugid");
            boolean names = kind.equals("role") ? id.equals(Json.string(e, "roleid")) : subjects.contains(ugid);
            if (names) {
                entries.add(Json.string(e, "roleid") + " on " + Json.string(e, "path") + " for " + ugid);
                if (kind.equals("role")) {
                    holders.add(ugid);
                }
            }
        }
        Accounts.notSelf(pve, "deleting " + kind + " " + id, holders);
        String path = "/access/" + switch (kind) {
            case "user" -> "users/" + id;
            case "token" -> "users/" + Accounts.userOf(id) + "/token/" + params.get("tokenid");
            case "group" -> "groups/" + id;
            default -> "roles/" + id;
        };
        return new Plan(kind, id, new Preview.Request("DELETE", path, params), entries, "Delete " + what
                + (entries.isEmpty() ? "; no ACL entry names it." : "; its ACL entries go with it: "
                + String.join("; ", entries) + "."));
    }
}
