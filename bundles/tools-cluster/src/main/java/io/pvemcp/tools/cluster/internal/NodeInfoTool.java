package io.pvemcp.tools.cluster.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.Sizes;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_cluster_get_node_info", title = "Describe a node", risk = Risk.READ, category = "cluster",
        idempotent = true,
        description = "One node: CPU, load, memory, swap, root disk, uptime, kernel and PVE version, guests, storage, "
                + "bridges.")
public final class NodeInfoTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("node", GuestTool.nodeSchema("The node, e.g. pve1"))
            .build();

    private static final JsonSchema USAGE = JsonSchema.object()
            .required("used_bytes", JsonSchema.integer()).required("total_bytes", JsonSchema.integer())
            .required("percent", JsonSchema.number());

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("node", JsonSchema.string())
            .required("status", JsonSchema.string())
            .optional("uptime_seconds", JsonSchema.integer())
            .optional("cpu_model", JsonSchema.string())
            .optional("cpus", JsonSchema.integer())
            .optional("sockets", JsonSchema.integer())
            .optional("cpu_percent", JsonSchema.number())
            .optional("load_average", JsonSchema.array(JsonSchema.number()))
            .optional("memory", USAGE)
            .optional("swap", USAGE)
            .optional("rootfs", USAGE)
            .optional("kernel", JsonSchema.string())
            .optional("pve_version", JsonSchema.string())
            .optional("boot_mode", JsonSchema.string())
            .required("guests", JsonSchema.object()
                    .required("vms_running", JsonSchema.integer()).required("vms_total", JsonSchema.integer())
                    .required("containers_running", JsonSchema.integer())
                    .required("containers_total", JsonSchema.integer()))
            .required("storage", JsonSchema.array(JsonSchema.object()
                    .required("storage", JsonSchema.string())
                    .required("type", JsonSchema.string())
                    .required("shared", JsonSchema.bool())
                    .optional("free_bytes", JsonSchema.integer())
                    .optional("used_percent", JsonSchema.number())))
            .required("bridges", JsonSchema.array(JsonSchema.string()))
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
        String node = call.arguments().string("node");
        var pve = call.proxmox();
        List<Object> nodes = Json.list(pve.get("/cluster/resources", Map.of("type", "node")).join());
        List<String> names = new ArrayList<>();
        String state = null;
        for (Object o : nodes) {
            Map<String, Object> n = Json.map(o);
            names.add(Json.string(n, "node"));
            if (node.equals(n.get("node"))) {
                state = n.get("status") == null ? "unknown" : Json.string(n, "status");
            }
        }
        if (state == null) {
            throw new ToolException("Node " + node + " is not part of the cluster. Nodes: "
                    + String.join(", ", names.stream().sorted().toList()) + ".");
        }
        if (!"online".equals(state)) {
            throw new ToolException("Node " + node + " is " + state + ", so it cannot be described now. Check the "
                    + "cluster with proxmox_cluster_status.");
        }
        var statusCall = pve.get("/nodes/{node}/status", Map.of("node", node));
        var networkCall = pve.get("/nodes/{node}/network", Map.of("node", node, "type", "any_bridge"));
        var resourcesCall = pve.get("/cluster/resources", Map.of());
        Map<String, Object> s = Json.map(statusCall.join());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", node);
        out.put("status", "online");
        if (s.get("uptime") != null) {
            out.put("uptime_seconds", Json.longValue(s, "uptime", 0));
        }
        if (s.get("cpuinfo") instanceof Map<?, ?> cpu) {
            Map<String, Object> c = Json.map(cpu);
            out.put("cpu_model", Json.string(c, "model"));
            out.put("cpus", Json.longValue(c, "cpus", 0));
            out.put("sockets", Json.longValue(c, "sockets", 1));
        }
        if (s.get("cpu") != null) {
            out.put("cpu_percent", Math.round(Json.doubleValue(s, "cpu", 0) * 1000) / 10.0);
        }
        if (s.get("loadavg") instanceof List<?> load) {
            List<Double> l = new ArrayList<>();
            for (Object v : load) {
                l.add(Double.parseDouble(String.valueOf(v)));
            }
            out.put("load_average", l);
        }
        for (String k : List.of("memory", "swap", "rootfs")) {
            if (s.get(k) instanceof Map<?, ?> m) {
                Map<String, Object> u = Json.map(m);
                long used = Json.longValue(u, "used", 0);
                long total = Json.longValue(u, "total", 0);
                out.put(k, Map.of("used_bytes", used, "total_bytes", total, "percent",
                        total == 0 ? 0.0 : Math.round(used * 1000.0 / total) / 10.0));
            }
        }
        if (s.get("kversion") != null) {
            out.put("kernel", Json.string(s, "kversion"));
        }
        if (s.get("pveversion") != null) {
            out.put("pve_version", Json.string(s, "pveversion"));
        }
        if (s.get("boot-info") instanceof Map<?, ?> boot) {
            out.put("boot_mode", String.valueOf(Json.map(boot).get("mode")));
        }
        int[] guests = new int[4];
        List<Map<String, Object>> storage = new ArrayList<>();
        for (Object o : Json.list(resourcesCall.join())) {
            Map<String, Object> r = Json.map(o);
            if (!node.equals(r.get("node"))) {
                continue;
            }
            String type = String.valueOf(r.get("type"));
            if ((type.equals("qemu") || type.equals("lxc")) && !Json.bool(r, "template", false)) {
                int base = type.equals("qemu") ? 0 : 2;
                guests[base + 1]++;
                if ("running".equals(r.get("status"))) {
                    guests[base]++;
                }
            } else if (type.equals("storage")) {
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("storage", Json.string(r, "storage"));
                st.put("type", r.get("plugintype") == null ? "" : Json.string(r, "plugintype"));
                st.put("shared", Json.bool(r, "shared", false));
                if (r.get("maxdisk") != null) {
                    long total = Json.longValue(r, "maxdisk", 0);
                    long used = Json.longValue(r, "disk", 0);
                    st.put("free_bytes", Math.max(0, total - used));
                    st.put("used_percent", total == 0 ? 0.0 : Math.round(used * 1000.0 / total) / 10.0);
                }
                storage.add(st);
            }
        }
        out.put("guests", Map.of("vms_running", guests[0], "vms_total", guests[1], "containers_running", guests[2],
                "containers_total", guests[3]));
        out.put("storage", storage);
        List<String> bridges = new ArrayList<>();
        for (Object o : Json.list(networkCall.join())) {
            bridges.add(Json.string(Json.map(o), "iface"));
        }
        out.put("bridges", bridges);
        return ToolResult.of(text(out, storage), out);
    }

    @SuppressWarnings("unchecked")
    private static String text(Map<String, Object> out, List<Map<String, Object>> storage) {
        StringBuilder sb = new StringBuilder("Node ").append(out.get("node")).append(" is online");
        if (out.get("uptime_seconds") instanceof Long up) {
            sb.append(" (up ").append(Sizes.duration(up)).append(')');
        }
        sb.append(": ").append(out.getOrDefault("cpus", "?")).append(" CPUs (").append(out.getOrDefault("cpu_model", "?"))
                .append("), ").append(out.getOrDefault("cpu_percent", "?")).append("% busy");
        if (out.get("memory") instanceof Map<?, ?> mem) {
            sb.append(", RAM ").append(Sizes.bytes((Long) mem.get("used_bytes"))).append(" of ")
                    .append(Sizes.bytes((Long) mem.get("total_bytes")));
        }
        Map<String, Object> g = (Map<String, Object>) out.get("guests");
        sb.append(". Guests: ").append(g.get("vms_running")).append(" of ").append(g.get("vms_total"))
                .append(" VMs and ").append(g.get("containers_running")).append(" of ").append(g.get("containers_total"))
                .append(" containers running. Storage: ");
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> s : storage) {
            parts.add(s.get("storage") + (s.get("free_bytes") instanceof Long free ? " " + Sizes.bytes(free) + " free"
                    : ""));
        }
        sb.append(String.join(", ", parts)).append(". Bridges: ").append(String.join(", ",
                (List<String>) out.get("bridges"))).append('.');
        if (out.get("pve_version") != null) {
            sb.append(" ").append(out.get("pve_version")).append('.');
        }
        return sb.toString();
    }
}
