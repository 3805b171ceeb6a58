package io.pvemcp.tools.guest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.ProxmoxException;

/**
 * Describes one guest: its status and its configuration together, with disks, network interfaces and, when the
 * guest tells, its IP addresses; snapshots and pending changes. Subclasses read the type-specific parts of the
 * configuration.
 */
public abstract class GuestInfoTool extends GuestTool {

    private final Map<String, Object> input;
    private final Map<String, Object> output;

    /** @param type the guest type */
    protected GuestInfoTool(GuestType type) {
        super(type);
        this.input = JsonSchema.object()
                .required("vmid", vmidSchema(type))
                .optional("node", guestNodeSchema())
                .build();
        this.output = JsonSchema.object()
                .required("vmid", JsonSchema.integer())
                .required("name", JsonSchema.string())
                .required("node", JsonSchema.string())
                .required("status", JsonSchema.string())
                .optional("qmp_status", JsonSchema.string().description("VMs: running, paused, ..."))
                .optional("uptime_seconds", JsonSchema.integer())
                .optional("cpus", JsonSchema.number())
                .optional("cpu_percent", JsonSchema.number())
                .optional("memory_used_bytes", JsonSchema.integer())
                .optional("memory_max_bytes", JsonSchema.integer())
                .required("template", JsonSchema.bool())
                .optional("lock", JsonSchema.string())
                .required("tags", JsonSchema.array(JsonSchema.string()))
                .optional("os_type", JsonSchema.string())
                .required("onboot", JsonSchema.bool())
                .required("protection", JsonSchema.bool())
                .optional("description", JsonSchema.string())
                .required("ha", JsonSchema.object().required("managed", JsonSchema.bool())
                        .optional("state", JsonSchema.string()).optional("group", JsonSchema.string()))
                .required("disks", JsonSchema.array(JsonSchema.object()
                        .required("key", JsonSchema.string())
                        .required("volume", JsonSchema.string())
                        .optional("storage", JsonSchema.string())
                        .optional("size", JsonSchema.string())
                        .optional("size_bytes", JsonSchema.integer())
                        .optional("mount_point", JsonSchema.string())
                        .optional("media", JsonSchema.string())))
                .required("networks", JsonSchema.array(JsonSchema.object()
                        .required("key", JsonSchema.string())
                        .optional("model", JsonSchema.string())
                        .optional("name", JsonSchema.string())
                        .optional("mac", JsonSchema.string())
                        .optional("bridge", JsonSchema.string())
                        .optional("vlan", JsonSchema.integer())
                        .optional("ip", JsonSchema.string())
                        .optional("gateway", JsonSchema.string())
                        .optional("firewall", JsonSchema.bool())))
                .optional("ip_addresses", JsonSchema.array(JsonSchema.string())
                        .description("Addresses the guest reports (VMs: through the guest agent)"))
                .required("snapshots", JsonSchema.array(JsonSchema.string()))
                .required("pending", JsonSchema.array(JsonSchema.object()
                        .required("key", JsonSchema.string())
                        .optional("current", JsonSchema.anyOfTypes("string", "null"))
                        .optional("pending", JsonSchema.anyOfTypes("string", "null"))
                        .required("delete", JsonSchema.bool())))
                .required("config", JsonSchema.object().additionalProperties(true)
                        .description("The full configuration as Proxmox stores it"))
                .required("notes", JsonSchema.array(JsonSchema.string()))
                .build();
    }

    @Override
    public Map<String, Object> inputSchema() {
        return input;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return output;
    }

    /**
     * @param config the guest's configuration
     * @return its disks as {@code key, volume, storage, size, size_bytes} (and type-specific members)
     */
    protected abstract List<Map<String, Object>> disks(Map<String, Object> config);

    /**
     * @param config the guest's configuration
     * @return its network interfaces as {@code key, mac, bridge, vlan, firewall} (and type-specific members)
     */
    protected abstract List<Map<String, Object>> networks(Map<String, Object> config);

    /**
     * Reads the addresses a running guest reports; called only while it runs.
     *
     * @param proxmox the client
     * @param guest the guest
     * @param config its configuration
     * @param notes where to say why addresses are unknown
     * @return the addresses, loopback left out
     */
    protected abstract List<String> addresses(ProxmoxClient proxmox, GuestRef guest, Map<String, Object> config,
            List<String> notes);

    @Override
    public ToolResult call(ToolCall call) throws Exception {
        GuestRef guest = locate(call);
        if ("unknown".equals(guest.status())) {
            throw new io.pvemcp.api.ToolException("Node " + guest.node() + " is offline, so " + name(guest)
                    + " cannot be described now. Check the cluster with proxmox_cluster_status.");
        }
        ProxmoxClient pve = call.proxmox();
        CompletableFuture<Object> statusCall = pve.get(guest.path("/status/current"), guest.params());
        CompletableFuture<Object> configCall = pve.get(guest.path("/config"), guest.params());
        CompletableFuture<Object> pendingCall = pve.get(guest.path("/pending"), guest.params());
        CompletableFuture<Object> snapshotCall = pve.get(guest.path("/snapshot"), guest.params());
        Map<String, Object> status = Json.map(statusCall.join());
        Map<String, Object> config = new LinkedHashMap<>(Json.map(configCall.join()));
        config.remove("digest");
        List<String> notes = new ArrayList<>();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", guest.vmid());
        out.put("name", status.get("name") != null ? Json.string(status, "name") : guest.name() == null ? ""
                : guest.name());
        out.put("node", guest.node());
        String state = Json.string(status, "status");
        out.put("status", state);
        if (status.get("qmpstatus") != null) {
            out.put("qmp_status", Json.string(status, "qmpstatus"));
        }
        putLong(out, "uptime_seconds", status, "uptime");
        if (status.get("cpus") != null) {
            out.put("cpus", Json.doubleValue(status, "cpus", 0));
        }
        if (status.get("cpu") != null) {
            out.put("cpu_percent", Math.round(Json.doubleValue(status, "cpu", 0) * 1000) / 10.0);
        }
        putLong(out, "memory_used_bytes", status, "mem");
        putLong(out, "memory_max_bytes", status, "maxmem");
        out.put("template", Json.bool(config, "template", false));
        if (status.get("lock") != null || config.get("lock") != null) {
            out.put("lock", Json.string(status.get("lock") != null ? status : config, "lock"));
        }
        out.put("tags", tags(config.get("tags")));
        if (config.get("ostype") != null) {
            out.put("os_type", Json.string(config, "ostype"));
        }
        out.put("onboot", Json.bool(config, "onboot", false));
        out.put("protection", Json.bool(config, "protection", false));
        if (config.get("description") != null) {
            out.put("description", Json.string(config, "description"));
        }
        Map<String, Object> ha = new LinkedHashMap<>();
        Map<String, Object> haStatus = status.get("ha") instanceof Map<?, ?> h ? Json.map(h) : Map.of();
        ha.put("managed", Json.bool(haStatus, "managed", false));
        if (haStatus.get("state") != null) {
            ha.put("state", Json.string(haStatus, "state"));
        }
        if (haStatus.get("group") != null) {
            ha.put("group", Json.string(haStatus, "group"));
        }
        out.put("ha", ha);
        List<Map<String, Object>> disks = disks(config);
        List<Map<String, Object>> networks = networks(config);
        out.put("disks", disks);
        out.put("networks", networks);
        if ("running".equals(state)) {
            List<String> ips = addresses(pve, guest, config, notes);
            if (!ips.isEmpty() || notes.isEmpty()) {
                out.put("ip_addresses", ips);
            }
        }
        List<String> snapshots = new ArrayList<>();
        for (Object o : Json.list(snapshotCall.join())) {
            String snap = Json.string(Json.map(o), "name");
            if (!snap.equals("current")) {
                snapshots.add(snap);
            }
        }
        out.put("snapshots", snapshots);
        List<Map<String, Object>> pending = new ArrayList<>();
        for (Object o : Json.list(pendingCall.join())) {
            Map<String, Object> p = Json.map(o);
            if (p.get("pending") == null && !Json.bool(p, "delete", false)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", Json.string(p, "key"));
            m.put("current", p.get("value") == null ? null : String.valueOf(p.get("value")));
            m.put("pending", p.get("pending") == null ? null : String.valueOf(p.get("pending")));
            m.put("delete", Json.bool(p, "delete", false));
            pending.add(m);
        }
        out.put("pending", pending);
        out.put("config", config);
        if (!pending.isEmpty()) {
            notes.add(pending.size() + " configuration change(s) take effect at the next start of the "
                    + type.noun() + ".");
        }
        out.put("notes", notes);
        return ToolResult.of(text(out, disks, networks, snapshots, pending), out);
    }

    /**
     * Reads a JSON value that may be absent, without failing the whole description.
     *
     * @param future a request
     * @return its data, or {@code null} if it failed with a Proxmox error
     */
    protected static Object optional(CompletableFuture<Object> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ProxmoxException) {
                return null;
            }
            throw e;
        }
    }

    private static void putLong(Map<String, Object> m, String key, Map<String, Object> r, String from) {
        if (r.get(from) != null) {
            m.put(key, Json.longValue(r, from, 0));
        }
    }

    @SuppressWarnings("unchecked")
    private String text(Map<String, Object> out, List<Map<String, Object>> disks, List<Map<String, Object>> networks,
            List<String> snapshots, List<Map<String, Object>> pending) {
        StringBuilder sb = new StringBuilder();
        sb.append(Character.toUpperCase(type.noun().charAt(0))).append(type.noun().substring(1)).append(' ')
                .append(out.get("vmid")).append(" (").append(out.get("name")).append(") on ")
                .append(out.get("node")).append(": ");
        if ((Boolean) out.get("template")) {
            sb.append("template");
        } else {
            sb.append(out.get("status"));
            if ("paused".equals(out.get("qmp_status"))) {
                sb.append(" (paused)");
            }
            if (out.get("uptime_seconds") instanceof Long up && up > 0) {
                sb.append(" for ").append(Sizes.duration(up));
            }
        }
        if (out.get("cpus") != null) {
            sb.append(", ").append(((Number) out.get("cpus")).intValue()).append(" vCPU");
            if ("running".equals(out.get("status")) && out.get("cpu_percent") != null) {
                sb.append(" (").append(out.get("cpu_percent")).append("% busy)");
            }
        }
        if (out.get("memory_max_bytes") instanceof Long max) {
            sb.append(", ");
            if ("running".equals(out.get("status")) && out.get("memory_used_bytes") instanceof Long used) {
                sb.append(Sizes.bytes(used)).append(" of ");
            }
            sb.append(Sizes.bytes(max)).append(" RAM");
        }
        if (out.get("lock") != null) {
            sb.append(", locked (").append(out.get("lock")).append(')');
        }
        sb.append(". Disks: ");
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> d : disks) {
            if ("cdrom".equals(d.get("media"))) {
                String volume = String.valueOf(d.get("volume"));
                parts.add(d.get("key") + " CD-ROM " + (volume.equals("none") ? "empty"
                        : volume.substring(volume.lastIndexOf('/') + 1)));
                continue;
            }
            parts.add(d.get("key") + " " + (d.get("size") != null ? d.get("size") : "?") + (d.get("storage") != null
                    ? " on " + d.get("storage") : ""));
        }
        sb.append(parts.isEmpty() ? "none" : String.join(", ", parts)).append(". Network: ");
        parts.clear();
        for (Map<String, Object> n : networks) {
            parts.add(n.get("key") + (n.get("bridge") != null ? " on " + n.get("bridge") : "") + (n.get("vlan") != null
                    ? " vlan " + n.get("vlan") : "") + (n.get("ip") != null ? " ip " + n.get("ip") : ""));
        }
        sb.append(parts.isEmpty() ? "none" : String.join(", ", parts)).append('.');
        if (out.get("ip_addresses") instanceof List<?> ips && !ips.isEmpty()) {
            sb.append(" Addresses: ").append(String.join(", ", (List<String>) ips)).append('.');
        }
        if (!((List<?>) out.get("tags")).isEmpty()) {
            sb.append(" Tags: ").append(String.join(", ", (List<String>) out.get("tags"))).append('.');
        }
        if ((Boolean) out.get("protection")) {
            sb.append(" Protected from deletion.");
        }
        if ((Boolean) ((Map<String, Object>) out.get("ha")).get("managed")) {
            sb.append(" HA-managed.");
        }
        if (!snapshots.isEmpty()) {
            sb.append(" Snapshots: ").append(String.join(", ", snapshots)).append('.');
        }
        if (!pending.isEmpty()) {
            parts.clear();
            for (Map<String, Object> p : pending) {
                parts.add((Boolean) p.get("delete") ? p.get("key") + " removed" : p.get("key") + " -> " + p.get("pending"));
            }
            sb.append(" Pending until the next start: ").append(String.join(", ", parts)).append('.');
        }
        for (String note : (List<String>) out.get("notes")) {
            if (!note.contains("take effect")) {
                sb.append(' ').append(note);
            }
        }
        return sb.toString();
    }
}
