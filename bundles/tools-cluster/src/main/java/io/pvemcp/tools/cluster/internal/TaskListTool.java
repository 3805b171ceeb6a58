package io.pvemcp.tools.cluster.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Listing;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.ProxmoxException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_task_list", title = "List tasks", risk = Risk.READ, category = "tasks", idempotent = true,
        description = "Tasks of the cluster or a node, newest first: type, guest, user, state, exit status, times; "
                + "filters.")
public final class TaskListTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("node", JsonSchema.string().pattern("^[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}$")
                    .description("Only this node (default: every online node)"))
            .optional("vmid", JsonSchema.integer().minimum(100).maximum(999_999_999).description("Only this guest"))
            .optional("type", JsonSchema.string().pattern("^[a-z][a-z0-9_-]{0,31}$")
                    .description("Only this task type, e.g. vzdump, qmclone, qmstart"))
            .optional("user", JsonSchema.string().maxLength(128).description("Only this user or token, e.g. root@pam"))
            .optional("state", JsonSchema.string().enumValues("all", "running", "failed").defaultValue("all")
                    .description("failed: ended with an error"))
            .optional("since", JsonSchema.string().maxLength(40).description(
                    "Started after: 30m, 24h, 7d or an ISO time"))
            .optional("limit", JsonSchema.integer().minimum(1).maximum(500).defaultValue(20)
                    .description("Most tasks to return"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("tasks", JsonSchema.array(Tasks.schema()))
            .required("total", JsonSchema.integer())
            .required("omitted", JsonSchema.integer())
            .required("warnings", JsonSchema.array(JsonSchema.string()))
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
    public ToolResult call(ToolCall call) throws Exception {
        Arguments args = call.arguments();
        int limit = (int) args.integer("limit", 20);
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("limit", limit);
        String state = args.string("state", "all");
        query.put("source", state.equals("running") ? "active" : "all");
        if (state.equals("failed")) {
            query.put("statusfilter", "error,unknown");
        }
        args.optionalInteger("vmid").ifPresent(v -> query.put("vmid", v));
        args.optionalString("type").ifPresent(t -> query.put("typefilter", t));
        args.optionalString("user").ifPresent(u -> query.put("userfilter", u));
        if (args.has("since")) {
            query.put("since", since(args.string("since")));
        }
        List<String> nodes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (args.has("node")) {
            nodes.add(args.string("node"));
        } else {
            for (Object o : Json.list(call.proxmox().get("/nodes", Map.of()).join())) {
                Map<String, Object> n = Json.map(o);
                if ("online".equals(n.get("status"))) {
                    nodes.add(Json.string(n, "node"));
                } else {
                    warnings.add("Node " + Json.string(n, "node") + " is offline; its tasks are not listed.");
                }
            }
        }
        List<CompletableFuture<Object>> asked = new ArrayList<>();
        for (String node : nodes) {
            Map<String, Object> p = new LinkedHashMap<>(query);
            p.put("node", node);
            asked.add(call.proxmox().get("/nodes/{node}/tasks", p));
        }
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            try {
                for (Object o : Json.list(asked.get(i).join())) {
                    tasks.add(Tasks.describe(Json.map(o)));
                }
            } catch (java.util.concurrent.CompletionException e) {
                if (args.has("node") || !(e.getCause() instanceof ProxmoxException)) {
                    throw e;
                }
                warnings.add("The tasks of node " + nodes.get(i) + " could not be read: " + e.getCause().getMessage());
            }
        }
        Listing.Page<Map<String, Object>> page = Listing.page(tasks, Comparator.comparing(
                (Map<String, Object> t) -> String.valueOf(t.get("started_at"))).reversed(), limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tasks", page.items());
        out.put("total", page.total());
        out.put("omitted", page.omitted());
        out.put("warnings", warnings);
        StringBuilder text = new StringBuilder(page.total() == 0 ? "No tasks match." : page.total() + " task(s)"
                + (page.omitted() > 0 ? ", the newest " + page.items().size() + " shown" : "") + ":");
        for (Map<String, Object> t : page.items()) {
            text.append("\n- ").append(t.get("started_at")).append(' ').append(t.get("type"))
                    .append(String.valueOf(t.get("id")).isEmpty() ? "" : " " + t.get("id")).append(" on ")
                    .append(t.get("node")).append(" by ").append(t.get("user")).append(": ")
                    .append(t.containsKey("exit_status") ? t.get("exit_status") : "running")
                    .append(" (").append(t.get("upid")).append(')');
        }
        warnings.forEach(w -> text.append("\n").append(w));
        return ToolResult.of(text.toString(), out);
    }

    /** @return the epoch second a {@code since} argument means */
    static long since(String value) {
        String v = value.strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})([mhd])").matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Instant.now().minus(d).getEpochSecond();
        }
        try {
            return Instant.parse(v).getEpochSecond();
        } catch (DateTimeParseException e) {
            throw ToolException.invalidArgument("since", "'" + value + "' is neither a span such as 30m, 24h or 7d "
                    + "nor an ISO time such as 2026-12-01T08:00:00Z");
        }
    }
}
