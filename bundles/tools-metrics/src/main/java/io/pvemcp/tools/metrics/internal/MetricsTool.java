package io.pvemcp.tools.metrics.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.pvemcp.api.Content;
import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.Guests;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.StorageScan;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox_metrics}: the time series Proxmox VE keeps of a node, a guest or a storage ({@code rrddata}),
 * summarised for the model and drawn as a PNG chart for the person.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_metrics", title = "Metrics over time", risk = Risk.READ, category = "metrics",
        idempotent = true,
        description = "CPU, memory, network, disk I/O of a node or guest (or a storage's use), an hour to a year: "
                + "min/avg/max/last, peaks, PNG chart.")
public final class MetricsTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("vmid", JsonSchema.integer().minimum(100).maximum(999_999_999).description("A VM or container"))
            .optional("node", GuestTool.nodeSchema("A node, or the node of storage"))
            .optional("storage", StorageScan.storageSchema("A storage"))
            .optional("timeframe", JsonSchema.string().enumValues("hour", "day", "week", "month", "year")
                    .defaultValue("hour"))
            .optional("cf", JsonSchema.string().enumValues("AVERAGE", "MAX").defaultValue("AVERAGE"))
            .optional("chart", JsonSchema.bool().defaultValue(true))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("target", JsonSchema.string())
            .required("timeframe", JsonSchema.string())
            .required("cf", JsonSchema.string())
            .required("points", JsonSchema.integer())
            .optional("from", JsonSchema.string())
            .optional("to", JsonSchema.string())
            .required("series", JsonSchema.object().additionalProperties(true)
                    .description("Per series: min, avg, max, last, peak_at"))
            .required("busiest", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
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
        String node = call.arguments().string("node", null);
        String storage = call.arguments().string("storage", null);
        String timeframe = call.arguments().string("timeframe", "hour");
        String cf = call.arguments().string("cf", "AVERAGE");
        if ((vmid != null ? 1 : 0) + (storage != null ? 1 : 0) + (node != null && storage == null && vmid == null ? 1
                : 0) != 1) {
            throw ToolException.invalidArgument("vmid", "name one thing: a vmid (a guest), a storage (with its node, "
                    + "or the first node that has it), or a node alone");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("timeframe", timeframe);
        params.put("cf", cf);
        String target;
        String title;
        String path;
        List<Rrd.Spec> specs;
        if (vmid != null) {
            GuestRef g = Futures.join(Guests.locate(pve, (int) (long) vmid, null, node));
            params.put("node", g.node());
            params.put("vmid", g.vmid());
            path = "/nodes/{node}/" + g.type() + "/{vmid}/rrddata";
            target = ("qemu".equals(g.type()) ? "VM " : "Container ") + g.vmid() + (g.name() == null ? ""
                    : " (" + g.name() + ")") + " on " + g.node();
            specs = Rrd.GUEST;
        } else if (storage != null) {
            String at = node != null ? node : nodeOf(pve, storage);
            params.put("node", at);
            params.put("storage", storage);
            path = "/nodes/{node}/storage/{storage}/rrddata";
            target = "Storage " + storage + " on " + at;
            specs = Rrd.STORAGE;
        } else {
            params.put("node", node);
            path = "/nodes/{node}/rrddata";
            target = "Node " + node;
            specs = Rrd.NODE;
        }
        Rrd rrd = new Rrd(Futures.join(pve.get(path, params)), specs);
        Map<String, Object> series = rrd.summary();
        String primary = specs.get(0).key();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("target", target);
        out.put("timeframe", timeframe);
        out.put("cf", cf);
        out.put("points", rrd.size());
        if (rrd.size() > 0) {
            out.put("from", java.time.Instant.ofEpochSecond(rrd.from()).toString());
            out.put("to", java.time.Instant.ofEpochSecond(rrd.to()).toString());
        }
        out.put("series", series);
        out.put("busiest", rrd.busiest(primary, 3));
        String text = text(target, timeframe, cf, rrd.size(), series);
        if (series.isEmpty() || !call.arguments().bool("chart", true)) {
            return ToolResult.of(text, out);
        }
        byte[] png = Chart.draw(target.replace("(", "").replace(")", "") + " - last " + timeframe + " ("
                + cf.toLowerCase(Locale.ROOT) + ")", rrd.panels(), Rrd.axisTime(rrd.from(), timeframe),
                Rrd.axisTime(rrd.to(), timeframe));
        return ToolResult.of(text, out, List.of(Content.image(png, "image/png")));
    }

    private static String nodeOf(ProxmoxClient pve, String storage) {
        List<String> nodes = new ArrayList<>();
        for (Object o : Json.list(Futures.join(pve.get("/cluster/resources", Map.of("type", "storage"))))) {
            Map<String, Object> r = Json.map(o);
            if (storage.equals(Json.string(r, "storage")) && "available".equals(Json.string(r, "status"))) {
                nodes.add(Json.string(r, "node"));
            }
        }
        if (nodes.isEmpty()) {
            throw ToolException.invalidArgument("storage", "no online node has a storage " + storage + "; "
                    + "proxmox_storage_list shows the storages");
        }
        return nodes.stream().sorted().findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static String text(String target, String timeframe, String cf, int points, Map<String, Object> series) {
        StringBuilder sb = new StringBuilder(target).append(", last ").append(timeframe).append(", ")
                .append(cf.toLowerCase(Locale.ROOT)).append(" of ").append(points).append(" points");
        if (series.isEmpty()) {
            return sb.append(": no data (it was not running or not online then).").toString();
        }
        List<String> parts = new ArrayList<>();
        for (var e : series.entrySet()) {
            Map<String, Object> s = (Map<String, Object>) e.getValue();
            String k = e.getKey();
            parts.add(k.replace("_percent", "").replace("_bytes_per_s", "").replace('_', ' ') + " avg "
                    + value(k, s.get("avg")) + ", max " + value(k, s.get("max")) + " at "
                    + peak(s.get("peak_at").toString(), timeframe) + ", now " + value(k, s.get("last")));
        }
        return sb.append(": ").append(String.join("; ", parts)).append('.').toString();
    }

    /** @return when a series peaked: the clock within a day, the date and clock beyond */
    private static String peak(String iso, String timeframe) {
        return "hour".equals(timeframe) || "day".equals(timeframe) ? iso.substring(11, 16) + " UTC"
                : iso.substring(5, 10) + " " + iso.substring(11, 16) + " UTC";
    }

    private static String value(String key, Object v) {
        double d = ((Number) v).doubleValue();
        if (key.endsWith("_percent")) {
            return String.format(Locale.ROOT, "%.1f%%", d);
        }
        if (key.endsWith("_bytes_per_s")) {
            return Rrd.bytes(d) + "/s";
        }
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
