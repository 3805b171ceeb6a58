package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.pve.sim.internal.state.Perms;
import io.pvemcp.pve.contract.PropertyString;
import io.pvemcp.pve.sim.internal.state.PveError;
import io.pvemcp.pve.sim.internal.state.SimState;
import io.pvemcp.pve.sim.internal.state.SimStorage;
import io.pvemcp.pve.sim.internal.state.SimTask;
import io.pvemcp.pve.sim.internal.state.SimVolume;

/** Storage configuration ({@code /storage}), storage on nodes with its content, and backups ({@code vzdump}). */
final class StorageHandlers {

    private static final Set<String> TYPES = Set.of("dir", "lvmthin", "lvm", "nfs", "cifs", "pbs", "zfspool", "cephfs",
            "rbd", "btrfs", "iscsi", "zfs", "esxi");
    private static final Set<String> CONFIG_CONTROL = Set.of("storage", "type", "content", "nodes", "shared",
            "disable", "delete", "digest", "password", "encryption-key", "keyring", "master-pubkey");

    private StorageHandlers() {
    }

    static void register(Map<String, ApiHandler> h) {
        h.put("GET /storage", StorageHandlers::configList);
        h.put("POST /storage", StorageHandlers::create);
        h.put("GET /storage/{storage}", c -> config(c.state(), storage(c)));
        h.put("PUT /storage/{storage}", StorageHandlers::update);
        h.put("DELETE /storage/{storage}", c -> {
            SimStorage st = storage(c);
            for (var g : c.state().guests().values()) {
                for (String vol : g.diskVolumes().values()) {
                    if (vol.startsWith(st.id() + ":")) {
                        throw PveError.fail("storage '" + st.id() + "' is used by " + g.kind() + " " + g.vmid());
                    }
                }
            }
            c.state().removeStorage(st.id());
            return null;
        });
        h.put("GET /nodes/{node}/storage", StorageHandlers::nodeList);
        h.put("GET /nodes/{node}/storage/{storage}", c -> {
            storage(c);
            List<Map<String, Object>> out = new ArrayList<>();
            for (String s : List.of("content", "download-url", "file-restore", "import-metadata", "prunebackups",
                    "rrd", "rrddata", "status", "upload")) {
                out.add(Map.of("subdir", s));
            }
            return out;
        });
        h.put("GET /nodes/{node}/storage/{storage}/status", c -> {
            SimStorage st = available(c);
            Map<String, Object> m = status(st, c.node());
            m.remove("storage");
            return m;
        });
        h.put("GET /nodes/{node}/storage/{storage}/content", StorageHandlers::content);
        h.put("POST /nodes/{node}/storage/{storage}/content", StorageHandlers::allocate);
        h.put("GET /nodes/{node}/storage/{storage}/content/{volume}", c -> {
            SimVolume v = volume(c);
            checkAccess(c, v);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path(c.state(), v));
            m.put("size", v.size());
            m.put("used", v.parent() != null ? v.size() / 10 : v.size());
            m.put("format", v.format());
            if (v.notes() != null) {
                m.put("notes", v.notes());
            }
            if (v.protectedFlag()) {
                m.put("protected", 1);
            }
            return m;
        });
        h.put("PUT /nodes/{node}/storage/{storage}/content/{volume}", c -> {
            SimVolume v = volume(c);
            if (v.content().equals("backup") && v.vmid() != null) {
                Perms.require(c.state(), c.authid(), "/storage/" + v.storage(), "Datastore.AllocateSpace");
                Perms.require(c.state(), c.authid(), "/vms/" + v.vmid(), "VM.Backup");
            } else {
                Perms.require(c.state(), c.authid(), "/storage/" + v.storage(), "Datastore.Allocate");
            }
            if (c.param("notes") != null) {
                v.notes(c.param("notes").isEmpty() ? null : c.param("notes"));
            }
            if (c.param("protected") != null) {
                if (!v.content().equals("backup")) {
                    throw PveError.fail("volume '" + v.volid() + "' does not support protection");
                }
                v.protectedFlag(c.flag("protected"));
            }
            return null;
        });
        h.put("DELETE /nodes/{node}/storage/{storage}/content/{volume}", StorageHandlers::deleteVolume);
        h.put("GET /nodes/{node}/storage/{storage}/rrddata", c -> {
            SimStorage st = available(c);
            long total = st.total();
            long used = st.used(c.node());
            return Rrd.series(c.param("timeframe"), c.state().clock().seconds(), t -> Map.of("total", total,
                    "used", (long) (used * (0.97 + Rrd.load(st.id().hashCode(), t) * 0.03))));
        });
        h.put("POST /nodes/{node}/vzdump", c -> {
            if (c.param("stdout") != null && c.flag("stdout")) {
                throw PveError.param("stdout", "option is only allowed on the command line interface.");
            }
            SimTask t = c.backups().vzdump(c.node(), c.strings(), c.authid());
            return t == null ? "OK" : t.upid();
        });
        h.put("GET /nodes/{node}/vzdump/extractconfig", c -> {
            String volid = c.param("volume");
            SimVolume v = c.state().volume(c.node(), volid).orElseThrow(() -> PveError.fail("volume '" + volid
                    + "' does not exist"));
            if (v.backupConfig() == null) {
                throw PveError.fail("'" + volid + "' is not a backup archive");
            }
            Perms.require(c.state(), c.authid(), "/storage/" + v.storage(), "Datastore.AllocateSpace");
            Perms.require(c.state(), c.authid(), "/vms/" + v.vmid(), "VM.Backup");
            StringBuilder text = new StringBuilder();
            v.backupConfig().forEach((k, val) -> {
                if (!k.equals("lock") && !k.equals("parent")) {
                    text.append(k).append(": ").append(val).append('\n');
                }
            });
            return text.toString();
        });
        h.put("GET /nodes/{node}/vzdump/defaults", c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("storage", c.param("storage") != null ? c.param("storage") : "local");
            m.put("mode", "snapshot");
            m.put("compress", "zstd");
            m.put("prune-backups", "keep-all=1");
            return m;
        });
    }

    private static SimStorage storage(ApiCall c) {
        String id = c.param("storage");
        return c.state().storage(id).orElseThrow(() -> PveError.fail("storage '" + id + "' does not exist"));
    }

    private static SimStorage available(ApiCall c) {
        SimStorage st = storage(c);
        if (!st.availableOn(c.node())) {
            throw PveError.fail("storage '" + st.id() + "' is not available on node '" + c.node() + "'");
        }
        return st;
    }

    private static List<Map<String, Object>> configList(ApiCall c) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SimStorage st : c.state().storages()) {
            if (c.param("type") != null && !c.param("type").equals(st.type())) {
                continue;
            }
            if (Perms.has(c.state(), c.authid(), "/storage/" + st.id(), "Datastore.Audit")
                    || Perms.has(c.state(), c.authid(), "/storage/" + st.id(), "Datastore.AllocateSpace")) {
                out.add(config(c.state(), st));
            }
        }
        return out;
    }

    static Map<String, Object> config(SimState s, SimStorage st) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("storage", st.id());
        m.put("type", st.type());
        m.put("content", String.join(",", st.content()));
        st.settings().forEach(m::put);
        if (!st.nodes().isEmpty()) {
            m.put("nodes", String.join(",", st.nodes()));
        }
        if (st.shared()) {
            m.put("shared", 1);
        }
        if (st.disabled()) {
            m.put("disable", 1);
        }
        if (st.content().contains("backup")) {
            m.putIfAbsent("prune-backups", "keep-all=1");
        }
        m.put("digest", Integer.toHexString(m.toString().hashCode()));
        return m;
    }

    private static Object create(ApiCall c) {
        String id = c.param("storage");
        String type = c.param("type");
        if (type == null || !TYPES.contains(type)) {
            throw PveError.param("type", "value '" + type + "' does not have a value in the enumeration '"
                    + String.join(", ", TYPES) + "'");
        }
        if (c.state().storage(id).isPresent()) {
            throw PveError.fail("create storage failed: storage ID '" + id + "' already defined");
        }
        switch (type) {
            case "dir" -> requireSetting(c, "path");
            case "nfs" -> {
                requireSetting(c, "server");
                requireSetting(c, "export");
            }
            case "pbs" -> {
                requireSetting(c, "server");
                requireSetting(c, "datastore");
                requireSetting(c, "username");
            }
            case "lvmthin" -> {
                requireSetting(c, "vgname");
                requireSetting(c, "thinpool");
            }
            default -> {
            }
        }
        SimStorage st = c.state().addStorage(id, type);
        st.content().addAll(c.param("content") != null ? c.list("content") : defaultContent(type));
        st.shared(c.flag("shared") || Set.of("nfs", "cifs", "pbs", "cephfs", "rbd").contains(type));
        st.disabled(c.flag("disable"));
        st.nodes().addAll(c.list("nodes"));
        st.total(Set.of("nfs", "cifs", "pbs", "cephfs").contains(type) ? 2048L << 30 : 512L << 30);
        for (var e : c.strings().entrySet()) {
            if (!CONFIG_CONTROL.contains(e.getKey())) {
                st.settings().put(e.getKey(), e.getValue());
            }
        }
        if (type.equals("nfs")) {
            st.settings().putIfAbsent("path", "/mnt/pve/" + id);
        }
        c.state().clusterLog(c.authid(), "added storage '" + id + "' (" + type + ")");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("storage", id);
        out.put("type", type);
        return out;
    }

    private static List<String> defaultContent(String type) {
        return switch (type) {
            case "pbs" -> List.of("backup");
            case "lvmthin", "lvm", "zfspool", "rbd" -> List.of("images", "rootdir");
            default -> List.of("images", "rootdir", "iso", "vztmpl", "backup");
        };
    }

    private static void requireSetting(ApiCall c, String name) {
        if (c.param(name) == null) {
            throw PveError.param(name, "property is missing and it is not optional");
        }
    }

    private static Object update(ApiCall c) {
        SimStorage st = storage(c);
        if (c.param("digest") != null && !c.param("digest").equals(config(c.state(), st).get("digest"))) {
            throw PveError.fail("detected modified configuration - file changed by other user? Try again.");
        }
        if (c.param("content") != null) {
            st.content().clear();
            st.content().addAll(c.list("content"));
        }
        if (c.param("nodes") != null) {
            st.nodes().clear();
            st.nodes().addAll(c.list("nodes"));
        }
        if (c.param("shared") != null) {
            st.shared(c.flag("shared"));
        }
        if (c.param("disable") != null) {
            st.disabled(c.flag("disable"));
        }
        for (String d : c.list("delete")) {
            switch (d) {
                case "nodes" -> st.nodes().clear();
                case "disable" -> st.disabled(false);
                default -> st.settings().remove(d);
            }
        }
        for (var e : c.strings().entrySet()) {
            if (!CONFIG_CONTROL.contains(e.getKey())) {
                st.settings().put(e.getKey(), e.getValue());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("storage", st.id());
        out.put("type", st.type());
        return out;
    }

    private static Map<String, Object> status(SimStorage st, String node) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("storage", st.id());
        m.put("type", st.type());
        m.put("content", String.join(",", st.content()));
        m.put("shared", st.shared() ? 1 : 0);
        m.put("enabled", st.disabled() ? 0 : 1);
        m.put("active", st.disabled() ? 0 : 1);
        if (!st.disabled()) {
            long used = st.used(node);
            m.put("total", st.total());
            m.put("used", used);
            m.put("avail", st.avail(node));
            m.put("used_fraction", Rrd.round(st.total() == 0 ? 0 : (double) used / st.total()));
        }
        return m;
    }

    private static List<Map<String, Object>> nodeList(ApiCall c) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> contentFilter = c.list("content");
        String target = c.param("target");
        for (SimStorage st : c.state().storages()) {
            if (c.param("storage") != null && !c.param("storage").equals(st.id())) {
                continue;
            }
            if (!st.nodes().isEmpty() && !st.nodes().contains(c.node())) {
                continue;
            }
            if (target != null && !st.availableOn(target)) {
                continue;
            }
            if (c.flag("enabled") && st.disabled()) {
                continue;
            }
            if (!contentFilter.isEmpty() && contentFilter.stream().noneMatch(st.content()::contains)) {
                continue;
            }
            if (!Perms.has(c.state(), c.authid(), "/storage/" + st.id(), "Datastore.Audit")
                    && !Perms.has(c.state(), c.authid(), "/storage/" + st.id(), "Datastore.AllocateSpace")) {
                continue;
            }
            Map<String, Object> m = status(st, c.node());
            if (c.flag("format")) {
                m.put("format", List.of(Map.of("raw", 1, "qcow2", 1, "vmdk", 1), st.type().equals("lvmthin") ? "raw"
                        : "qcow2"));
            }
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, Object>> content(ApiCall c) {
        SimStorage st = available(c);
        String content = c.param("content");
        Integer vmid = c.integer("vmid");
        List<Map<String, Object>> out = new ArrayList<>();
        for (SimVolume v : st.volumes(c.node())) {
            if (content != null && !content.equals(v.content())) {
                continue;
            }
            if (vmid != null && !vmid.equals(v.vmid())) {
                continue;
            }
            if (!canAccess(c, v)) {
                continue;
            }
            out.add(describe(v));
        }
        out.sort((a, b) -> String.valueOf(a.get("volid")).compareTo(String.valueOf(b.get("volid"))));
        return out;
    }

    static Map<String, Object> describe(SimVolume v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("volid", v.volid());
        m.put("content", v.content());
        m.put("format", v.format());
        m.put("size", v.size());
        if (v.content().equals("images") || v.content().equals("rootdir")) {
            m.put("used", v.parent() != null ? v.size() / 10 : v.size());
        }
        if (v.vmid() != null) {
            m.put("vmid", v.vmid());
        }
        m.put("ctime", v.ctime());
        if (v.parent() != null) {
            m.put("parent", v.parent().substring(v.parent().indexOf(':') + 1));
        }
        if (v.content().equals("backup")) {
            m.put("subtype", v.backupType());
            if (v.notes() != null) {
                m.put("notes", v.notes());
            }
            m.put("protected", v.protectedFlag() ? 1 : 0);
            if (v.format().startsWith("pbs")) {
                m.put("verification", Map.of("state", "ok", "upid",
                        "UPID:pbs:0000C0DE:0001F00D:00000001:" + Long.toHexString(v.ctime()).toUpperCase() + ":verify:main:root@pam:"));
            }
        }
        return m;
    }

    private static boolean canAccess(ApiCall c, SimVolume v) {
        try {
            checkAccess(c, v);
            return true;
        } catch (PveError e) {
            return false;
        }
    }

    /** Access to a volume, as PVE::Storage::check_volume_access decides it. */
    private static void checkAccess(ApiCall c, SimVolume v) {
        SimState s = c.state();
        String authid = c.authid();
        String sp = "/storage/" + v.storage();
        if (Perms.has(s, authid, sp, "Datastore.Allocate")) {
            return;
        }
        switch (v.content()) {
            case "iso", "vztmpl", "import", "snippets" -> Perms.requireAny(s, authid, sp, "Datastore.AllocateSpace",
                    "Datastore.Audit");
            case "backup" -> {
                Perms.require(s, authid, sp, "Datastore.AllocateSpace");
                if (v.vmid() != null) {
                    Perms.require(s, authid, "/vms/" + v.vmid(), "VM.Backup");
                }
            }
            default -> {
                if (v.vmid() == null) {
                    throw PveError.fail("missing privileges to access " + v.volid());
                }
                Perms.require(s, authid, sp, "Datastore.Audit");
                Perms.require(s, authid, "/vms/" + v.vmid(), "VM.Config.Disk");
            }
        }
    }

    private static SimVolume volume(ApiCall c) {
        String volume = c.param("volume");
        String storage = c.param("storage");
        String volid;
        if (volume.contains(":")) {
            String sid = volume.substring(0, volume.indexOf(':'));
            if (storage != null && !storage.equals(sid)) {
                throw PveError.fail("storage ID mismatch (" + sid + " != " + storage + ")");
            }
            volid = volume;
        } else {
            if (storage == null) {
                throw PveError.param("volume", "no storage specified - incomplete volume ID");
            }
            volid = storage + ":" + volume;
        }
        String sid = volid.substring(0, volid.indexOf(':'));
        c.state().storage(sid).orElseThrow(() -> PveError.fail("storage '" + sid + "' does not exist"));
        return c.state().volume(c.node(), volid).orElseThrow(() -> PveError.fail("volume '" + volid
                + "' does not exist"));
    }

    private static String path(SimState s, SimVolume v) {
        SimStorage st = s.storage(v.storage()).orElseThrow();
        String rel = v.volid().substring(v.volid().indexOf(':') + 1);
        return switch (st.type()) {
            case "lvmthin", "lvm" -> "/dev/" + st.settings().getOrDefault("vgname", "pve") + "/"
                    + rel.substring(rel.lastIndexOf('/') + 1);
            case "pbs" -> rel;
            default -> {
                String base = st.settings().getOrDefault("path", "/mnt/pve/" + st.id());
                String dir = switch (v.content()) {
                    case "images", "rootdir" -> "images/";
                    case "iso" -> "template/iso/";
                    case "vztmpl" -> "template/cache/";
                    case "backup" -> "dump/";
                    default -> "";
                };
                yield base + "/" + dir + rel.substring(rel.indexOf('/') + 1);
            }
        };
    }

    private static Object allocate(ApiCall c) {
        SimStorage st = available(c);
        int vmid = c.integer("vmid");
        String filename = c.param("filename");
        String size = c.param("size");
        long bytes;
        try {
            bytes = PropertyString.parseSize(size.matches("\\d+") ? size + "K" : size);
        } catch (IllegalArgumentException e) {
            throw PveError.param("size", "unable to parse size '" + size + "'");
        }
        if (!filename.matches("(vm|base)-" + vmid + "-.+")) {
            throw PveError.param("filename", "name must begin with 'vm-" + vmid + "-'");
        }
        if (!st.content().contains("images") && !st.content().contains("rootdir")) {
            throw PveError.fail("storage '" + st.id() + "' does not support vm images");
        }
        String format = c.param("format") != null ? c.param("format") : st.type().equals("lvmthin") ? "raw" : "qcow2";
        String volid = st.type().equals("lvmthin") || st.type().equals("lvm") ? st.id() + ":" + stripExt(filename)
                : st.id() + ":" + vmid + "/" + stripExt(filename) + "." + format;
        if (c.state().volume(c.node(), volid).isPresent()) {
            throw PveError.fail("volume '" + volid + "' already exists");
        }
        if (bytes > st.avail(c.node())) {
            throw PveError.fail("unable to allocate " + size + " on storage '" + st.id() + "': not enough free space");
        }
        c.state().volumes().register(st, c.node(), volid, "images", bytes, vmid, c.state().clock().seconds());
        return volid;
    }

    private static String stripExt(String filename) {
        int dot = filename.indexOf('.');
        return dot < 0 ? filename : filename.substring(0, dot);
    }

    private static Object deleteVolume(ApiCall c) {
        SimVolume v = volume(c);
        SimState s = c.state();
        if (v.content().equals("backup") && v.vmid() != null) {
            Perms.require(s, c.authid(), "/storage/" + v.storage(), "Datastore.AllocateSpace");
            Perms.require(s, c.authid(), "/vms/" + v.vmid(), "VM.Backup");
        } else {
            Perms.require(s, c.authid(), "/storage/" + v.storage(), "Datastore.Allocate");
        }
        String id = (v.vmid() != null ? v.vmid() + "@" : "") + v.storage();
        String node = c.node();
        SimTask t = s.tasks().start(node, "imgdel", id, c.authid(), 500, null, task -> {
            if (v.protectedFlag()) {
                throw PveError.fail("volume '" + v.volid() + "' is protected");
            }
            for (var g : s.guests().values()) {
                if (g.diskVolumes().containsValue(v.volid()) && g.running()) {
                    throw PveError.fail("volume '" + v.volid() + "' is in use by " + g.kind() + " " + g.vmid());
                }
            }
            for (SimStorage st : s.storages()) {
                for (SimVolume other : st.volumes(node)) {
                    if (v.volid().equals(other.parent())) {
                        throw PveError.fail("base volume '" + v.volid() + "' is still in use by linked cloned");
                    }
                }
            }
            s.volumes().free(node, v.volid());
            task.log("Removed volume '" + v.volid() + "'");
        }, null);
        Integer delay = c.integer("delay");
        if (delay != null && !t.running()) {
            if (!"OK".equals(t.exitstatus())) {
                throw PveError.fail(t.exitstatus());
            }
            return null;
        }
        return t.upid();
    }
}
