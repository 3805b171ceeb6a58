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
 * {@code proxmox_group_set}: creates a group or changes its comment, and adds or removes members. Proxmox keeps
 * membership on the users, so each member added or removed is one change of that user.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_group_set", title = "Create or change a group", risk = Risk.CHANGE, category = "access",
        scope = Scopes.ADMIN, idempotent = true,
        description = "Creates a group or changes its comment; adds or removes members.")
public final class GroupSetTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("groupid", Accounts.id())
            .optional("comment", JsonSchema.string().maxLength(2048))
            .optional("add", JsonSchema.array(Accounts.userid()).maxItems(100))
            .optional("remove", JsonSchema.array(Accounts.userid()).maxItems(100))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("groupid", JsonSchema.string())
            .required("created", JsonSchema.bool())
            .required("members", JsonSchema.array(JsonSchema.string()))
            .build();

    private record Plan(String groupid, boolean create, List<Preview.Request> requests, String summary) {
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
        return new Preview(p.summary(), p.create() ? List.of() : List.of(Accounts.target("group", p.groupid())),
                p.requests(), null, true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        ProxmoxClient pve = call.proxmox();
        for (Preview.Request r : p.requests()) {
            Futures.join(pve.request(r.method(), r.path(), r.params()));
        }
        List<String> members = new ArrayList<>();
        Accounts.users(pve).forEach((id, u) -> {
            if (Accounts.groups(u).contains(p.groupid())) {
                members.add(id);
            }
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("groupid", p.groupid());
        out.put("created", p.create());
        out.put("members", members);
        return ToolResult.of((p.requests().isEmpty() ? p.summary() : "Done: " + p.summary()) + " Members now: "
                + (members.isEmpty() ? "none" : String.join(", ", members)) + ".", out);
    }

    private static Plan plan(ToolCall call) {
        ProxmoxClient pve = call.proxmox();
        Arguments a = call.arguments();
        String id = a.string("groupid");
        Map<String, Object> group = null;
        for (Object o : Json.list(Futures.join(pve.get("/access/groups", Map.of())))) {
            if (id.equals(Json.string(Json.map(o), "groupid"))) {
                group = Json.map(o);
            }
        }
        List<Preview.Request> requests = new ArrayList<>();
        List<String> said = new ArrayList<>();
        if (group == null) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("groupid", id);
            a.optionalString("comment").ifPresent(c -> params.put("comment", c));
            requests.add(new Preview.Request("POST", "/access/groups", params));
            said.add("create group " + id);
        } else if (a.has("comment") && !a.string("comment").equals(String.valueOf(group.getOrDefault("comment", "")))) {
            requests.add(new Preview.Request("PUT", "/access/groups/" + id, Map.of("groupid", id, "comment",
                    a.string("comment"))));
            said.add("set the comment of group " + id);
        }
        Map<String, Map<String, Object>> users = Accounts.users(pve);
        List<String> added = new ArrayList<>();
        for (String u : a.has("add") ? a.strings("add") : List.<String>of()) {
            List<String> groups = member(users, u, "add");
            if (!groups.contains(id)) {
                requests.add(new Preview.Request("PUT", "/access/users/" + u, Map.of("userid", u, "groups", id,
                        "append", 1)));
                added.add(u);
            }
        }
        List<String> removed = new ArrayList<>();
        for (String u : a.has("remove") ? a.strings("remove") : List.<String>of()) {
            List<String> groups = new ArrayList<>(member(users, u, "remove"));
            if (groups.remove(id)) {
                Accounts.notSelf(pve, "removing " + u + " from group " + id, List.of(u));
                requests.add(new Preview.Request("PUT", "/access/users/" + u, Map.of("userid", u, "groups",
                        String.join(",", groups))));
                removed.add(u);
            }
        }
        if (!added.isEmpty()) {
            said.add("add " + String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            said.add("remove " + String.join(", ", removed) + " (they lose what the group's roles gave them)");
        }
        String summary = requests.isEmpty() ? "Nothing: group " + id + " is like that already."
                : Character.toUpperCase(said.get(0).charAt(0)) + String.join("; ", said).substring(1) + ".";
        return new Plan(id, group == null, requests, summary);
    }

    private static List<String> member(Map<String, Map<String, Object>> users, String userid, String argument) {
        Map<String, Object> u = users.get(userid);
        if (u == null) {
            throw ToolException.invalidArgument(argument, "there is no user " + userid + "; the users are "
                    + String.join(", ", users.keySet()));
        }
        return Accounts.groups(u);
    }
}
