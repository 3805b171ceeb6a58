package io.pvemcp.pve.sim.internal.state;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pvemcp.pve.contract.PropertyString;

/**
 * What VMs and containers do: creation (with disk allocation), configuration changes with pending values,
 * the power lifecycle, deletion, cloning, migration, disk resize, templates and snapshots. Each method checks
 * what Proxmox VE checks before it forks a worker (failing the request) and what the worker checks (failing the
 * task), with Proxmox VE's messages. Call with the {@link SimState} lock held.
 */
public final class Guests {

    /** Parameters of create calls that steer the call rather than go into the configuration. */
    private static final Set<String> CREATE_CONTROL = Set.of("node", "vmid", "archive", "force", "start", "storage",
            "pool", "unique", "bwlimit", "live-restore", "import-working-storage", "ha-managed", "password",
            "ssh-public-keys", "ostemplate", "restore", "ignore-unpack-errors");
    /** Options that take effect at once even on a running guest. */
    private static final Set<String> FAST_PLUG = Set.of("name", "hostname", "description", "onboot", "protection",
            "startup", "tags", "lock", "hookscript", "shares", "migrate_downtime", "migrate_speed", "vmstatestorage");
    private static final Pattern ALLOCATION = Pattern.compile("([a-zA-Z][a-zA-Z0-9\\-_.]*[a-zA-Z0-9]):(\\d+(?:\\.\\d+)?|cloudinit)");
    private static final Set<String> NIC_MODELS = Set.of("e1000", "e1000-82540em", "e1000-82544gc", "e1000-82545em",
            "e1000e", "i82551", "i82557b", "i82559er", "ne2k_isa", "ne2k_pci", "pcnet", "rtl8139", "virtio", "vmxnet3");
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final long CREATE_MS = 3000;
    private static final long START_MS = 2500;
    private static final long STOP_MS = 1000;
    private static final long SHUTDOWN_MS = 4000;
    private static final long REBOOT_MS = 5000;
    private static final long DESTROY_MS = 1500;
    private static final long CLONE_MS = 8000;
    private static final long MIGRATE_MS = 6000;
    private static final long SNAPSHOT_MS = 2000;

    private final SimState s;

    /** @param state the cluster */
    public Guests(SimState state) {
        this.s = state;
    }

    // ---- lookups and checks

    /**
     * Finds a guest as a node finds its configuration file.
     *
     * @param type {@code qemu} or {@code lxc}
     * @param node the node addressed
     * @param vmid the VMID
     * @return the guest
     * @throws PveError 500 {@code Configuration file '...' does not exist} if it is not there
     */
    public SimGuest require(String type, String node, int vmid) {
        SimGuest g = s.guests().get(vmid);
        if (g == null || !g.type.equals(type) || !g.node.equals(node)) {
            throw PveError.fail("Configuration file '" + SimGuest.configPath(type, node, vmid) + "' does not exist");
        }
        return g;
    }

    static void checkLock(SimGuest g, boolean skiplock) {
        if (!skiplock && g.lock() != null) {
            throw PveError.fail(g.kind() + " is locked (" + g.lock() + ")");
        }
    }

    private void checkQuorum() {
        if (!s.quorate()) {
            throw PveError.fail("cluster not ready - no quorum?");
        }
    }

    private SimTask task(SimGuest g, String qemuType, String lxcType, String authid, long millis, Tasks.Step begin,
            Tasks.Step finish, Tasks.Step abort) {
        return s.tasks().start(g.node, g.type.equals("qemu") ? qemuType : lxcType, Integer.toString(g.vmid), authid,
                millis, begin, finish, abort);
    }

    // ---- creation

    /**
     * Creates a VM or container ({@code POST /nodes/{node}/qemu|lxc}), or restores one from a backup.
     *
     * @param type {@code qemu} or {@code lxc}
     * @param node the node
     * @param vmid the new VMID
     * @param params every parameter of the call, booleans as {@code 0}/{@code 1}
     * @param authid the caller
     * @return the {@code qmcreate}/{@code vzcreate} (or restore) task
     */
    public SimTask create(String type, String node, int vmid, Map<String, String> params, String authid) {
        String pool = params.get("pool");
        boolean lxc = type.equals("lxc");
        String archive = lxc ? ("1".equals(params.get("restore")) ? params.get("ostemplate") : null) : params.get("archive");
        boolean force = "1".equals(params.get("force"));
        checkQuorum();
        if (pool != null && !s.pools().containsKey(pool)) {
            throw PveError.fail("pool '" + pool + "' does not exist");
        }
        if (!Perms.has(s, authid, "/vms/" + vmid, "VM.Allocate")
                && !(pool != null && Perms.has(s, authid, "/pool/" + pool, "VM.Allocate"))) {
            throw PveError.permission("/vms/" + vmid, "VM.Allocate");
        }
        if (params.get("storage") != null) {
            Perms.require(s, authid, "/storage/" + params.get("storage"), "Datastore.AllocateSpace");
        }
        java.util.List<String> options = new ArrayList<>();
        for (String k : params.keySet()) {
            if (!CREATE_CONTROL.contains(k)) {
                options.add(k);
            }
        }
        ConfigPrivileges.check(s, authid, type, vmid, pool, options);
        SimGuest existing = s.guests().get(vmid);
        String what = archive != null ? "unable to restore " + (lxc ? "CT " : "VM ") + vmid + " -"
                : "unable to create " + (lxc ? "CT " : "VM ") + vmid + " -";
        if (existing != null) {
            if (!(archive != null && force)) {
                throw PveError.fail(what + " " + existing.kind() + " " + vmid + " already exists on node '"
                        + existing.node + "'");
            }
            if (!existing.node.equals(node) || !existing.type.equals(type)) {
                throw PveError.fail(what + " " + existing.kind() + " " + vmid + " already exists on node '"
                        + existing.node + "'");
            }
            if (existing.protectedFlag()) {
                throw PveError.fail(what + " protection mode enabled");
            }
            if (existing.running()) {
                throw PveError.fail(what + " " + (lxc ? "CT is running" : "vm is running"));
            }
            checkLock(existing, false);
        }
        Map<String, String> config = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            if (!CREATE_CONTROL.contains(e.getKey())) {
                config.put(e.getKey(), e.getValue());
            }
        }
        canonicalTags(config);
        if (!lxc && config.containsKey("cdrom")) {
            config.put("ide2", config.remove("cdrom") + (config.get("cdrom") == null ? ",media=cdrom" : ""));
        }
        SimVolume backup = null;
        if (archive != null) {
            backup = s.volume(node, archive).orElseThrow(() -> PveError.fail("volume '" + archive + "' does not exist"));
            if (!"backup".equals(backup.content) || backup.backupType == null) {
                throw PveError.fail(what + " '" + archive + "' is not a backup archive");
            }
            if (!backup.backupType.equals(type)) {
                throw PveError.fail(what + " backup '" + archive + "' holds a " + (backup.backupType.equals("qemu")
                        ? "VM" : "container") + ", not a " + (lxc ? "container" : "VM"));
            }
            Perms.requireAny(s, authid, "/storage/" + backup.storage, "Datastore.AllocateSpace", "Datastore.Audit");
            for (String key : config.keySet()) {
                if (new SimGuest(type, vmid, node).isDiskKey(key)) {
                    throw PveError.param(key, "option conflicts with option 'archive'");
                }
            }
        } else if (lxc) {
            String template = params.get("ostemplate");
            if (template == null) {
                throw PveError.param("ostemplate", "property is missing and it is not optional");
            }
            SimVolume t = s.volume(node, template).orElseThrow(
                    () -> PveError.fail("volume '" + template + "' does not exist"));
            if (!"vztmpl".equals(t.content) && !"backup".equals(t.content)) {
                throw PveError.fail("'" + template + "' is not a container template");
            }
            config.putIfAbsent("rootfs", params.getOrDefault("storage", "local") + ":4");
            config.putIfAbsent("hostname", "CT" + vmid);
            config.putIfAbsent("arch", "amd64");
            config.putIfAbsent("ostype", osTypeOf(template));
        }
        SimGuest probe = new SimGuest(type, vmid, node);
        String defaultStorage = params.get("storage");
        List<String[]> allocations = new ArrayList<>();
        for (var e : new ArrayList<>(config.entrySet())) {
            String key = e.getKey();
            if (key.matches("net\\d+")) {
                config.put(key, lxc ? normalizeCtNet(e.getValue()) : normalizeVmNet(key, e.getValue()));
            } else if (probe.isDiskKey(key)) {
                int before = allocations.size();
                checkDisk(probe, node, key, e.getValue(), defaultStorage, authid, allocations);
                if (allocations.size() == before && archive == null) {
                    config.put(key, withVolumeSize(probe, e.getValue()));
                }
            }
        }
        if (!lxc) {
            config.putIfAbsent("smbios1", "uuid=" + UUID.randomUUID());
            config.putIfAbsent("vmgenid", UUID.randomUUID().toString());
            if ("1".equals(config.get("vmgenid"))) {
                config.put("vmgenid", UUID.randomUUID().toString());
            }
            config.put("meta", "creation-qemu=10.1.2,ctime=" + s.clock().seconds());
        }
        boolean start = "1".equals(params.get("start"));
        if (start) {
            Perms.require(s, authid, "/vms/" + vmid, "VM.PowerMgmt");
        }
        Map<String, String> restoreConfig = backup == null ? null : backup.backupConfig;
        String backupVolid = backup == null ? null : backup.volid;
        SimGuest g;
        if (existing != null) {
            g = existing;
            destroyDisks(g);
            g.config.clear();
            g.pending.clear();
            g.pendingDelete.clear();
            g.snapshots.clear();
        } else {
            g = s.newGuest(type, vmid, node);
        }
        g.config.put("lock", "create");
        String taskType = archive != null ? (lxc ? "vzrestore" : "qmrestore") : (lxc ? "vzcreate" : "qmcreate");
        long millis = archive != null ? 8000 : lxc ? 6000 : CREATE_MS;
        return s.tasks().start(node, taskType, Integer.toString(vmid), authid, millis, t -> {
            if (restoreConfig != null) {
                t.log("restore " + (lxc ? "tar" : "vma") + " archive '" + backupVolid + "'");
            } else if (lxc) {
                t.log("extracting archive '" + params.get("ostemplate") + "'");
            }
        }, t -> {
            Map<String, String> target = new LinkedHashMap<>();
            if (restoreConfig != null) {
                for (var e : restoreConfig.entrySet()) {
                    if (!e.getKey().equals("lock") && !e.getKey().equals("parent")) {
                        target.put(e.getKey(), e.getValue());
                    }
                }
                restoreDisks(g, target, defaultStorage, t);
                target.putAll(config);
            } else {
                target.putAll(config);
                for (String[] a : allocations) {
                    target.put(a[0], allocate(g, a, t));
                }
            }
            g.config.clear();
            g.config.putAll(target);
            if (pool != null) {
                s.pools().get(pool).vmids.add(vmid);
            }
            if (lxc && restoreConfig == null) {
                t.log("Detected container architecture: " + g.config.get("arch"));
                t.log("Creating SSH host keys");
            }
            if (start) {
                checkBridges(g);
                g.status = "running";
                g.startedAt = s.clock().seconds();
                t.log("start " + g.kind() + " " + vmid);
            }
        }, t -> {
            if (existing == null) {
                destroyDisks(g);
                s.removeGuest(vmid);
            } else {
                g.config.remove("lock");
            }
        });
    }

    /** Tags as Proxmox VE stores them ({@code get_unique_tags}): lower case, deduplicated, sorted, {@code ;}-joined. */
    static String tags(String value) {
        java.util.TreeSet<String> unique = new java.util.TreeSet<>();
        for (String t : value.split("[,;\\s]+")) {
            if (!t.isEmpty()) {
                unique.add(t.toLowerCase(Locale.ROOT));
            }
        }
        return String.join(";", unique);
    }

    private static void canonicalTags(Map<String, String> config) {
        if (config.containsKey("tags")) {
            config.put("tags", tags(config.get("tags")));
        }
    }

    /**
     * An existing volume attached or changed without its size ({@code scsi1=local-lvm:vm-100-disk-1,cache=none}) gets
     * the size read from the storage, as qemu-server's {@code create_disks} does; without it the next resize fails.
     */
    private String withVolumeSize(SimGuest g, String value) {
        if (SimGuest.isCdrom(value)) {
            return value;
        }
        Map<String, String> disk = PropertyString.parse(value, g.volumeKey());
        String file = disk.get(g.volumeKey());
        if (file == null || disk.containsKey("size")) {
            return value;
        }
        return s.volume(g.node, file).map(v -> {
            disk.put("size", PropertyString.formatSize(v.size));
            return PropertyString.format(disk, g.volumeKey());
        }).orElse(value);
    }

    private static String osTypeOf(String template) {
        String name = template.substring(template.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        for (String os : List.of("debian", "ubuntu", "alpine", "centos", "fedora", "archlinux", "opensuse",
                "almalinux", "rockylinux", "gentoo", "devuan", "nixos")) {
            if (name.startsWith(os)) {
                return os.equals("almalinux") || os.equals("rockylinux") ? "centos" : os;
            }
        }
        return "unmanaged";
    }

    /** Validates one disk of a create or update call; new allocations are recorded for the worker. */
    private void checkDisk(SimGuest g, String node, String key, String value, String defaultStorage, String authid,
            List<String[]> allocations) {
        Map<String, String> disk = PropertyString.parse(value, g.volumeKey());
        String file = disk.get(g.volumeKey());
        if (file == null) {
            throw PveError.param(key, "invalid format - missing volume");
        }
        if (SimGuest.isCdrom(value)) {
            if (!file.equals("none") && !file.equals("cdrom")) {
                Matcher m = ALLOCATION.matcher(file);
                if (m.matches() && m.group(2).equals("cloudinit")) {
                    allocations.add(new String[] {key, value, m.group(1), "cloudinit"});
                    return;
                }
                SimVolume iso = s.volume(node, file).orElseThrow(
                        () -> PveError.fail("volume '" + file + "' does not exist"));
                Perms.requireAny(s, authid, "/storage/" + iso.storage, "Datastore.AllocateSpace", "Datastore.Audit");
                if (!iso.content.equals("iso")) {
                    throw PveError.fail("volume '" + file + "' is not an ISO image");
                }
            }
            return;
        }
        Matcher m = ALLOCATION.matcher(file);
        String importFrom = disk.get("import-from");
        if (importFrom != null) {
            if (!g.type.equals("qemu") || !m.matches() || !m.group(2).matches("0+(\\.0+)?")) {
                throw PveError.param(key, "'import-from' requires special syntax - use <storage ID>:0,import-from="
                        + "<source>");
            }
            SimVolume source = s.volume(node, importFrom).orElseThrow(() -> PveError.param(key, "volume '"
                    + importFrom + "' does not exist"));
            if (!source.content.equals("images") && !source.content.equals("import")) {
                throw PveError.param(key, "'" + importFrom + "' is not a disk image that can be imported");
            }
            Perms.requireAny(s, authid, "/storage/" + source.storage, "Datastore.Audit", "Datastore.AllocateSpace");
            SimStorage st = s.volumes().checkForDisks(m.group(1), node, g.type);
            Perms.require(s, authid, "/storage/" + st.id, "Datastore.AllocateSpace");
            allocations.add(new String[] {key, value, m.group(1), Long.toString(source.size), importFrom});
            return;
        }
        if (m.matches()) {
            String storage = m.group(1);
            SimStorage st = s.volumes().checkForDisks(storage, node, g.type);
            Perms.require(s, authid, "/storage/" + st.id, "Datastore.AllocateSpace");
            allocations.add(new String[] {key, value, storage, m.group(2)});
            return;
        }
        if (file.matches("\\d+(\\.\\d+)?")) {
            String storage = defaultStorage;
            if (storage == null) {
                throw PveError.fail("no storage ID specified (and no default storage)");
            }
            s.volumes().checkForDisks(storage, node, g.type);
            Perms.require(s, authid, "/storage/" + storage, "Datastore.AllocateSpace");
            allocations.add(new String[] {key, value, storage, file});
            return;
        }
        SimVolume v = s.volume(node, file).orElseThrow(() -> PveError.fail("volume '" + file + "' does not exist"));
        Perms.require(s, authid, "/storage/" + v.storage, "Datastore.AllocateSpace");
    }

    /** Allocates a disk recorded by {@link #checkDisk}; returns the configuration value that refers to it. */
    private String allocate(SimGuest g, String[] allocation, SimTask t) {
        String key = allocation[0];
        Map<String, String> disk = PropertyString.parse(allocation[1], g.volumeKey());
        SimStorage st = s.storage(allocation[2]).orElseThrow();
        String volid;
        long size;
        if (allocation[3].equals("cloudinit")) {
            volid = st.id + ":vm-" + g.vmid + "-cloudinit";
            size = 4L << 20;
            s.volumes().register(st, g.node, st.fileBased() ? st.id + ":" + g.vmid + "/vm-" + g.vmid + "-cloudinit.qcow2"
                    : volid, "images", size, g.vmid, s.clock().seconds());
            disk.put(g.volumeKey(), volid);
            disk.put("media", "cdrom");
            return PropertyString.format(disk, g.volumeKey());
        }
        boolean imported = allocation.length > 4;
        if (imported) {
            size = Long.parseLong(allocation[3]);
            disk.remove("import-from");
        } else if (key.equals("efidisk0") || key.equals("tpmstate0")) {
            size = 4L << 20;
        } else {
            size = (long) (Double.parseDouble(allocation[3]) * SimState.GIB);
        }
        if (size <= 0) {
            throw PveError.fail(key + ": invalid size " + allocation[3]);
        }
        SimVolume v = s.volumes().allocateDisk(st, g.node, g.vmid, g.type, size, false);
        volid = v.volid;
        if (t != null && imported) {
            t.log("importing disk '" + allocation[4] + "' to VM " + g.vmid + " ...");
            t.log("Successfully imported disk as '" + key + ":" + volid + "'");
        } else if (t != null) {
            t.log(key + ": successfully created disk '" + volid + ",size=" + PropertyString.formatSize(size) + "'");
        }
        disk.put(g.volumeKey(), volid);
        disk.put("size", PropertyString.formatSize(size));
        return PropertyString.format(disk, g.volumeKey());
    }

    /** Restores the disks of a backup's configuration onto the target storage (or their original storage). */
    private void restoreDisks(SimGuest g, Map<String, String> config, String storage, SimTask t) {
        for (var e : new ArrayList<>(config.entrySet())) {
            if (!g.isDiskKey(e.getKey()) || e.getKey().startsWith("unused") || SimGuest.isCdrom(e.getValue())) {
                if (e.getKey().startsWith("unused")) {
                    config.remove(e.getKey());
                }
                continue;
            }
            Map<String, String> disk = PropertyString.parse(e.getValue(), g.volumeKey());
            String old = disk.get(g.volumeKey());
            String target = storage != null ? storage : old.substring(0, old.indexOf(':'));
            SimStorage st = s.volumes().checkForDisks(target, g.node, g.type);
            long size = disk.containsKey("size") ? PropertyString.parseSize(disk.get("size")) : 8 * SimState.GIB;
            SimVolume v = s.volumes().allocateDisk(st, g.node, g.vmid, g.type, size, false);
            t.log("restore: " + e.getKey() + " -> '" + v.volid + "'");
            disk.put(g.volumeKey(), v.volid);
            config.put(e.getKey(), PropertyString.format(disk, g.volumeKey()));
        }
    }

    private static String normalizeVmNet(String key, String value) {
        Map<String, String> parsed = PropertyString.parse(value, "model");
        Map<String, String> out = new LinkedHashMap<>();
        String model = null;
        String mac = null;
        for (var e : parsed.entrySet()) {
            if (NIC_MODELS.contains(e.getKey())) {
                model = e.getKey();
                mac = e.getValue().isEmpty() ? null : e.getValue();
            } else if (e.getKey().equals("model")) {
                model = e.getValue();
            } else if (e.getKey().equals("macaddr")) {
                mac = e.getValue();
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        if (model == null || !NIC_MODELS.contains(model)) {
            throw PveError.param(key, "invalid format - model: property is missing and it is not optional");
        }
        Map<String, String> result = new LinkedHashMap<>();
        result.put(model, mac == null ? randomMac() : mac.toUpperCase(Locale.ROOT));
        result.putAll(out);
        return PropertyString.format(result, null, model);
    }

    private static String normalizeCtNet(String value) {
        Map<String, String> net = PropertyString.parse(value, null);
        net.putIfAbsent("hwaddr", randomMac());
        net.putIfAbsent("type", "veth");
        return PropertyString.format(net, null, "name");
    }

    private static String randomMac() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return String.format(Locale.ROOT, "BC:24:11:%02X:%02X:%02X", b[0], b[1], b[2]);
    }

    private void checkBridges(SimGuest g) {
        SimNode n = s.node(g.node).orElseThrow();
        for (var e : g.config.entrySet()) {
            if (e.getKey().matches("net\\d+")) {
                String bridge = PropertyString.parse(e.getValue(), null).get("bridge");
                if (bridge != null) {
                    Map<String, Object> iface = n.network.get(bridge);
                    if (iface == null || !String.valueOf(iface.get("type")).contains("ridge")) {
                        throw PveError.fail("bridge '" + bridge + "' does not exist");
                    }
                }
            }
        }
    }

    // ---- configuration

    /**
     * @param g the guest
     * @param current whether to show the current values instead of the pending ones
     * @param snapshot a snapshot to show instead, or {@code null}
     * @return the configuration as {@code GET .../config} returns it
     */
    public Map<String, Object> config(SimGuest g, boolean current, String snapshot) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, String> source;
        if (snapshot != null) {
            SimSnapshot snap = g.snapshots.get(snapshot);
            if (snap == null) {
                throw PveError.fail("snapshot '" + snapshot + "' does not exist");
            }
            source = snap.config;
        } else {
            source = new LinkedHashMap<>(g.config);
            if (!current) {
                source.putAll(g.pending);
                source.keySet().removeAll(g.pendingDelete);
            }
        }
        out.putAll(source);
        if (out.containsKey("cipassword")) {
            out.put("cipassword", "**********");
        }
        out.put("digest", g.digest());
        return out;
    }

    /**
     * @param g the guest
     * @return the pending changes as {@code GET .../pending} returns them
     */
    public List<Map<String, Object>> pending(SimGuest g) {
        Set<String> keys = new LinkedHashSet<>(g.config.keySet());
        keys.addAll(g.pending.keySet());
        keys.addAll(g.pendingDelete);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String k : keys) {
            if (k.equals("digest")) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", k);
            if (g.config.containsKey(k)) {
                m.put("value", g.config.get(k));
            }
            if (g.pending.containsKey(k)) {
                m.put("pending", g.pending.get(k));
            }
            if (g.pendingDelete.contains(k)) {
                m.put("delete", 1);
            }
            out.add(m);
        }
        return out;
    }

    /**
     * Changes the configuration ({@code PUT}/{@code POST .../config}): values are staged as pending, then applied
     * at once for a stopped guest and for options that can change while it runs; the rest waits for the next start.
     *
     * @param g the guest
     * @param set new values (booleans as {@code 0}/{@code 1})
     * @param delete options to remove
     * @param revert pending changes to drop
     * @param digest the digest the caller read, or {@code null}
     * @param skiplock whether to ignore a lock (root only)
     * @param authid the caller
     */
    public void update(SimGuest g, Map<String, String> set, List<String> delete, List<String> revert, String digest,
            boolean skiplock, String authid) {
        if (set.isEmpty() && delete.isEmpty() && revert.isEmpty()) {
            throw PveError.fail("no options specified");
        }
        for (String d : delete) {
            if (set.containsKey(d)) {
                throw PveError.param(d, "you can't use '-" + d + "' and -delete " + d + "' at the same time");
            }
        }
        if (digest != null && !digest.equals(g.digest())) {
            throw PveError.fail(g.type.equals("qemu") ? "checksum mismatch (file change by other user?)"
                    : "detected modified configuration - file changed by other user? Try again.");
        }
        checkLock(g, skiplock);
        if (set.containsKey("protection") || delete.contains("protection")) {
            Perms.require(s, authid, "/vms/" + g.vmid, "VM.Config.Options");
        }
        List<String[]> allocations = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (var e : set.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.matches("net\\d+")) {
                value = g.type.equals("lxc") ? normalizeCtNet(value) : normalizeVmNet(key, value);
            } else if (g.isDiskKey(key)) {
                if (key.startsWith("unused")) {
                    throw PveError.param(key, "unable to add unused disks, use the volume of the unused disk to "
                            + "attach it instead");
                }
                int before = allocations.size();
                checkDisk(g, g.node, key, value, null, authid, allocations);
                if (allocations.size() == before) {
                    value = withVolumeSize(g, value);
                }
            } else if (key.equals("tags")) {
                value = tags(value);
            }
            values.put(key, value);
        }
        for (String[] a : allocations) {
            values.put(a[0], allocate(g, a, null));
        }
        for (String r : revert) {
            g.pending.remove(r);
            g.pendingDelete.remove(r);
        }
        for (String d : delete) {
            if (!g.config.containsKey(d) && !g.pending.containsKey(d)) {
                continue;
            }
            g.pending.remove(d);
            if (g.config.containsKey(d)) {
                g.pendingDelete.add(d);
            }
        }
        g.pending.putAll(values);
        g.pendingDelete.removeAll(values.keySet());
        if (!g.running()) {
            applyPending(g);
        } else {
            hotplug(g);
        }
        s.clusterLog(authid, "update " + g.kind() + " " + g.vmid + ": " + describe(set, delete));
    }

    private static String describe(Map<String, String> set, List<String> delete) {
        StringBuilder sb = new StringBuilder();
        set.forEach((k, v) -> sb.append('-').append(k).append(' ').append(k.contains("password") ? "<hidden>" : v)
                .append(' '));
        if (!delete.isEmpty()) {
            sb.append("-delete ").append(String.join(",", delete));
        }
        return sb.toString().strip();
    }

    /** Applies every pending change (stopped guest, or at start). Removed disks become unused disks. */
    void applyPending(SimGuest g) {
        for (String d : g.pendingDelete) {
            String old = g.config.remove(d);
            if (old != null && g.isDiskKey(d) && !SimGuest.isCdrom(old)) {
                if (d.startsWith("unused")) {
                    s.volumes().free(g.node, PropertyString.parse(old, g.volumeKey()).get(g.volumeKey()));
                } else {
                    detach(g, old);
                }
            }
        }
        g.pendingDelete.clear();
        for (var e : g.pending.entrySet()) {
            String old = g.config.put(e.getKey(), e.getValue());
            if (old != null && g.isDiskKey(e.getKey()) && !SimGuest.isCdrom(old)) {
                String oldVol = PropertyString.parse(old, g.volumeKey()).get(g.volumeKey());
                String newVol = PropertyString.parse(e.getValue(), g.volumeKey()).get(g.volumeKey());
                if (!oldVol.equals(newVol)) {
                    detach(g, old);
                }
            }
        }
        g.pending.clear();
    }

    /** Applies the pending changes a running guest can take at once. */
    private void hotplug(SimGuest g) {
        for (String d : new ArrayList<>(g.pendingDelete)) {
            if (FAST_PLUG.contains(d) || d.matches("net\\d+") || d.startsWith("unused")) {
                String old = g.config.remove(d);
                if (old != null && d.startsWith("unused")) {
                    s.volumes().free(g.node, PropertyString.parse(old, g.volumeKey()).get(g.volumeKey()));
                }
                g.pendingDelete.remove(d);
            }
        }
        for (var e : new ArrayList<>(g.pending.entrySet())) {
            String k = e.getKey();
            boolean hot = FAST_PLUG.contains(k) || k.matches("net\\d+")
                    || g.type.equals("qemu") && k.matches("(scsi|virtio)\\d+") && !g.config.containsKey(k)
                    || g.type.equals("lxc") && (k.matches("mp\\d+") && !g.config.containsKey(k)
                            || Set.of("cores", "cpulimit", "cpuunits", "memory", "swap").contains(k));
            if (hot) {
                g.config.put(k, e.getValue());
                g.pending.remove(k);
            }
        }
    }

    /** Moves a disk's volume to the first free {@code unusedN} slot. */
    private void detach(SimGuest g, String oldValue) {
        g.config.put(Disks.freeUnused(g), PropertyString.parse(oldValue, g.volumeKey()).get(g.volumeKey()));
    }

    // ---- power

    /**
     * Starts a guest ({@code POST .../status/start}).
     *
     * @param g the guest (checked to exist on the node)
     * @param skiplock whether to ignore a lock
     * @param authid the caller
     * @return the task
     */
    public SimTask start(SimGuest g, boolean skiplock, String authid) {
        boolean qemu = g.type.equals("qemu");
        checkQuorum();
        if (!qemu && g.running()) {
            throw PveError.fail("CT " + g.vmid + " already running");
        }
        if (s.ha().managed(g)) {
            return task(g, "hastart", "hastart", authid, START_MS, t -> {
                t.log("Requesting HA start for " + g.kind() + " " + g.vmid);
                s.ha().request(g, "started");
            }, t -> {
                if (!g.running()) {
                    g.status = "running";
                    g.startedAt = s.clock().seconds();
                    applyPending(g);
                }
            }, null);
        }
        return task(g, "qmstart", "vzstart", authid, START_MS, t -> {
            if (g.template()) {
                throw PveError.fail(qemu ? "you can't start a vm if it's a template"
                        : "you can't start a CT if it's a template");
            }
            boolean suspended = "suspended".equals(g.lock());
            if (!suspended && !(qemu && "backup".equals(g.lock()) && g.running())) {
                checkLock(g, skiplock);
            }
            if (g.running()) {
                if (qemu && "backup".equals(g.lock())) {
                    return;
                }
                throw PveError.fail("VM " + g.vmid + " already running");
            }
            checkBridges(g);
        }, t -> {
            if (g.running() && !(qemu && "backup".equals(g.lock()))) {
                throw PveError.fail(g.kind() + " " + g.vmid + " already running");
            }
            if ("suspended".equals(g.lock())) {
                g.config.remove("lock");
                g.config.remove("vmstate");
                t.log("Resuming suspended VM");
            }
            applyPending(g);
            g.status = "running";
            g.paused = false;
            g.startedAt = s.clock().seconds();
            if (qemu) {
                t.log("start VM " + g.vmid + ": " + t.upid);
            }
        }, null);
    }

    /**
     * Stops a guest at once ({@code POST .../status/stop}).
     *
     * @param g the guest
     * @param skiplock whether to ignore a lock
     * @param authid the caller
     * @return the task
     */
    public SimTask stop(SimGuest g, boolean skiplock, String authid) {
        if (g.type.equals("lxc") && !g.running()) {
            throw PveError.fail("CT " + g.vmid + " not running");
        }
        if (s.ha().managed(g)) {
            return task(g, "hastop", "hastop", authid, STOP_MS, t -> {
                t.log("Requesting HA stop for " + g.kind() + " " + g.vmid);
                s.ha().request(g, "stopped");
            }, t -> powerOff(g), null);
        }
        return task(g, "qmstop", "vzstop", authid, STOP_MS, t -> checkLock(g, skiplock), t -> {
            if (g.running()) {
                powerOff(g);
            }
        }, null);
    }

    private void powerOff(SimGuest g) {
        g.status = "stopped";
        g.paused = false;
        g.startedAt = 0;
        applyPending(g);
    }

    /**
     * Shuts a guest down cleanly ({@code POST .../status/shutdown}); a guest that ignores the request runs into
     * the timeout, after which {@code forceStop} stops it.
     *
     * @param g the guest
     * @param timeout seconds to wait, or {@code null} for the default (180 for VMs, 60 for containers)
     * @param forceStop whether to stop the guest after the timeout
     * @param skiplock whether to ignore a lock
     * @param authid the caller
     * @return the task
     */
    public SimTask shutdown(SimGuest g, Integer timeout, boolean forceStop, boolean skiplock, String authid) {
        boolean qemu = g.type.equals("qemu");
        if (!qemu && !g.running()) {
            throw PveError.fail("CT " + g.vmid + " not running");
        }
        boolean stopInstead = false;
        if (qemu && g.running() && g.paused) {
            if (!forceStop) {
                throw PveError.fail("VM is paused - cannot shutdown");
            }
            stopInstead = true;
        }
        int wait = timeout != null ? timeout : qemu ? 180 : 60;
        boolean ignored = g.ignoresShutdown && !stopInstead;
        long millis = ignored ? wait * 1000L : SHUTDOWN_MS;
        if (s.ha().managed(g)) {
            return task(g, "hastop", "hastop", authid, millis, t -> {
                t.log("Requesting HA stop for " + g.kind() + " " + g.vmid);
                s.ha().request(g, "stopped");
            }, t -> powerOff(g), null);
        }
        boolean paused = stopInstead;
        return task(g, "qmshutdown", "vzshutdown", authid, millis, t -> {
            if (paused) {
                t.warn("VM is paused - stop instead of shutdown");
            }
            checkLock(g, skiplock);
        }, t -> {
            if (!g.running()) {
                return;
            }
            if (ignored) {
                if (!forceStop) {
                    throw PveError.fail(qemu ? "VM quit/powerdown failed - got timeout" : "container did not stop");
                }
                t.warn(qemu ? "VM still running - terminating now with SIGTERM"
                        : "command 'lxc-stop -n " + g.vmid + " --timeout " + wait + "' failed: got timeout");
            }
            powerOff(g);
        }, null);
    }

    /**
     * Reboots a running guest ({@code POST .../status/reboot}); pending changes apply.
     *
     * @param g the guest
     * @param authid the caller
     * @return the task
     */
    public SimTask reboot(SimGuest g, String authid) {
        if (g.type.equals("qemu") && g.running() && g.paused) {
            throw PveError.fail("VM is paused - cannot shutdown");
        }
        if (!g.running()) {
            throw PveError.fail("VM " + g.vmid + " not running");
        }
        return task(g, "qmreboot", "vzreboot", authid, REBOOT_MS, t -> checkLock(g, false), t -> {
            if (!g.running()) {
                return;
            }
            applyPending(g);
            g.startedAt = s.clock().seconds();
        }, null);
    }

    /**
     * Resets a running VM ({@code POST .../status/reset}).
     *
     * @param g the VM
     * @param skiplock whether to ignore a lock
     * @param authid the caller
     * @return the task
     */
    public SimTask reset(SimGuest g, boolean skiplock, String authid) {
        if (!g.running()) {
            throw PveError.fail("VM " + g.vmid + " not running");
        }
        return task(g, "qmreset", "qmreset", authid, 300, t -> checkLock(g, skiplock),
                t -> g.startedAt = s.clock().seconds(), null);
    }

    /**
     * Pauses a running guest, or for VMs with {@code todisk} hibernates it ({@code POST .../status/suspend}).
     *
     * @param g the guest
     * @param todisk whether to save the RAM to disk and stop (VMs)
     * @param skiplock whether to ignore a lock
     * @param authid the caller
     * @return the task
     */
    public SimTask suspend(SimGuest g, boolean todisk, boolean skiplock, String authid) {
        if (!g.running()) {
            throw PveError.fail((g.type.equals("qemu") ? "VM " : "CT ") + g.vmid + " not running");
        }
        if (todisk && s.ha().managed(g)) {
            throw PveError.fail("Cannot suspend HA managed VM to disk");
        }
        if (todisk) {
            Perms.require(s, authid, "/vms/" + g.vmid, "VM.Config.Disk");
        }
        String type = g.type.equals("lxc") ? "vzsuspend" : todisk ? "qmsuspend" : "qmpause";
        return s.tasks().start(g.node, type, Integer.toString(g.vmid), authid, todisk ? 5000 : 500, t -> {
            checkLock(g, skiplock);
            if (todisk) {
                g.config.put("lock", "suspending");
            }
        }, t -> {
            if (todisk) {
                g.config.put("lock", "suspended");
                g.config.put("vmstate", g.diskVolumes().values().stream().findFirst()
                        .map(v -> v.substring(0, v.indexOf(':'))).orElse("local") + ":vm-" + g.vmid + "-state-suspend");
                g.status = "stopped";
                g.paused = false;
                g.startedAt = 0;
            } else {
                g.paused = true;
            }
        }, t -> {
            if (todisk) {
                g.config.remove("lock");
            }
        });
    }

    /**
     * Resumes a paused or hibernated guest ({@code POST .../status/resume}).
     *
     * @param g the guest
     * @param skiplock whether to ignore a lock
     * @param authid the caller
     * @return the task
     */
    public SimTask resume(SimGuest g, boolean skiplock, String authid) {
        boolean suspended = "suspended".equals(g.lock());
        if (g.type.equals("lxc") && g.running() && !g.paused) {
            throw PveError.fail("CT " + g.vmid + " already running");
        }
        if (!suspended && !g.running()) {
            throw PveError.fail((g.type.equals("qemu") ? "VM " : "CT ") + g.vmid + " not running");
        }
        if (suspended) {
            return start(g, skiplock, authid);
        }
        return task(g, "qmresume", "vzresume", authid, 500, t -> checkLock(g, skiplock), t -> g.paused = false, null);
    }

    // ---- deletion

    /**
     * Destroys a guest and its disks ({@code DELETE /nodes/{node}/qemu|lxc/{vmid}}).
     *
     * @param g the guest
     * @param purge whether to remove it from HA, pools, backup jobs and ACLs too
     * @param force (containers) destroy even if running
     * @param skiplock whether to ignore a lock
     * @param authid the caller
     * @return the task
     */
    public SimTask destroy(SimGuest g, boolean purge, boolean force, boolean skiplock, String authid) {
        String kind = g.kind();
        if (g.protectedFlag()) {
            throw PveError.fail("can't remove " + kind + " " + g.vmid + " - protection mode enabled");
        }
        boolean haConfigured = s.ha().resources.containsKey(Ha.sid(g));
        if (!purge && haConfigured) {
            throw PveError.fail("unable to remove " + kind + " " + g.vmid
                    + " - used in HA resources and purge parameter not set.");
        }
        if (g.running() && !(g.type.equals("lxc") && force)) {
            throw PveError.fail(g.type.equals("qemu") ? "VM " + g.vmid + " is running - destroy failed"
                    : "unable to destroy CT " + g.vmid + " - container is running");
        }
        for (SimGuest other : s.guests().values()) {
            if (other != g && g.template()) {
                for (String vol : other.diskVolumes().values()) {
                    if (vol.contains("base-" + g.vmid + "-disk-")) {
                        throw PveError.fail("base volume '" + vol.substring(0, vol.lastIndexOf('/'))
                                + "' is still in use by linked cloned");
                    }
                }
            }
        }
        return task(g, "qmdestroy", "vzdestroy", authid, DESTROY_MS, t -> checkLock(g, skiplock), t -> {
            if (g.running()) {
                powerOff(g);
            }
            for (String vol : g.diskVolumes().values()) {
                t.log("Removing image: 100% complete...done.");
                s.volumes().free(g.node, vol);
            }
            for (SimSnapshot snap : g.snapshots.values()) {
                snap.config.clear();
            }
            s.removeGuest(g.vmid);
            s.access().acls.removeIf(a -> a.path().equals("/vms/" + g.vmid));
            s.firewall().forget((g.type.equals("qemu") ? "vm/" : "ct/") + g.vmid);
            if (purge) {
                t.log("purging " + kind + " " + g.vmid + " from related configurations..");
                if (haConfigured) {
                    s.ha().forget(g.vmid);
                    t.log("NOTE: removed " + kind + " " + g.vmid + " from HA resource configuration.");
                }
            }
        }, null);
    }

    private void destroyDisks(SimGuest g) {
        for (String vol : g.diskVolumes().values()) {
            s.volumes().free(g.node, vol);
        }
    }

    // ---- clone, template, resize, migrate

    /**
     * Clones a guest ({@code POST .../clone}): a full copy, or a linked clone of a template.
     *
     * @param g the source
     * @param newid the new VMID
     * @param params name/hostname, description, pool, snapname, storage, format, full, target
     * @param authid the caller
     * @return the task
     */
    public SimTask cloneGuest(SimGuest g, int newid, Map<String, String> params, String authid) {
        boolean qemu = g.type.equals("qemu");
        String target = params.get("target");
        if (target != null && target.equals(g.node)) {
            target = null;
        }
        String pool = params.get("pool");
        String storage = params.get("storage");
        String snapname = params.get("snapname");
        if (pool != null && !s.pools().containsKey(pool)) {
            throw PveError.fail("pool '" + pool + "' does not exist");
        }
        if (target != null && s.node(target).isEmpty()) {
            throw PveError.fail("no such cluster node '" + target + "'");
        }
        SimStorage targetStorage = null;
        if (storage != null) {
            targetStorage = s.storage(storage).orElseThrow(() -> PveError.fail("storage '" + storage
                    + "' does not exist"));
            if (!targetStorage.content.contains(qemu ? "images" : "rootdir")) {
                throw PveError.param("storage", "storage '" + storage + "' does not support vm images");
            }
            if (target != null && !targetStorage.shared) {
                throw PveError.fail("can't clone to non-shared storage '" + storage + "'");
            }
            Perms.require(s, authid, "/storage/" + storage, "Datastore.AllocateSpace");
        }
        checkQuorum();
        checkLock(g, false);
        if (snapname != null && !g.snapshots.containsKey(snapname)) {
            throw PveError.fail("snapshot '" + snapname + "' does not exist");
        }
        boolean full = params.containsKey("full") ? "1".equals(params.get("full")) : !g.template();
        if (!full && storage != null) {
            throw PveError.fail("parameter 'storage' not allowed for linked clones");
        }
        if (!full && params.get("format") != null) {
            throw PveError.fail("parameter 'format' not allowed for linked clones");
        }
        Map<String, String> source = snapname != null ? g.snapshots.get(snapname).config : g.config;
        boolean shared = true;
        for (var e : source.entrySet()) {
            if (g.isDiskKey(e.getKey()) && !e.getKey().startsWith("unused") && !SimGuest.isCdrom(e.getValue())) {
                String vol = PropertyString.parse(e.getValue(), g.volumeKey()).get(g.volumeKey());
                SimStorage st = s.storage(vol.substring(0, vol.indexOf(':'))).orElseThrow();
                shared &= st.shared;
                if (!full && !vol.contains("base-")) {
                    throw PveError.fail("Linked clone feature is not supported for '" + vol + "' (" + e.getKey() + ")");
                }
            }
        }
        if (target != null && !shared && (storage == null || !targetStorage.shared)) {
            throw PveError.fail("can't clone " + (qemu ? "VM" : "CT") + " to node '" + target + "' ("
                    + (qemu ? "VM" : "CT") + " uses local storage)");
        }
        if (s.guests().containsKey(newid)) {
            throw PveError.fail("unable to create " + (qemu ? "VM " : "CT ") + newid + ": config file already exists");
        }
        String destination = target == null ? g.node : target;
        SimStorage finalStorage = targetStorage;
        SimGuest copy = s.newGuest(g.type, newid, g.node);
        copy.config.put("lock", "clone");
        return task(g, "qmclone", "vzclone", authid, full ? CLONE_MS : CLONE_MS / 4, t -> {
            t.log("create " + (full ? "full" : "linked") + " clone of drive(s)");
        }, t -> {
            Map<String, String> cfg = new LinkedHashMap<>();
            for (var e : source.entrySet()) {
                String k = e.getKey();
                if (Set.of("parent", "snaptime", "vmstate", "snapstate", "lock", "template", "runningmachine",
                        "runningcpu", "meta").contains(k) || k.startsWith("unused")) {
                    continue;
                }
                String v = e.getValue();
                if (g.isDiskKey(k) && !SimGuest.isCdrom(v)) {
                    Map<String, String> disk = PropertyString.parse(v, g.volumeKey());
                    String vol = disk.get(g.volumeKey());
                    SimVolume src = s.volume(g.node, vol).orElseThrow(
                            () -> PveError.fail("volume '" + vol + "' does not exist"));
                    SimVolume made;
                    if (full) {
                        SimStorage st = finalStorage != null ? finalStorage : s.storage(src.storage).orElseThrow();
                        made = s.volumes().allocateDisk(st, copy.node, newid, g.type, src.size, false);
                    } else {
                        made = s.volumes().linkedClone(src, copy.node, newid, g.type);
                    }
                    t.log("clone " + vol + ": " + k + " -> " + made.volid);
                    disk.put(g.volumeKey(), made.volid);
                    v = PropertyString.format(disk, g.volumeKey());
                } else if (k.matches("net\\d+")) {
                    v = qemu ? normalizeVmNet(k, stripMac(v)) : normalizeCtNet(PropertyString.format(withoutHwaddr(v), null));
                } else if (k.equals("smbios1")) {
                    v = "uuid=" + UUID.randomUUID();
                } else if (k.equals("vmgenid")) {
                    v = UUID.randomUUID().toString();
                }
                cfg.put(k, v);
            }
            String nameKey = qemu ? "name" : "hostname";
            String name = params.get(qemu ? "name" : "hostname");
            cfg.put(nameKey, name != null ? name : (qemu ? "Copy-of-VM-" : "Copy-of-CT-") + g.name());
            if (params.get("description") != null) {
                cfg.put("description", params.get("description"));
            }
            copy.config.clear();
            copy.config.putAll(cfg);
            if (!destination.equals(copy.node)) {
                moveGuest(copy, destination);
            }
            if (pool != null) {
                s.pools().get(pool).vmids.add(newid);
            }
        }, t -> {
            destroyDisks(copy);
            s.removeGuest(newid);
        });
    }

    private static String stripMac(String value) {
        Map<String, String> net = PropertyString.parse(value, "model");
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : net.entrySet()) {
            if (NIC_MODELS.contains(e.getKey())) {
                out.put("model", e.getKey());
            } else if (!e.getKey().equals("macaddr")) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return PropertyString.format(out, null);
    }

    private static Map<String, String> withoutHwaddr(String value) {
        Map<String, String> net = PropertyString.parse(value, null);
        net.remove("hwaddr");
        return net;
    }

    /**
     * Converts a stopped guest to a template ({@code POST .../template}); its disks become base volumes.
     *
     * @param g the guest
     * @param authid the caller
     * @return the task, for VMs; containers convert synchronously and return {@code null}
     */
    public SimTask template(SimGuest g, String authid) {
        boolean qemu = g.type.equals("qemu");
        checkLock(g, false);
        if (!g.snapshots.isEmpty() && qemu) {
            throw PveError.fail("unable to create template, because VM contains snapshots");
        }
        if (g.template()) {
            throw PveError.fail(qemu ? "you can't convert a template to a template"
                    : "you can't convert a template to a template");
        }
        if (g.running()) {
            throw PveError.fail(qemu ? "you can't convert a VM to template if VM is running"
                    : "you can't convert a CT to template if the CT is running");
        }
        Tasks.Step convert = t -> {
            for (var e : new ArrayList<>(g.config.entrySet())) {
                if (g.isDiskKey(e.getKey()) && !e.getKey().startsWith("unused") && !SimGuest.isCdrom(e.getValue())) {
                    Map<String, String> disk = PropertyString.parse(e.getValue(), g.volumeKey());
                    String vol = disk.get(g.volumeKey());
                    s.volume(g.node, vol).ifPresent(v -> {
                        SimVolume base = s.volumes().toBase(v, g.vmid);
                        disk.put(g.volumeKey(), base.volid);
                        g.config.put(e.getKey(), PropertyString.format(disk, g.volumeKey()));
                    });
                }
            }
            g.config.put("template", "1");
            g.config.remove("lock");
        };
        if (!qemu) {
            g.config.put("lock", "disk");
            convert.run(null);
            return null;
        }
        return task(g, "qmtemplate", "vztemplate", authid, 1500, t -> g.config.put("lock", "template"), convert,
                t -> g.config.remove("lock"));
    }

    /**
     * Grows a disk ({@code PUT .../resize}).
     *
     * @param g the guest
     * @param disk the disk key, e.g. {@code scsi0} or {@code rootfs}
     * @param size the new size ({@code 50G}) or an increment ({@code +10G})
     * @param digest the digest the caller read, or {@code null}
     * @param skiplock whether to ignore a lock
     * @param authid the caller
     * @return the task
     */
    public SimTask resize(SimGuest g, String disk, String size, String digest, boolean skiplock, String authid) {
        if (digest != null && !digest.equals(g.digest())) {
            throw PveError.fail("checksum mismatch (file change by other user?)");
        }
        String value = g.config.get(disk);
        if (value == null || !g.isDiskKey(disk) || disk.startsWith("unused")) {
            throw PveError.fail("disk '" + disk + "' does not exist");
        }
        if (SimGuest.isCdrom(value)) {
            throw PveError.fail("you can't resize a cdrom");
        }
        checkLock(g, skiplock);
        Matcher m = Pattern.compile("(\\+)?(\\d+(?:\\.\\d+)?)([KMGT])?").matcher(size);
        if (!m.matches()) {
            throw PveError.param("size", "value does not match the regex pattern");
        }
        Map<String, String> parsed = PropertyString.parse(value, g.volumeKey());
        String volid = parsed.get(g.volumeKey());
        SimVolume v = s.volume(g.node, volid).orElseThrow(() -> PveError.fail(
                "Could not determine current size of volume '" + volid + "'"));
        Perms.require(s, authid, "/storage/" + v.storage, "Datastore.AllocateSpace");
        double amount = Double.parseDouble(m.group(2));
        int shift = m.group(3) == null ? 0 : switch (m.group(3)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 40;
        };
        long bytes = (long) (amount * (1L << shift));
        long newSize = m.group(1) != null ? v.size + bytes : bytes;
        if (newSize < v.size) {
            // the node finds out in the worker: the call returns a task, which fails
            return task(g, "resize", "resize", authid, 200, t -> t.log("update " + g.kind() + " " + g.vmid
                    + ": resize --disk " + disk + " --size " + size), t -> {
                        throw PveError.fail("shrinking disks is not supported");
                    }, null);
        }
        SimStorage st = s.storage(v.storage).orElseThrow();
        if (newSize - v.size > st.avail(g.node)) {
            throw PveError.fail("unable to resize '" + volid + "': not enough free space on storage '" + st.id + "'");
        }
        return task(g, "resize", "resize", authid, 1000, t -> t.log("update " + g.kind() + " " + g.vmid
                + ": resize --disk " + disk + " --size " + size), t -> {
            v.size = newSize;
            parsed.put("size", PropertyString.formatSize(newSize));
            g.config.put(disk, PropertyString.format(parsed, g.volumeKey()));
        }, null);
    }

    /**
     * @param g the guest
     * @return what {@code GET .../migrate} reports: local disks, allowed and refused nodes
     */
    public Map<String, Object> migratePreconditions(SimGuest g) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("running", g.running() ? 1 : 0);
        List<Map<String, Object>> localDisks = new ArrayList<>();
        Set<String> storagesUsed = new LinkedHashSet<>();
        for (var e : g.diskVolumes().entrySet()) {
            String vol = e.getValue();
            String storage = vol.substring(0, vol.indexOf(':'));
            storagesUsed.add(storage);
            SimStorage st = s.storage(storage).orElse(null);
            if (st != null && !st.shared) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("volid", vol);
                d.put("drivename", e.getKey());
                d.put("size", s.volume(g.node, vol).map(v -> v.size).orElse(0L));
                d.put("is_attached", e.getKey().startsWith("unused") ? 0 : 1);
                d.put("is_unused", e.getKey().startsWith("unused") ? 1 : 0);
                d.put("cdrom", 0);
                d.put("is_tpmstate", e.getKey().equals("tpmstate0") ? 1 : 0);
                d.put("is_vmstate", 0);
                d.put("replicate", 1);
                d.put("shared", 0);
                localDisks.add(d);
            }
        }
        List<String> allowed = new ArrayList<>();
        Map<String, Object> notAllowed = new LinkedHashMap<>();
        for (SimNode n : s.nodes()) {
            if (n.name.equals(g.node)) {
                continue;
            }
            List<String> unavailable = new ArrayList<>();
            for (String storage : storagesUsed) {
                SimStorage st = s.storage(storage).orElse(null);
                if (st == null || !st.availableOn(n.name)) {
                    unavailable.add(storage);
                }
            }
            if (unavailable.isEmpty() && n.online) {
                allowed.add(n.name);
            } else {
                notAllowed.put(n.name, unavailable.isEmpty() ? Map.of("unavailable-resources", List.of("node offline"))
                        : Map.of("unavailable_storages", unavailable));
            }
        }
        out.put("allowed_nodes", allowed);
        out.put("not_allowed_nodes", notAllowed);
        out.put("local_disks", localDisks);
        out.put("local_resources", List.of());
        out.put("mapped-resources", List.of());
        out.put("mapped-resource-info", Map.of());
        out.put("has-dbus-vmstate", 0);
        return out;
    }

    /**
     * Moves a guest to another node ({@code POST .../migrate}): offline, online (VMs) or with a restart
     * (containers).
     *
     * @param g the guest
     * @param target the target node
     * @param online live migration of a running VM
     * @param restart restart migration of a running container
     * @param withLocalDisks whether local disks may be copied during a live migration
     * @param authid the caller
     * @return the task
     */
    public SimTask migrate(SimGuest g, String target, boolean online, boolean restart, boolean withLocalDisks,
            String authid) {
        return migrate(g, target, online, restart, withLocalDisks, null, authid);
    }

    /**
     * As {@link #migrate(SimGuest, String, boolean, boolean, boolean, String)}, with local disks moved to other
     * storage on the target node ({@code targetstorage}, {@code target-storage}): {@code source:target} pairs, or one
     * storage for all; {@code 1} keeps each disk's storage.
     *
     * @param targetStorage the mapping, or {@code null}
     */
    public SimTask migrate(SimGuest g, String target, boolean online, boolean restart, boolean withLocalDisks,
            String targetStorage, String authid) {
        boolean qemu = g.type.equals("qemu");
        Map<String, String> mapping = storageMapping(targetStorage);
        if (target.equals(g.node)) {
            throw PveError.param("target", "target is local node.");
        }
        checkQuorum();
        SimNode targetNode = s.node(target).orElseThrow(() -> PveError.fail("no such cluster node '" + target + "'"));
        checkLock(g, false);
        boolean running = g.running();
        if (running && qemu && !online) {
            throw PveError.fail("can't migrate running VM without --online");
        }
        if (running && !qemu && !restart) {
            throw PveError.fail("CT is running - use online migration");
        }
        for (String vol : g.diskVolumes().values()) {
            SimStorage st = s.storage(vol.substring(0, vol.indexOf(':'))).orElseThrow();
            String to = st.shared ? st.id : mapped(mapping, st.id);
            SimStorage dest = s.storage(to).orElseThrow(() -> PveError.param("targetstorage", "storage '" + to
                    + "' does not exist"));
            if (!dest.availableOn(target)) {
                throw PveError.fail("storage '" + dest.id + "' is not available on node '" + target + "'");
            }
            if (!dest.content.contains(qemu ? "images" : "rootdir")) {
                throw PveError.fail("storage '" + dest.id + "' does not support " + (qemu ? "vm images"
                        : "container directories"));
            }
        }
        if (s.ha().managed(g)) {
            return task(g, "hamigrate", "hamigrate", authid, MIGRATE_MS, t -> t.log("Requesting HA migration for "
                    + g.kind() + " " + g.vmid + " to node " + target), t -> moveGuest(g, target, mapping), null);
        }
        List<String> localDisks = new ArrayList<>();
        for (String vol : g.diskVolumes().values()) {
            if (!s.storage(vol.substring(0, vol.indexOf(':'))).orElseThrow().shared) {
                localDisks.add(vol);
            }
        }
        long millis = MIGRATE_MS + (running ? 6000 : 0) + localDisks.size() * 4000L;
        return task(g, "qmigrate", "vzmigrate", authid, millis, t -> {
            t.log("starting migration of " + g.kind() + " " + g.vmid + " to node '" + target + "' ("
                    + targetNode.ip + ")");
            if (running && qemu && !localDisks.isEmpty() && !withLocalDisks) {
                throw PveError.fail("can't live migrate VM with local disks - use --with-local-disks");
            }
            g.config.put("lock", "migrate");
        }, t -> {
            if (!targetNode.online) {
                throw PveError.fail("Can't connect to destination address using public key");
            }
            for (String vol : localDisks) {
                t.log("copying local disk '" + vol + "'");
            }
            if (running && !qemu) {
                t.log("shutdown CT " + g.vmid);
            }
            moveGuest(g, target, mapping);
            g.config.remove("lock");
            if (running && !qemu) {
                g.startedAt = s.clock().seconds();
                t.log("start CT " + g.vmid + " on node '" + target + "'");
            }
            t.log("migration finished successfully (duration 00:00:0" + Math.min(9, localDisks.size() + 3) + ")");
        }, t -> g.config.remove("lock"));
    }

    /** Moves a guest's configuration and local volumes to another node. */
    void moveGuest(SimGuest g, String target) {
        moveGuest(g, target, Map.of());
    }

    /** Moves a guest's configuration and local volumes to another node, local volumes to mapped storage. */
    void moveGuest(SimGuest g, String target, Map<String, String> mapping) {
        for (var e : new ArrayList<>(g.diskVolumes().entrySet())) {
            String vol = e.getValue();
            SimStorage st = s.storage(vol.substring(0, vol.indexOf(':'))).orElse(null);
            if (st == null || st.shared) {
                continue;
            }
            SimVolume v = st.volume(g.node, vol);
            if (v == null) {
                continue;
            }
            st.remove(g.node, vol);
            SimStorage dest = s.storage(mapped(mapping, st.id)).orElse(st);
            String volid = vol;
            String format = v.format;
            if (dest != st) {
                String name = vol.substring(vol.lastIndexOf(vol.contains("/") ? '/' : ':') + 1)
                        .replaceFirst("\\.[a-z0-9]+$", "");
                format = dest.fileBased() ? (g.type.equals("qemu") ? "qcow2" : "raw") : "raw";
                volid = dest.fileBased() ? dest.id + ":" + g.vmid + "/" + name + "." + format : dest.id + ":" + name;
                String line = g.config.get(e.getKey());
                if (line != null) {
                    g.config.put(e.getKey(), line.replace(vol, volid));
                }
            }
            SimVolume moved = new SimVolume(dest.id, target, volid, v.content, format, v.size, v.vmid, v.ctime);
            moved.parent = dest == st ? v.parent : null;
            dest.add(moved);
        }
        g.node = target;
    }

    private static Map<String, String> storageMapping(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank() || spec.equals("1")) {
            return out;
        }
        for (String part : spec.split(",")) {
            String p = part.strip();
            int colon = p.indexOf(':');
            if (colon < 0) {
                out.put("*", p);
            } else {
                out.put(p.substring(0, colon), p.substring(colon + 1));
            }
        }
        return out;
    }

    private static String mapped(Map<String, String> mapping, String storage) {
        return mapping.getOrDefault(storage, mapping.getOrDefault("*", storage));
    }

    // ---- snapshots

    /**
     * @param g the guest
     * @return the snapshots and the {@code current} entry, as {@code GET .../snapshot} returns them
     */
    public List<Map<String, Object>> snapshots(SimGuest g) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SimSnapshot snap : g.snapshots.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", snap.name);
            m.put("description", snap.description == null ? "" : snap.description);
            m.put("snaptime", snap.snaptime);
            if (snap.parent != null) {
                m.put("parent", snap.parent);
            }
            if (g.type.equals("qemu")) {
                m.put("vmstate", snap.vmstate ? 1 : 0);
            }
            out.add(m);
        }
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("name", "current");
        current.put("description", "You are here!");
        current.put("digest", g.digest());
        if (g.config.get("parent") != null) {
            current.put("parent", g.config.get("parent"));
        }
        if (g.type.equals("qemu")) {
            current.put("running", g.running() ? 1 : 0);
        }
        out.add(current);
        return out;
    }

    /**
     * Takes a snapshot ({@code POST .../snapshot}).
     *
     * @param g the guest
     * @param name the snapshot name
     * @param description its description, or {@code null}
     * @param vmstate whether to save the RAM of a running VM
     * @param authid the caller
     * @return the task
     */
    public SimTask snapshot(SimGuest g, String name, String description, boolean vmstate, String authid) {
        if (name.equals("current") || name.equals("pending")) {
            throw PveError.fail("unable to use snapshot name '" + name + "' (reserved name)");
        }
        if (name.equals("vzdump")) {
            throw PveError.fail("unable to use snapshot name 'vzdump' (reserved name)");
        }
        checkLock(g, false);
        if (g.snapshots.containsKey(name)) {
            throw PveError.fail("snapshot name '" + name + "' already used");
        }
        for (String vol : g.diskVolumes().values()) {
            SimStorage st = s.storage(vol.substring(0, vol.indexOf(':'))).orElseThrow();
            if (!st.supportsSnapshots() || vol.endsWith(".raw") && g.type.equals("qemu")) {
                throw PveError.fail("snapshot feature is not available");
            }
        }
        boolean withState = vmstate && g.running() && g.type.equals("qemu");
        return task(g, "qmsnapshot", "vzsnapshot", authid, SNAPSHOT_MS + (withState ? 4000 : 0), t -> {
            g.config.put("lock", "snapshot");
            if (withState) {
                t.log("saving VM state and RAM using storage '" + g.diskVolumes().values().iterator().next()
                        .split(":")[0] + "'");
            }
        }, t -> {
            g.config.remove("lock");
            Map<String, String> copy = new LinkedHashMap<>(g.config);
            copy.remove("parent");
            copy.remove("lock");
            SimSnapshot snap = new SimSnapshot(name, description, s.clock().seconds(), g.config.get("parent"),
                    withState, g.running(), copy);
            g.snapshots.put(name, snap);
            g.config.put("parent", name);
            t.log("snapshot '" + name + "' created");
        }, t -> g.config.remove("lock"));
    }

    /**
     * @param g the guest
     * @param name a snapshot name
     * @return the snapshot
     * @throws PveError 500 if it does not exist
     */
    public SimSnapshot requireSnapshot(SimGuest g, String name) {
        SimSnapshot snap = g.snapshots.get(name);
        if (snap == null) {
            throw PveError.fail("snapshot '" + name + "' does not exist");
        }
        return snap;
    }

    /**
     * Deletes a snapshot ({@code DELETE .../snapshot/{snapname}}).
     *
     * @param g the guest
     * @param name the snapshot
     * @param force whether to remove it from the configuration even if removing its data fails
     * @param authid the caller
     * @return the task
     */
    public SimTask deleteSnapshot(SimGuest g, String name, boolean force, String authid) {
        SimSnapshot snap = requireSnapshot(g, name);
        if (!force) {
            checkLock(g, false);
        }
        return task(g, "qmdelsnapshot", "vzdelsnapshot", authid, SNAPSHOT_MS, t -> g.config.put("lock",
                "snapshot-delete"), t -> {
                    g.snapshots.remove(name);
                    for (SimSnapshot other : g.snapshots.values()) {
                        if (name.equals(other.parent)) {
                            g.snapshots.put(other.name, new SimSnapshot(other.name, other.description, other.snaptime,
                                    snap.parent, other.vmstate, other.running, other.config));
                        }
                    }
                    if (name.equals(g.config.get("parent"))) {
                        if (snap.parent != null) {
                            g.config.put("parent", snap.parent);
                        } else {
                            g.config.remove("parent");
                        }
                    }
                    g.config.remove("lock");
                }, t -> g.config.remove("lock"));
    }

    /**
     * Rolls back to a snapshot ({@code POST .../snapshot/{snapname}/rollback}). The guest stops, unless the
     * snapshot holds the RAM state of a running VM; {@code start} starts it afterwards.
     *
     * @param g the guest
     * @param name the snapshot
     * @param start whether to start the guest after the rollback
     * @param authid the caller
     * @return the task
     */
    public SimTask rollback(SimGuest g, String name, boolean start, String authid) {
        SimSnapshot snap = requireSnapshot(g, name);
        checkLock(g, false);
        if (start) {
            Perms.require(s, authid, "/vms/" + g.vmid, "VM.PowerMgmt");
        }
        return task(g, "qmrollback", "vzrollback", authid, 3000, t -> g.config.put("lock", "rollback"), t -> {
            if (g.running()) {
                powerOff(g);
            }
            g.config.clear();
            g.config.putAll(snap.config);
            g.config.put("parent", name);
            g.pending.clear();
            g.pendingDelete.clear();
            if (snap.vmstate && snap.running || start) {
                g.status = "running";
                g.startedAt = s.clock().seconds();
            }
        }, t -> g.config.remove("lock"));
    }
}
