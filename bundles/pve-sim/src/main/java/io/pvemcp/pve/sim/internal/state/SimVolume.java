package io.pvemcp.pve.sim.internal.state;

import java.util.Map;

/**
 * A volume on a storage: a guest disk, an ISO image, a container template or a backup. Guarded by the
 * {@link SimState} lock.
 */
public final class SimVolume {

    final String storage;
    /** The node whose local storage holds it, or {@code null} on shared storage. */
    final String node;
    final String volid;
    /** {@code images}, {@code rootdir}, {@code iso}, {@code vztmpl} or {@code backup}. */
    final String content;
    final String format;
    long size;
    final Integer vmid;
    final long ctime;
    String notes;
    boolean protectedFlag;
    /** The base volume of a linked clone. */
    String parent;
    /** For a backup: the guest type ({@code qemu} or {@code lxc}). */
    String backupType;
    /** For a backup: the guest configuration it holds. */
    Map<String, String> backupConfig;

    SimVolume(String storage, String node, String volid, String content, String format, long size, Integer vmid,
            long ctime) {
        this.storage = storage;
        this.node = node;
        this.volid = volid;
        this.content = content;
        this.format = format;
        this.size = size;
        this.vmid = vmid;
        this.ctime = ctime;
    }

    /** @return the volume id, e.g. {@code local-lvm:vm-100-disk-0} */
    public String volid() {
        return volid;
    }

    /** @return the size in bytes */
    public long size() {
        return size;
    }

    /** @return the content type */
    public String content() {
        return content;
    }

    /** @return the storage id */
    public String storage() {
        return storage;
    }

    /** @return the node of a local storage's volume, or {@code null} on shared storage */
    public String node() {
        return node;
    }

    /** @return the format: {@code raw}, {@code qcow2}, {@code iso}, {@code vma.zst}, {@code pbs-vm}, ... */
    public String format() {
        return format;
    }

    /** @return the creation time (seconds) */
    public long ctime() {
        return ctime;
    }

    /** @return the notes, or {@code null} */
    public String notes() {
        return notes;
    }

    /** @param notes the notes, or {@code null} */
    public void notes(String notes) {
        this.notes = notes;
    }

    /** @return whether the volume is protected from deletion */
    public boolean protectedFlag() {
        return protectedFlag;
    }

    /** @param value whether the volume is protected from deletion */
    public void protectedFlag(boolean value) {
        this.protectedFlag = value;
    }

    /** @return the base volume of a linked clone, or {@code null} */
    public String parent() {
        return parent;
    }

    /** @return for a backup, the guest type; otherwise {@code null} */
    public String backupType() {
        return backupType;
    }

    /** @return for a backup, the guest configuration it holds (a copy); otherwise {@code null} */
    public java.util.Map<String, String> backupConfig() {
        return backupConfig == null ? null : new java.util.LinkedHashMap<>(backupConfig);
    }

    /** @return the owning VMID, or {@code null} */
    public Integer vmid() {
        return vmid;
    }
}
