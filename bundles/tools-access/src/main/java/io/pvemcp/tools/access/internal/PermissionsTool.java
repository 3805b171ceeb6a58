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

/**
 * {@code proxmox_permissions}: what a user or token may do, as Proxmox computes it (roles from its own, its groups'
 * and, for a token, its user's ACL entries, inherited down the path), on one path or on every path it has rights on.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_permissions", title = "Effective permissions", risk = Risk.READ, category = "access",
        scope = Scopes.ADMIN, idempotent = true,
        description = "Effective privileges of a user or token, on one path or all; with privilege: can it do that "
                + "there?")
public final class PermissionsTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("authid", JsonSchema.string().pattern("^[^\\s:/@]+@[A-Za-z][A-Za-z0-9.\\-_]+(![A-Za-z][A-Za-z0-9"
                    + ".\\-_]+)?$").maxLength(128).description("User or token, e.g. anna@pve!ci"))
            .optional("path", JsonSchema.string().pattern(Accounts.PATH).maxLength(128))
            .optional("privilege", JsonSchema.string().pattern("^[A-Z][A-Za-z]*\\.[A-Za-z.]+$")
                    .description("e.g. VM.PowerMgmt"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("authid", JsonSchema.string())
            .required("paths", JsonSchema.object().additionalProperties(true).description("path: privileges"))
            .optional("allowed", JsonSchema.bool())
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
        String authid = call.arguments().string("authid");
        String path = call.arguments().string("path", null);
        String privilege = call.arguments().string("privilege", null);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("userid", authid);
        if (path != null) {
            params.put("path", path);
        }
        Map<String, Object> paths = new LinkedHashMap<>();
        Json.map(Futures.join(pve.get("/access/permissions", params))).forEach((p, privs) -> paths.put(p,
                held(privs)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("authid", authid);
        out.put("paths", paths);
        StringBuilder text = new StringBuilder();
        if (privilege != null) {
            String where = path == null ? "/" : path;
            boolean allowed = paths.containsKey(where) ? ((List<?>) paths.get(where)).contains(privilege)
                    : held(Json.map(Futures.join(pve.get("/access/permissions", Map.of("userid", authid, "path",
                            where)))).getOrDefault(where, Map.of())).contains(privilege);
            out.put("allowed", allowed);
            text.append(authid).append(allowed ? " has " : " does NOT have ").append(privilege).append(" on ")
                    .append(where).append(".\n");
        }
        text.append("Privileges of ").append(authid).append(path == null ? " by path:" : " on " + path + ":");
        paths.forEach((p, privs) -> text.append("\n- ").append(p).append(": ").append(((List<?>) privs).isEmpty()
                ? "none" : String.join(", ", ((List<?>) privs).stream().map(String::valueOf).toList())));
        if (paths.isEmpty()) {
            text.append(" none anywhere.");
        }
        return ToolResult.of(text.toString(), out);
    }

    /** @return the privileges an authid holds on a path */
    static List<String> privileges(ProxmoxClient pve, String authid, String path) {
        Map<String, Object> answer = Json.map(Futures.join(pve.get("/access/permissions", Map.of("userid", authid,
                "path", path))));
        return held(answer.getOrDefault(path, Map.of()));
    }

    private static List<String> held(Object privs) {
        List<String> out = new ArrayList<>();
        if (privs instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof Number n ? n.intValue() != 0 : Boolean.TRUE.equals(v) || "1".equals(v)) {
                    out.add(String.valueOf(k));
                }
            });
        }
        out.sort(null);
        return out;
    }
}
