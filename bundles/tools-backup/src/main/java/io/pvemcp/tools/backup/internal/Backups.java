package io.pvemcp.tools.backup.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.tools.guest.Sizes;
import io.pvemcp.tools.guest.StorageScan;

/** Backups as the backup tools find and describe them: on every storage that holds backups, newest first. */
final class Backups {

    /** A backup and the storage it is on. */
    record Found(StorageScan.Place place, Map<String, Object> backup) {

        String volid() {
            return (String) backup.get("volid");
        }

        /** @return {@code qemu} or {@code lxc} */
        String type() {
            return (String) backup.get("type");
        }

        long vmid() {
            return ((Number) backup.get("vmid")).longValue();
        }

        String noun() {
            return type().equals("qemu") ? "VM" : "container";
        }

        String when() {
            Object created = backup.get("created");
            return created == null ? "of unknown date" : "of " + ((String) created).replace('T', ' ')
                    .replaceFirst(":\\d\\dZ$", " UTC");
        }
    }

    private Backups() {
    }

    static JsonSchema backupSchema() {
        return StorageScan.volumeSchema()
                .required("type", JsonSchema.string().enumValues("qemu", "lxc"))
                .optional("guest", JsonSchema.string().description("name of the guest with that VMID now"))
                .optional("age", JsonSchema.string());
    }

    /**
     * @param vmid only backups of this guest, or {@code null}
     * @param storage only this storage, or {@code null}
     * @param node only storage of this node, or {@code null}
     * @param warnings collects what could not be read
     * @return the backups, newest first
     */
    static List<Found> list(ToolCall call, Integer vmid, String storage, String node, List<String> warnings) {
        Set<String> offline = new LinkedHashSet<>();
        Map<Long, String> names = new LinkedHashMap<>();
        for (Object o : Json.list(call.proxmox().get("/cluster/resources", Map.of("type", "vm")).join())) {
            Map<String, Object> r = Json.map(o);
            names.put(Json.longValue(r, "vmid", 0), r.get("name") == null ? "" : Json.string(r, "name"));
        }
        List<Found> out = new ArrayList<>();
        for (StorageScan.Place p : StorageScan.places(call, node, storage, "backup", offline)) {
            if (!p.available()) {
                continue;
            }
            try {
                for (Map<String, Object> v : StorageScan.content(call, p, "backup", vmid)) {
                    out.add(new Found(p, describe(v, names)));
                }
            } catch (ProxmoxException e) {
                warnings.add("Storage " + p.storage() + " on " + p.node() + " could not be read: " + e.getMessage());
            }
        }
        offline.forEach(n -> warnings.add("Node " + n + " is offline: backups on its local storage are not listed."));
        out.sort(Comparator.comparingLong((Found f) -> ((Number) f.backup().getOrDefault("ctime", 0L)).longValue())
                .reversed().thenComparing(Found::volid));
        return out;
    }

    private static Map<String, Object> describe(Map<String, Object> v, Map<Long, String> names) {
        Map<String, Object> m = new LinkedHashMap<>(v);
        String volid = (String) v.get("volid");
        String format = String.valueOf(v.getOrDefault("format", ""));
        m.put("type", volid.contains("/ct/") || volid.contains("-lxc-") || format.startsWith("tar")
                || format.equals("pbs-ct") ? "lxc" : "qemu");
        if (v.get("vmid") == null) {
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("(?:vzdump-(?:qemu|lxc)-|/(?:vm|ct)/)(\\d+)")
                    .matcher(volid);
            if (id.find()) {
                m.put("vmid", Long.parseLong(id.group(1)));
            }
        }
        Object vmid = m.get("vmid");
        if (vmid != null && names.get(((Number) vmid).longValue()) != null) {
            m.put("guest", names.get(((Number) vmid).longValue()));
        }
        Object ctime = v.get("ctime");
        if (ctime instanceof Number n) {
            m.put("age", Sizes.duration(Math.max(0, Instant.now().getEpochSecond() - n.longValue())));
        }
        return m;
    }

    /**
     * @param volid a backup's volume id
     * @param node the node of a local storage, or {@code null} to search
     * @return the backup
     * @throws ToolException if there is none, or it is on several nodes' local storage and no node was given
     */
    static Found find(ToolCall call, String volid, String node) {
        String storage = StorageScan.storageOf(volid);
        List<String> warnings = new ArrayList<>();
        List<Found> found = list(call, null, storage, node, warnings).stream().filter(f -> volid.equals(f.volid()))
                .toList();
        if (found.isEmpty()) {
            throw new ToolException("There is no backup " + volid + (node == null ? "" : " on " + node) + "."
                    + (warnings.isEmpty() ? "" : " " + String.join(" ", warnings))
                    + " proxmox_backup_list shows the backups.");
        }
        if (found.size() > 1) {
            throw new ToolException(volid + " is on " + found.size() + " nodes (" + String.join(", ",
                    found.stream().map(f -> f.place().node()).toList()) + "); say which with node.");
        }
        if (found.get(0).backup().get("vmid") == null) {
            throw new ToolException(volid + " does not say which guest it holds; restore it with Proxmox itself.");
        }
        return found.get(0);
    }

    /** @return the configuration a backup holds, as {@code vzdump/extractconfig} reads it */
    static Map<String, Object> config(ToolCall call, Found f) {
        Object text = call.proxmox().get("/nodes/{node}/vzdump/extractconfig", Map.of("node", f.place().node(),
                "volume", f.volid())).join();
        Map<String, Object> config = new LinkedHashMap<>();
        for (String line : String.valueOf(text).split("\n")) {
            if (line.startsWith("[")) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                config.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return config;
    }

    /** @return a one-line picture of a guest's configuration: name, cores, memory, disks */
    static String picture(String type, Map<String, Object> config) {
        List<String> parts = new ArrayList<>();
        Object name = config.get(type.equals("qemu") ? "name" : "hostname");
        if (name != null) {
            parts.add(String.valueOf(name));
        }
        if (config.get("cores") != null) {
            parts.add(config.get("cores") + " cores");
        }
        if (config.get("memory") != null) {
            parts.add(String.valueOf(config.get("memory")).replaceFirst("^current=", "") + " MiB");
        }
        List<String> disks = new ArrayList<>();
        for (Map.Entry<String, Object> e : config.entrySet()) {
            String value = String.valueOf(e.getValue());
            if (e.getKey().matches("(scsi|virtio|sata|ide|efidisk|rootfs|mp)\\d*") && !value.contains("media=cdrom")) {
                java.util.regex.Matcher size = java.util.regex.Pattern.compile("size=(\\w+)").matcher(value);
                disks.add(e.getKey() + (size.find() ? " " + size.group(1) : ""));
            }
        }
        if (!disks.isEmpty()) {
            parts.add("disks " + String.join(", ", disks));
        }
        return String.join(", ", parts);
    }
}
