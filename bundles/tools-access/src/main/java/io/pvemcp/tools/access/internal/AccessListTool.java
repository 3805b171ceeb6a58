package io.pvemcp.tools.access.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
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

/** {@code proxmox_access_list}: users, groups, roles, ACL entries or API tokens; never a token's secret. */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_access_list", title = "Users, groups, roles, ACLs, tokens", risk = Risk.READ,
        category = "access", scope = Scopes.ADMIN, idempotent = true,
        description = "Lists users (with groups, tokens), groups (with members), roles (with privileges), ACL "
                + "entries or API tokens.")
public final class AccessListTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("kind", JsonSchema.string().enumValues("users", "groups", "roles", "acl", "tokens"))
            .optional("userid", Accounts.userid().description("Only this user's (users, tokens, acl)"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("kind", JsonSchema.string())
            .required("items", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
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
        ProxmoxClient pve = call.proxmox();
        String kind = call.arguments().string("kind");
        String userid = call.arguments().string("userid", null);
        List<Map<String, Object>> items = switch (kind) {
            case "users" -> users(pve, userid);
            case "groups" -> groups(pve);
            case "roles" -> roles(pve);
            case "acl" -> acl(pve, userid);
            default -> tokens(pve, userid);
        };
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", kind);
        out.put("items", items);
        StringBuilder text = new StringBuilder().append(items.size()).append(' ').append(kind.equals("acl")
                ? "ACL entries" : kind).append(userid == null ? "" : " of " + userid).append(':');
        for (Map<String, Object> i : items) {
            text.append("\n- ").append(line(kind, i));
        }
        return ToolResult.of(text.toString(), out);
    }

    private static List<Map<String, Object>> users(ProxmoxClient pve, String only) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Map<String, Object>> users = only == null ? Accounts.users(pve)
                : Map.of(only, Accounts.requireUser(pve, only));
        users.forEach((id, u) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("userid", id);
            String name = (u.get("firstname") == null ? "" : u.get("firstname") + " ")
                    + (u.get("lastname") == null ? "" : u.get("lastname"));
            if (!name.isBlank()) {
                m.put("name", name.strip());
            }
            for (String k : List.of("email", "comment")) {
                if (u.get(k) != null) {
                    m.put(k, u.get(k));
                }
            }
            m.put("enabled", Json.bool(u, "enable", true));
            m.put("expire", Accounts.date(u.get("expire")));
            m.put("groups", Accounts.groups(u));
            m.put("tokens", Accounts.tokens(u));
            out.add(m);
        });
        return out;
    }

    private static List<Map<String, Object>> groups(ProxmoxClient pve) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : Json.list(Futures.join(pve.get("/access/groups", Map.of())))) {
            Map<String, Object> g = Json.map(o);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("groupid", Json.string(g, "groupid"));
            if (g.get("comment") != null) {
                m.put("comment", g.get("comment"));
            }
            m.put("members", Accounts.split(g.get("users")));
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, Object>> roles(ProxmoxClient pve) {
        List<Map<String, Object>> out = new ArrayList<>();
        Accounts.roles(pve).forEach((id, r) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("roleid", id);
            m.put("builtin", Json.bool(r, "special", false));
            m.put("privs", Accounts.privileges(r));
            out.add(m);
        });
        return out;
    }

    private static List<Map<String, Object>> acl(ProxmoxClient pve, String userid) {
        List<String> groups = userid == null ? List.of() : Accounts.groups(Accounts.requireUser(pve, userid));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> a : Accounts.acl(pve)) {
            String type = Json.string(a, "type");
            String ugid = Json.string(a, "ugid");
            if (userid != null && !(type.equals("group") ? groups.contains(ugid) : Accounts.userOf(ugid)
                    .equals(userid))) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", Json.string(a, "path"));
            m.put(type, ugid);
            m.put("role", Json.string(a, "roleid"));
            m.put("propagate", Json.bool(a, "propagate", true));
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, Object>> tokens(ProxmoxClient pve, String only) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Map<String, Object>> users = only == null ? Accounts.users(pve)
                : Map.of(only, Accounts.requireUser(pve, only));
        users.forEach((id, u) -> {
            for (Object o : Json.list(u.getOrDefault("tokens", List.of()))) {
                Map<String, Object> t = Json.map(o);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("tokenid", id + "!" + Json.string(t, "tokenid"));
                m.put("privsep", Json.bool(t, "privsep", true));
                m.put("expire", Accounts.date(t.get("expire")));
                if (t.get("comment") != null) {
                    m.put("comment", t.get("comment"));
                }
                out.add(m);
            }
        });
        return out;
    }

    private static String line(String kind, Map<String, Object> i) {
        return switch (kind) {
            case "users" -> i.get("userid") + (i.get("name") == null ? "" : " (" + i.get("name") + ")")
                    + (Boolean.TRUE.equals(i.get("enabled")) ? "" : ", disabled") + ", groups " + i.get("groups")
                    + ", tokens " + i.get("tokens") + ("never".equals(i.get("expire")) ? "" : ", expires "
                    + i.get("expire"));
            case "groups" -> i.get("groupid") + ": " + i.get("members");
            case "roles" -> i.get("roleid") + (Boolean.TRUE.equals(i.get("builtin")) ? " (built-in)" : "") + ": "
                    + ((List<?>) i.get("privs")).size() + " privileges";
            case "acl" -> i.get("path") + ": " + i.get("role") + " for " + (i.containsKey("group") ? "group "
                    + i.get("group") : i.containsKey("token") ? "token " + i.get("token") : "user " + i.get("user"))
                    + (Boolean.TRUE.equals(i.get("propagate")) ? "" : " (not propagated)");
            default -> i.get("tokenid") + (Boolean.TRUE.equals(i.get("privsep")) ? ", own permissions"
                    : ", the user's permissions") + ("never".equals(i.get("expire")) ? "" : ", expires "
                    + i.get("expire"));
        };
    }
}
