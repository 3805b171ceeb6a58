package io.pvemcp.tools.access.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

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
 * {@code proxmox_role_set}: creates a custom role or sets its privileges. Built-in roles cannot be changed; the
 * privileges there are, are those of the built-in Administrator role.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_role_set", title = "Create or change a role", risk = Risk.CHANGE, category = "access",
        scope = Scopes.ADMIN, idempotent = true,
        description = "Creates a custom role or sets its privileges (e.g. VM.PowerMgmt, VM.Audit).")
public final class RoleSetTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("roleid", Accounts.id())
            .required("privs", JsonSchema.array(JsonSchema.string().pattern("^[A-Z][A-Za-z]*\\.[A-Za-z.]+$"))
                    .minItems(1).maxItems(100).description("The role's privileges (replaced)"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("roleid", JsonSchema.string())
            .required("created", JsonSchema.bool())
            .required("privs", JsonSchema.array(JsonSchema.string()))
            .build();

    private record Plan(String roleid, boolean create, List<String> privs, Preview.Request request, String summary) {
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
        return new Preview(p.summary(), p.create() ? List.of() : List.of(Accounts.target("role", p.roleid())),
                p.request() == null ? List.of() : List.of(p.request()), null, true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        if (p.request() != null) {
            Futures.join(call.proxmox().request(p.request().method(), p.create() ? "/access/roles"
                    : "/access/roles/{roleid}", p.request().params()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("roleid", p.roleid());
        out.put("created", p.create());
        out.put("privs", p.privs());
        return ToolResult.of(p.request() == null ? p.summary()
                : p.summary().replaceFirst("^Create ", "Created ").replaceFirst("^Change ", "Changed "), out);
    }

    private static Plan plan(ToolCall call) {
        ProxmoxClient pve = call.proxmox();
        Arguments a = call.arguments();
        String id = a.string("roleid");
        Map<String, Map<String, Object>> roles = Accounts.roles(pve);
        List<String> known = roles.containsKey("Administrator") ? Accounts.privileges(roles.get("Administrator"))
                : List.of();
        TreeSet<String> privs = new TreeSet<>(a.strings("privs"));
        List<String> unknown = privs.stream().filter(p -> !known.isEmpty() && !known.contains(p)).toList();
        if (!unknown.isEmpty()) {
            throw ToolException.invalidArgument("privs", "Proxmox has no privilege " + String.join(", ", unknown)
                    + "; the privileges are " + String.join(", ", known));
        }
        Map<String, Object> role = roles.get(id);
        if (role != null && Json.bool(role, "special", false)) {
            throw ToolException.invalidArgument("roleid", id + " is a built-in role, which cannot be changed; create "
                    + "a role of your own with another name");
        }
        List<String> list = new ArrayList<>(privs);
        if (role == null) {
            return new Plan(id, true, list, new Preview.Request("POST", "/access/roles", Map.of("roleid", id, "privs",
                    String.join(",", list))), "Create role " + id + " with " + (list.isEmpty() ? "no privileges"
                    : String.join(", ", list)) + ".");
        }
        TreeSet<String> was = new TreeSet<>(Accounts.privileges(role));
        if (was.equals(privs)) {
            return new Plan(id, false, list, null, "Nothing: role " + id + " has these privileges already.");
        }
        List<String> gone = was.stream().filter(p -> !privs.contains(p)).toList();
        List<String> gained = privs.stream().filter(p -> !was.contains(p)).toList();
        if (!gone.isEmpty()) {
            List<String> holders = new ArrayList<>();
            for (Map<String, Object> e : Accounts.acl(pve)) {
                if (id.equals(Json.string(e, "roleid"))) {
                    holders.add(("group".equals(Json.string(e, "type")) ? "@" : "") + Json.string(e, "ugid"));
                }
            }
            Accounts.notSelf(pve, "taking " + String.join(", ", gone) + " from role " + id, holders);
        }
        return new Plan(id, false, list, new Preview.Request("PUT", "/access/roles/" + id, Map.of("roleid", id,
                "privs", String.join(",", list))), "Change role " + id + ":" + (gained.isEmpty() ? "" : " add "
                + String.join(", ", gained)) + (gone.isEmpty() ? "" : (gained.isEmpty() ? "" : ";") + " remove "
                + String.join(", ", gone) + " (from everyone holding the role)") + ".");
    }
}
