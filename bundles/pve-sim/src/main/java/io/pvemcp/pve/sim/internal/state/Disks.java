package io.pvemcp.pve.sim.internal.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pvemcp.pve.contract.PropertyString;

/**
 * What a VM's disks do beyond creation and resize, as qemu-server does it: move a disk to another storage or
 * reassign it to another VM ({@code POST .../move_disk}), and detach or destroy disks ({@code PUT .../unlink}).
 * Call with the {@link SimState} lock held.
 */
public final class Disks {

    private static final long MOVE_MS = 3000;

    private final SimState s;

    /** @param state the cluster */
    public Disks(SimState state) {
        this.s = state;
    }

    /**
     * Moves a disk to another storage, or reassigns it to another VM on the same node.
     *
     * @param g the VM
     * @param disk the disk key, e.g. {@code scsi1} or {@code unused0}
     * @param storage the target storage, or {@code null} to reassign
     * @param targetVmid the VM to reassign to, or {@code null}
     * @param targetDisk the key in the target VM (default: the same key)
     * @param delete whether to remove the source after a storage move (otherwise it becomes an unused disk)
     * @param digest the source configuration's digest the caller read, or {@code null}
     * @param targetDigest the target's, or {@code null}
     * @param authid the caller
     * @return the {@code qmmove} task
     */
    public SimTask move(SimGuest g, String disk, String storage, Integer targetVmid, String targetDisk, boolean delete,
            String digest, String targetDigest, String authid) {
        if (storage == null && targetVmid == null) {
            throw PveError.fail("either set 'storage' or 'target-vmid'");
        }
        if (storage != null && targetVmid != null) {
            throw PveError.param("target-vmid", "either set 'storage' or 'target-vmid', not both");
        }
        if (digest != null && !digest.equals(g.digest())) {
            throw PveError.fail("VM " + g.vmid + ": checksum mismatch (file change by other user?)");
        }
        Guests.checkLock(g, false);
        String value = g.config.get(disk);
        if (value == null) {
            throw PveError.fail("disk '" + disk + "' does not exist");
        }
        if (SimGuest.isCdrom(value)) {
            throw PveError.fail("you can't move a cdrom");
        }
        Map<String, String> drive = PropertyString.parse(value, g.volumeKey());
        String volid = drive.get(g.volumeKey());
        SimVolume source = s.volume(g.node, volid).orElseThrow(() -> PveError.fail("volume '" + volid
                + "' does not exist"));
        return targetVmid == null ? moveToStorage(g, disk, drive, source, storage, delete, authid)
                : reassign(g, disk, drive, source, targetVmid, targetDisk == null ? disk : targetDisk, delete,
                        targetDigest, authid);
    }

    private SimTask moveToStorage(SimGuest g, String disk, Map<String, String> drive, SimVolume source, String storage,
            boolean delete, String authid) {
        SimStorage target = s.volumes().checkForDisks(storage, g.node, g.type);
        Perms.require(s, authid, "/storage/" + target.id, "Datastore.AllocateSpace");
        if (target.id.equals(source.storage)) {
            throw PveError.fail("you can't move to the same storage with same format");
        }
        if (delete && usedBySnapshot(g, source.volid)) {
            throw PveError.fail("you can't move a disk with snapshots and delete the source");
        }
        return s.tasks().start(g.node, "qmmove", Integer.toString(g.vmid), authid, MOVE_MS, t -> {
            g.config.put("lock", "disk");
            t.log("create full clone of drive " + disk + " (" + source.volid + ")");
        }, t -> {
            g.config.remove("lock");
            SimVolume copy = s.volumes().allocateDisk(target, g.node, g.vmid, g.type, source.size, false);
            t.log("transferred " + PropertyString.formatSize(source.size) + " of " + PropertyString.formatSize(
                    source.size) + " (100.00%)");
            drive.put(g.volumeKey(), copy.volid);
            drive.put("size", PropertyString.formatSize(copy.size));
            g.config.put(disk, PropertyString.format(drive, g.volumeKey()));
            if (delete) {
                s.volumes().free(g.node, source.volid);
                t.log("removing old volume '" + source.volid + "'");
            } else if (!disk.startsWith("unused")) {
                g.config.put(freeUnused(g), source.volid);
            }
        }, t -> g.config.remove("lock"));
    }

    private SimTask reassign(SimGuest g, String disk, Map<String, String> drive, SimVolume source, int targetVmid,
            String targetDisk, boolean delete, String targetDigest, String authid) {
        if (delete) {
            throw PveError.param("delete", "'delete' is not allowed when moving a disk to another VM (target-vmid)");
        }
        if (targetVmid == g.vmid) {
            throw PveError.fail("You cannot move a disk to the same VM without a target disk");
        }
        SimGuest target = s.guests().get(targetVmid);
        if (target == null || !target.type.equals("qemu") || !target.node.equals(g.node)) {
            throw PveError.fail("VM " + targetVmid + " does not exist on node '" + g.node + "'; a disk can only be "
                    + "reassigned to a VM on the same node");
        }
        Perms.require(s, authid, "/vms/" + targetVmid, "VM.Config.Disk");
        if (targetDigest != null && !targetDigest.equals(target.digest())) {
            throw PveError.fail("VM " + targetVmid + ": checksum mismatch (file change by other user?)");
        }
        Guests.checkLock(target, false);
        if (g.template() || target.template()) {
            throw PveError.fail("Can't reassign disks of or to a template");
        }
        if (usedBySnapshot(g, source.volid)) {
            throw PveError.fail("Can't move disk used by a snapshot to another VM");
        }
        if (!target.isDiskKey(targetDisk)) {
            throw PveError.param("target-disk", "'" + targetDisk + "' is not a disk key");
        }
        if (target.config.containsKey(targetDisk)) {
            throw PveError.fail("key '" + targetDisk + "' is already in use in VM " + targetVmid);
        }
        if (g.running() && !disk.startsWith("unused")) {
            throw PveError.fail("cannot move disk '" + disk + "' of running VM " + g.vmid + " to another VM");
        }
        return s.tasks().start(g.node, "qmmove", Integer.toString(g.vmid), authid, 500, t -> {
            g.config.put("lock", "disk");
        }, t -> {
            g.config.remove("lock");
            SimStorage st = s.storage(source.storage).orElseThrow();
            s.volumes().free(g.node, source.volid);
            SimVolume renamed = s.volumes().allocateDisk(st, g.node, targetVmid, g.type, source.size, false);
            t.log("reassigning disk '" + source.volid + "' of VM " + g.vmid + " to VM " + targetVmid + " as '"
                    + renamed.volid + "'");
            g.config.remove(disk);
            String value;
            if (targetDisk.startsWith("unused")) {
                value = renamed.volid;
            } else {
                drive.put(g.volumeKey(), renamed.volid);
                drive.put("size", PropertyString.formatSize(renamed.size));
                value = PropertyString.format(drive, g.volumeKey());
            }
            target.config.put(targetDisk, value);
        }, t -> g.config.remove("lock"));
    }

    /**
     * Removes disks from the configuration ({@code PUT .../unlink}): a disk in use becomes an unused disk, unless
     * {@code force} destroys its volume; an unused disk is destroyed.
     *
     * @param g the VM
     * @param idlist the disk keys, comma-separated
     * @param force whether to destroy the volumes of disks in use too
     */
    public void unlink(SimGuest g, String idlist, boolean force) {
        Guests.checkLock(g, false);
        List<String> keys = new ArrayList<>();
        for (String k : idlist.split("[,;\\s]+")) {
            if (!k.isEmpty()) {
                keys.add(k);
            }
        }
        for (String k : keys) {
            if (!g.isDiskKey(k)) {
                throw PveError.param("idlist", "'" + k + "' is not a disk");
            }
        }
        for (String k : keys) {
            String value = g.config.remove(k);
            if (value == null || SimGuest.isCdrom(value)) {
                continue;
            }
            String volid = PropertyString.parse(value, g.volumeKey()).get(g.volumeKey());
            if (k.startsWith("unused") || force) {
                if (usedBySnapshot(g, volid)) {
                    g.config.put(freeUnused(g), volid);
                } else {
                    s.volumes().free(g.node, volid);
                }
            } else {
                g.config.put(freeUnused(g), volid);
            }
        }
    }

    private static boolean usedBySnapshot(SimGuest g, String volid) {
        for (SimSnapshot snap : g.snapshots.values()) {
            for (var e : snap.config.entrySet()) {
                if (g.isDiskKey(e.getKey()) && volid.equals(PropertyString.parse(e.getValue(), g.volumeKey())
                        .get(g.volumeKey()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return the first free {@code unusedN} key of a guest */
    static String freeUnused(SimGuest g) {
        int n = 0;
        while (g.config.containsKey("unused" + n)) {
            n++;
        }
        return "unused" + n;
    }
}
