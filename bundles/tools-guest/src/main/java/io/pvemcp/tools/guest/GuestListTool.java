package io.pvemcp.tools.guest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Listing;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;

/**
 * Lists the guests of one type across the cluster from {@code /cluster/resources}: one request, whatever the
 * cluster's size, and guests of offline nodes still listed (with status {@code unknown} and a warning). Filters
 * by node, status, name or tag pattern and pool; sorts; cuts to a limit and says how many were left out, so that
 * the answer fits a model's context on a cluster of thousands of guests.
 */
public abstract class GuestListTool extends GuestTool {

    /** The default number of guests returned. */
    public static final int DEFAULT_LIMIT = 50;
    /** How many guests the text summary names. */
    private static final int NAMED_IN_TEXT = 25;

    private final Map<String, Object> input;
    private final Map<String, Object> output;

    /** @param type the guest type to list */
    protected GuestListTool(GuestType type) {
        super(type);
        this.input = JsonSchema.object()
                .optional("node", nodeSchema("Only this node"))
                .optional("status", JsonSchema.string().enumValues("running", "stopped", "unknown")
                        .description("unknown: the node is offline"))
                .optional("name", JsonSchema.string().minLength(1).maxLength(128)
                        .description("Name; * and ? are wildcards"))
                .optional("tag", JsonSchema.string().minLength(1).maxLength(128)
                        .description("Tag; * and ? are wildcards"))
                .optional("pool", JsonSchema.string().minLength(1).maxLength(64).description("Only members of this pool"))
                .optional("templates", JsonSchema.string().enumValues("exclude", "include", "only").defaultValue("exclude")
                        .description("Templates too, or only them"))
                .optional("sort", JsonSchema.string().enumValues("vmid", "name", "node", "status", "cpu", "memory",
                        "uptime").defaultValue("vmid").description("Sort key"))
                .optional("order", JsonSchema.string().enumValues("asc", "desc").description(
                        "Default asc; desc for cpu, memory, uptime"))
                .optional("limit", JsonSchema.integer().minimum(1).maximum(1000).defaultValue(DEFAULT_LIMIT)
                        .description("At most 1000"))
                .build();
        this.output = JsonSchema.object()
                .required(type.listKey(), JsonSchema.array(itemSchema()))
                .required("total", JsonSchema.integer().minimum(0).description("How many matched the filters"))
                .required("returned", JsonSchema.integer().minimum(0))
                .required("omitted", JsonSchema.integer().minimum(0).description("How many were left out by the limit"))
                .required("warnings", JsonSchema.array(JsonSchema.string()))
                .build();
    }

    private JsonSchema itemSchema() {
        return JsonSchema.object()
                .required("vmid", JsonSchema.integer())
                .required("name", JsonSchema.string())
                .required("node", JsonSchema.string())
                .required("status", JsonSchema.string().description("running, stopped, or unknown (node offline)"))
                .required("template", JsonSchema.bool())
                .optional("cpus", JsonSchema.number())
                .optional("cpu_percent", JsonSchema.number().description("CPU use, percent of its vCPUs"))
                .optional("memory_used_bytes", JsonSchema.integer())
                .optional("memory_max_bytes", JsonSchema.integer())
                .optional("disk_max_bytes", JsonSchema.integer())
                .optional("uptime_seconds", JsonSchema.integer())
                .required("tags", JsonSchema.array(JsonSchema.string()))
                .optional("pool", JsonSchema.string())
                .optional("lock", JsonSchema.string())
                .optional("ha_state", JsonSchema.string());
    }

    @Override
    public Map<String, Object> inputSchema() {
        return input;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return output;
    }

    @Override
    public ToolResult call(ToolCall call) throws Exception {
        var args = call.arguments();
        String node = args.string("node", null);
        String status = args.string("status", null);
        String name = args.string("name", null);
        String tag = args.string("tag", null);
        String pool = args.string("pool", null);
        String templates = args.string("templates", "exclude");
        String sort = args.string("sort", "vmid");
        String order = args.string("order", Set.of("cpu", "memory", "uptime").contains(sort) ? "desc" : "asc");
        int limit = (int) args.integer("limit", DEFAULT_LIMIT);

        List<Object> resources = Json.list(call.proxmox().get("/cluster/resources", Map.of("type", "vm")).join());
        // filters and order read the answer as it is; only the guests returned are made into items (on a cluster of
        // thousands, the others would be garbage the moment they were made)
        List<Map<String, Object>> matching = new ArrayList<>();
        Map<String, Integer> offline = new LinkedHashMap<>();
        for (Object o : resources) {
            Map<String, Object> r = Json.map(o);
            if (!type.api().equals(r.get("type"))) {
                continue;
            }
            String state = status(r);
            if ("unknown".equals(state)) {
                offline.merge(Json.string(r, "node"), 1, Integer::sum);
            }
            boolean template = Json.bool(r, "template", false);
            if (templates.equals("exclude") && template || templates.equals("only") && !template) {
                continue;
            }
            if (node != null && !node.equals(r.get("node")) || status != null && !status.equals(state)
                    || pool != null && !pool.equals(r.get("pool"))
                    || name != null && !Listing.matches(name, name(r))) {
                continue;
            }
            if (tag != null && tags(r.get("tags")).stream().noneMatch(t -> Listing.matches(tag, t))) {
                continue;
            }
            matching.add(r);
        }
        Comparator<Map<String, Object>> comparator = comparator(sort);
        if (order.equals("desc")) {
            comparator = comparator.reversed();
        }
        Listing.Page<Map<String, Object>> raw = Listing.page(matching, comparator.thenComparingLong(
                m -> Json.longValue(m, "vmid", 0)), limit);
        List<Map<String, Object>> items = new ArrayList<>(raw.items().size());
        for (Map<String, Object> r : raw.items()) {
            items.add(item(r));
        }
        Listing.Page<Map<String, Object>> page = new Listing.Page<>(items, raw.total(), raw.omitted());
        List<String> warnings = new ArrayList<>();
        offline.forEach((n, count) -> warnings.add("Node " + n + " is offline: its " + count + " " + (count == 1
                ? type.noun() : type.plural()) + " are listed with status unknown and may have changed."));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(type.listKey(), page.items());
        out.put("total", page.total());
        out.put("returned", page.items().size());
        out.put("omitted", page.omitted());
        out.put("warnings", warnings);
        return ToolResult.of(text(page, sort, order, warnings), out);
    }

    private static String status(Map<String, Object> r) {
        return r.get("status") == null ? "unknown" : Json.string(r, "status");
    }

    private static String name(Map<String, Object> r) {
        return r.get("name") == null ? "" : Json.string(r, "name");
    }

    /** CPU use in percent with one decimal, as items show it (so that the order is the one a reader sees). */
    private static double cpuPercent(Map<String, Object> r) {
        return Math.round(Json.doubleValue(r, "cpu", 0) * 1000) / 10.0;
    }

    private Map<String, Object> item(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vmid", Json.longValue(r, "vmid", 0));
        m.put("name", name(r));
        m.put("node", Json.string(r, "node"));
        m.put("status", status(r));
        m.put("template", Json.bool(r, "template", false));
        if (r.get("maxcpu") != null) {
            m.put("cpus", Json.doubleValue(r, "maxcpu", 0));
        }
        if (r.get("cpu") != null) {
            m.put("cpu_percent", cpuPercent(r));
        }
        putLong(m, "memory_used_bytes", r, "mem");
        putLong(m, "memory_max_bytes", r, "maxmem");
        putLong(m, "disk_max_bytes", r, "maxdisk");
        putLong(m, "uptime_seconds", r, "uptime");
        m.put("tags", tags(r.get("tags")));
        for (String[] k : new String[][] {{"pool", "pool"}, {"lock", "lock"}, {"ha_state", "hastate"}}) {
            if (r.get(k[1]) != null) {
                m.put(k[0], Json.string(r, k[1]));
            }
        }
        return m;
    }

    private static void putLong(Map<String, Object> m, String key, Map<String, Object> r, String from) {
        if (r.get(from) != null) {
            m.put(key, Json.longValue(r, from, 0));
        }
    }

    /** The order of the answer's guests by a sort key, as the items returned show that key. */
    private static Comparator<Map<String, Object>> comparator(String sort) {
        return switch (sort) {
            case "name" -> Comparator.comparing(m -> name(m).toLowerCase(java.util.Locale.ROOT));
            case "node" -> Comparator.comparing(m -> Json.string(m, "node"));
            case "status" -> Comparator.comparing(GuestListTool::status);
            case "cpu" -> Comparator.comparingDouble(GuestListTool::cpuPercent);
            case "memory" -> Comparator.comparingLong(m -> Json.longValue(m, "mem", 0));
            case "uptime" -> Comparator.comparingLong(m -> Json.longValue(m, "uptime", 0));
            default -> Comparator.comparingLong(m -> Json.longValue(m, "vmid", 0));
        };
    }

    private String text(Listing.Page<Map<String, Object>> page, String sort, String order, List<String> warnings) {
        if (page.total() == 0) {
            return "No " + type.plural() + " match." + (warnings.isEmpty() ? "" : " " + String.join(" ", warnings));
        }
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        Set<String> nodes = new LinkedHashSet<>();
        for (Map<String, Object> m : page.items()) {
            byStatus.merge((String) m.get("status"), 1, Integer::sum);
            nodes.add((String) m.get("node"));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(page.total()).append(' ').append(page.total() == 1 ? type.noun() : type.plural()).append(" match");
        if (page.omitted() > 0) {
            sb.append("; showing ").append(page.items().size()).append(" (sorted by ").append(sort).append(' ')
                    .append(order).append("), ").append(page.omitted()).append(" left out: narrow the filters or "
                    + "raise limit (at most 1000)");
        }
        sb.append(". Shown: ");
        List<String> parts = new ArrayList<>();
        byStatus.forEach((s, n) -> parts.add(n + " " + s));
        sb.append(String.join(", ", parts)).append(" on ").append(nodes.size()).append(nodes.size() == 1 ? " node"
                : " nodes").append(": ");
        List<String> named = new ArrayList<>();
        for (Map<String, Object> m : page.items().subList(0, Math.min(NAMED_IN_TEXT, page.items().size()))) {
            List<?> tags = m.get("tags") instanceof List<?> l ? l : List.of();
            named.add(m.get("vmid") + " " + m.get("name") + " [" + m.get("status") + ", " + m.get("node")
                    + (tags.isEmpty() ? "" : ", tags " + String.join(",", tags.stream().map(String::valueOf).toList()))
                    + "]");
        }
        sb.append(String.join("; ", named));
        if (page.items().size() > NAMED_IN_TEXT) {
            sb.append("; ... (").append(page.items().size() - NAMED_IN_TEXT).append(" more in the structured result)");
        }
        sb.append('.');
        if (!warnings.isEmpty()) {
            sb.append(' ').append(String.join(" ", warnings));
        }
        return sb.toString();
    }
}
