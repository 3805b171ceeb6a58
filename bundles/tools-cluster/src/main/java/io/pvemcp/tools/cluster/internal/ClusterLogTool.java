package io.pvemcp.tools.cluster.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** {@code proxmox_cluster_log}: the cluster's log, newest first, optionally narrowed to a user or a text. */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_cluster_log", title = "Cluster log", risk = Risk.READ, category = "cluster",
        idempotent = true,
        description = "The cluster log, newest first: who did what on which node (tasks, logins, config changes).")
public final class ClusterLogTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("contains", JsonSchema.string().maxLength(200).description("Case-insensitive text"))
            .optional("user", JsonSchema.string().maxLength(128))
            .optional("limit", JsonSchema.integer().minimum(1).maximum(500).description("Default 50"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("entries", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
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
        String contains = call.arguments().string("contains", null);
        String user = call.arguments().string("user", null);
        int limit = (int) call.arguments().integer("limit", 50);
        boolean filtered = contains != null || user != null;
        List<Map<String, Object>> entries = new ArrayList<>();
        Object answer = Futures.join(call.proxmox().get("/cluster/log", Map.of("max", filtered ? 5000 : limit)));
        for (Object o : Json.list(answer)) {
            Map<String, Object> e = Json.map(o);
            String msg = e.get("msg") == null ? "" : e.get("msg").toString().strip();
            if (contains != null && !msg.toLowerCase(Locale.ROOT).contains(contains.toLowerCase(Locale.ROOT))
                    || user != null && !user.equals(e.get("user"))) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", Instant.ofEpochSecond(Json.longValue(e, "time", 0)).toString());
            m.put("node", e.get("node"));
            m.put("user", e.get("user"));
            m.put("tag", e.get("tag"));
            m.put("message", msg);
            entries.add(m);
            if (entries.size() >= limit) {
                break;
            }
        }
        StringBuilder text = new StringBuilder().append(entries.size()).append(" cluster log entries")
                .append(filtered ? " matching" : "").append(", newest first:");
        for (Map<String, Object> m : entries) {
            text.append("\n- ").append(m.get("time")).append(' ').append(m.get("node")).append(' ')
                    .append(m.get("user")).append(": ").append(m.get("message"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entries", entries);
        return ToolResult.of(text.toString(), out);
    }
}
