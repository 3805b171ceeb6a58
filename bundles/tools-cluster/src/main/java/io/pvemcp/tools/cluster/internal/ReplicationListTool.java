package io.pvemcp.tools.cluster.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox_replication_list}: storage replication jobs with their state as the source node reports it: last
 * and next sync, duration, failures and the last error; a job whose source node is offline is listed as such.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_replication_list", title = "Replication jobs", risk = Risk.READ, category = "cluster",
        idempotent = true,
        description = "Storage replication jobs: guest, source → target, schedule, last and next sync, failures "
                + "and the last error.")
public final class ReplicationListTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("vmid", JsonSchema.integer().minimum(100).maximum(999_999_999))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("jobs", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
            .required("failing", JsonSchema.integer())
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
        Long vmid = call.arguments().optionalInteger("vmid").orElse(null);
        Map<String, String> online = new LinkedHashMap<>();
        for (Object o : Json.list(Futures.join(pve.get("/nodes", Map.of())))) {
            Map<String, Object> n = Json.map(o);
            online.put(Json.string(n, "node"), Json.string(n, "status"));
        }
        Map<Long, String> names = new LinkedHashMap<>();
        for (Object o : Json.list(Futures.join(pve.get("/cluster/resources", Map.of("type", "vm"))))) {
            Map<String, Object> g = Json.map(o);
            if (g.get("name") != null) {
                names.put(Json.longValue(g, "vmid", 0), Json.string(g, "name"));
            }
        }
        List<java.util.concurrent.CompletableFuture<Object>> asked = new ArrayList<>();
        for (var n : online.entrySet()) {
            if ("online".equals(n.getValue())) {
                asked.add(pve.get("/nodes/{node}/replication", Map.of("node", n.getKey())));
            }
        }
        Map<String, Map<String, Object>> state = new LinkedHashMap<>();
        for (var answer : asked) {
            for (Object o : Json.list(Futures.join(answer))) {
                Map<String, Object> s = Json.map(o);
                state.put(Json.string(s, "id"), s);
            }
        }
        List<Map<String, Object>> jobs = new ArrayList<>();
        int failing = 0;
        StringBuilder text = new StringBuilder();
        for (Object o : Json.list(Futures.join(pve.get("/cluster/replication", Map.of())))) {
            Map<String, Object> c = Json.map(o);
            long guest = Json.longValue(c, "guest", 0);
            if (vmid != null && vmid != guest) {
                continue;
            }
            String id = Json.string(c, "id");
            Map<String, Object> s = state.get(id);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("vmid", guest);
            if (names.get(guest) != null) {
                m.put("name", names.get(guest));
            }
            m.put("source", c.get("source"));
            m.put("target", c.get("target"));
            m.put("schedule", c.getOrDefault("schedule", "*/15"));
            boolean disabled = Json.bool(c, "disable", false);
            String status;
            if (disabled) {
                status = "disabled";
            } else if (s == null) {
                status = "unknown (source node " + c.get("source") + " is " + online.getOrDefault(String.valueOf(
                        c.get("source")), "unknown") + ")";
            } else {
                int failures = (int) Json.longValue(s, "fail_count", 0);
                status = failures > 0 ? "failing" : "ok";
                m.put("fail_count", failures);
                putTime(m, "last_sync", s.get("last_sync"));
                putTime(m, "next_sync", s.get("next_sync"));
                if (s.get("duration") != null) {
                    m.put("duration_s", Json.doubleValue(s, "duration", 0));
                }
                if (s.get("error") != null) {
                    m.put("error", Json.string(s, "error").strip());
                }
            }
            m.put("status", status);
            if (status.equals("failing")) {
                failing++;
            }
            if (c.get("comment") != null) {
                m.put("comment", c.get("comment"));
            }
            jobs.add(m);
            text.append("\n- ").append(id).append(names.get(guest) == null ? "" : " (" + names.get(guest) + ")")
                    .append(' ').append(m.get("source")).append(" → ").append(m.get("target")).append(", ")
                    .append(m.get("schedule")).append(": ").append(status)
                    .append(m.get("last_sync") == null ? "" : ", last sync " + m.get("last_sync"))
                    .append(m.get("error") == null ? "" : ", " + m.get("fail_count") + " failures: " + m.get("error"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobs", jobs);
        out.put("failing", failing);
        return ToolResult.of(jobs.isEmpty() ? "No replication jobs" + (vmid == null ? "." : " for guest " + vmid
                + ".") : jobs.size() + " replication jobs, " + failing + " failing:" + text, out);
    }

    private static void putTime(Map<String, Object> m, String key, Object epoch) {
        if (epoch instanceof Number n && n.longValue() > 0) {
            m.put(key, Instant.ofEpochSecond(n.longValue()).toString());
        }
    }
}
