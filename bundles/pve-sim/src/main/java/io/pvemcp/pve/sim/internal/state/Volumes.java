package io.pvemcp.pve.sim.internal.state;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import io.pvemcp.pve.contract.PropertyString;

/**
 * Naming, allocation and freeing of volumes, following the conventions of each storage type: thin volumes
 * {@code local-lvm:vm-100-disk-0}, files {@code nfs:100/vm-100-disk-0.qcow2}, templates' base volumes
 * {@code base-9000-disk-0}, backups {@code local:backup/vzdump-qemu-100-2026_01_31-02_00_00.vma.zst} or
 * {@code pbs:backup/vm/100/2026-01-31T02:00:00Z}. Call with the {@link SimState} lock held.
 */
public final class Volumes {

    private static final DateTimeFormatter VZDUMP = DateTimeFormatter.ofPattern("yyyy_MM_dd-HH_mm_ss")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter PBS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final SimState state;

    Volumes(SimState state) {
        this.state = state;
    }

    /**
     * Checks that a storage can hold a new guest disk on a node, as Proxmox VE does before it allocates.
     *
     * @param storage the storage id
     * @param node the node
     * @param guestType {@code qemu} or {@code lxc}
     * @return the storage
     */
    public SimStorage checkForDisks(String storage, String node, String guestType) {
        SimStorage s = state.storage(storage).orElseThrow(() -> PveError.fail(
                "storage '" + storage + "' does not exist"));
        if (!s.availableOn(node)) {
            throw PveError.fail("storage '" + storage + "' is not available on node '" + node + "'");
        }
        String content = guestType.equals("qemu") ? "images" : "rootdir";
        if (!s.content.contains(content)) {
            // qemu-server's and pve-container's storage access checks raise these as parameter errors, before any task
            throw PveError.param("storage", guestType.equals("qemu") ? "storage '" + storage + "' does not support vm "
                    + "images" : "storage '" + storage + "' does not support container directories");
        }
        return s;
    }

    /**
     * Allocates a new disk for a guest.
     *
     * @param s the storage
     * @param node the guest's node
     * @param vmid the guest
     * @param guestType {@code qemu} or {@code lxc}
     * @param size the size in bytes
     * @param base whether it is a template's base volume
     * @return the new volume
     */
    public SimVolume allocateDisk(SimStorage s, String node, int vmid, String guestType, long size, boolean base) {
        if (size > s.avail(node)) {
            throw PveError.fail("unable to allocate " + PropertyString.formatSize(size) + " on storage '" + s.id
                    + "': only " + PropertyString.formatSize(s.avail(node) / (1 << 20) * (1 << 20)) + " free");
        }
        String prefix = base ? "base-" : "vm-";
        String format = s.fileBased() ? (guestType.equals("qemu") ? "qcow2" : "raw") : "raw";
        for (int n = 0;; n++) {
            String name = prefix + vmid + "-disk-" + n;
            String volid = s.fileBased() ? s.id + ":" + vmid + "/" + name + "." + format : s.id + ":" + name;
            if (!nameTaken(s, node, vmid, n)) {
                SimVolume v = new SimVolume(s.id, s.shared ? null : node, volid, guestType.equals("qemu") ? "images"
                        : "rootdir", format, size, vmid, state.clock().seconds());
                s.add(v);
                return v;
            }
        }
    }

    private boolean nameTaken(SimStorage s, String node, int vmid, int n) {
        String a = "vm-" + vmid + "-disk-" + n;
        String b = "base-" + vmid + "-disk-" + n;
        for (SimVolume v : s.volumes(node)) {
            String name = v.volid.substring(v.volid.indexOf(':') + 1);
            name = name.substring(name.lastIndexOf('/') + 1);
            int dot = name.indexOf('.');
            name = dot < 0 ? name : name.substring(0, dot);
            if (name.equals(a) || name.equals(b)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Creates a linked clone of a template's base volume.
     *
     * @param baseVolume the base volume
     * @param node the node of the new guest
     * @param vmid the new guest
     * @param guestType {@code qemu} or {@code lxc}
     * @return the new volume
     */
    public SimVolume linkedClone(SimVolume baseVolume, String node, int vmid, String guestType) {
        SimStorage s = state.storage(baseVolume.storage).orElseThrow();
        SimVolume fresh = allocateDisk(s, node, vmid, guestType, 0, false);
        s.remove(fresh.node, fresh.volid);
        String baseName = baseVolume.volid.substring(baseVolume.volid.indexOf(':') + 1);
        String newName = fresh.volid.substring(fresh.volid.indexOf(':') + 1);
        String volid = s.id + ":" + baseName + "/" + newName;
        SimVolume v = new SimVolume(s.id, fresh.node, volid, fresh.content, fresh.format, baseVolume.size, vmid,
                state.clock().seconds());
        v.parent = baseVolume.volid;
        s.add(v);
        return v;
    }

    /**
     * Renames a template's disk to a base volume, as converting to a template does.
     *
     * @param v the volume
     * @param vmid the template
     * @return the base volume
     */
    public SimVolume toBase(SimVolume v, int vmid) {
        if (v.volid.contains(":base-") || v.volid.contains("/base-")) {
            return v;
        }
        SimStorage s = state.storage(v.storage).orElseThrow();
        String volid = v.volid.replace("vm-" + vmid + "-disk-", "base-" + vmid + "-disk-");
        SimVolume b = new SimVolume(v.storage, v.node, volid, v.content, v.format, v.size, vmid, v.ctime);
        s.remove(v.node, v.volid);
        s.add(b);
        return b;
    }

    /**
     * Registers an existing volume (fixtures, uploads).
     *
     * @param s the storage
     * @param node the node for local storage
     * @param volid the volume id
     * @param content the content type
     * @param size the size in bytes
     * @param vmid the owner, or {@code null}
     * @param ctime the creation time (seconds)
     * @return the volume
     */
    public SimVolume register(SimStorage s, String node, String volid, String content, long size, Integer vmid,
            long ctime) {
        SimVolume v = new SimVolume(s.id, s.shared ? null : node, volid, content, formatOf(s, volid, content), size,
                vmid, ctime);
        int slash = volid.indexOf('/', volid.indexOf(':'));
        if (content.equals("images") || content.equals("rootdir")) {
            String rest = volid.substring(volid.indexOf(':') + 1);
            int sep = s.fileBased() ? rest.indexOf('/', rest.indexOf('/') + 1) : rest.indexOf('/');
            if (sep > 0 && rest.substring(0, sep).contains("base-")) {
                v.parent = s.id + ":" + rest.substring(0, sep);
            }
        } else if (slash < 0) {
            throw new IllegalArgumentException("not a volume id: " + volid);
        }
        s.add(v);
        return v;
    }

    /**
     * Frees a volume.
     *
     * @param node the node (for local storage)
     * @param volid the volume id
     * @return whether it existed
     */
    public boolean free(String node, String volid) {
        int colon = volid.indexOf(':');
        if (colon < 0) {
            return false;
        }
        return state.storage(volid.substring(0, colon)).map(s -> s.remove(node, volid)).orElse(false);
    }

    /**
     * Creates a backup volume.
     *
     * @param s the backup storage
     * @param node the node the backup ran on
     * @param guest the guest
     * @param time the backup time (seconds)
     * @param compress {@code zstd}, {@code gzip}, {@code lzo} or {@code 0}
     * @param config the configuration the backup holds
     * @return the backup volume
     */
    public SimVolume createBackup(SimStorage s, String node, SimGuest guest, long time, String compress,
            Map<String, String> config) {
        Instant at = Instant.ofEpochSecond(time);
        String volid;
        String format;
        if (s.type.equals("pbs")) {
            volid = s.id + ":backup/" + (guest.type.equals("qemu") ? "vm" : "ct") + "/" + guest.vmid + "/"
                    + PBS.format(at);
            format = guest.type.equals("qemu") ? "pbs-vm" : "pbs-ct";
        } else {
            String ext = switch (compress) {
                case "gzip", "1" -> ".gz";
                case "lzo" -> ".lzo";
                case "0" -> "";
                default -> ".zst";
            };
            String kind = guest.type.equals("qemu") ? "vma" : "tar";
            volid = s.id + ":backup/vzdump-" + guest.type + "-" + guest.vmid + "-" + VZDUMP.format(at) + "." + kind
                    + ext;
            format = kind + ext;
        }
        long size = Math.max(1L << 20, guest.diskSize() / 3);
        SimVolume v = new SimVolume(s.id, s.shared ? null : node, volid, "backup", format, size, guest.vmid, time);
        v.backupType = guest.type;
        v.backupConfig = new java.util.LinkedHashMap<>(config);
        s.add(v);
        return v;
    }

    private static String formatOf(SimStorage s, String volid, String content) {
        return switch (content) {
            case "iso" -> "iso";
            case "vztmpl" -> volid.endsWith(".tar.zst") ? "tzst" : volid.endsWith(".tar.xz") ? "txz" : "tgz";
            case "backup" -> volid.contains(":backup/vm/") ? "pbs-vm" : volid.contains(":backup/ct/") ? "pbs-ct"
                    : volid.substring(volid.indexOf('.') + 1);
            case "snippets" -> "snippet";
            default -> volid.endsWith(".qcow2") ? "qcow2" : volid.endsWith(".vmdk") ? "vmdk" : "raw";
        };
    }
}
