package io.pvemcp.pve.sim.internal.state;

import java.util.Collection;
import java.util.Set;

/**
 * Which privilege each configuration option needs, as qemu-server's and pve-container's
 * {@code check_vm_modify_config_perm} map them: on the guest, or on the pool a new guest is created in. Some options
 * are for {@code root@pam} itself only, not for its API tokens either.
 */
public final class ConfigPrivileges {

    /** Options only {@code root@pam} itself may set. */
    public static final Set<String> ROOT_ONLY = Set.of("lock", "args", "hookscript", "vmstate", "runningmachine",
            "runningcpu");

    private ConfigPrivileges() {
    }

    /**
     * @param s the cluster
     * @param authid the caller
     * @param type {@code qemu} or {@code lxc}
     * @param vmid the guest
     * @param pool the pool a new guest goes into, or {@code null}
     * @param keys the options set or deleted
     * @throws PveError 500 for a root-only option, 403 for a missing privilege
     */
    public static void check(SimState s, String authid, String type, int vmid, String pool, Collection<String> keys) {
        if (!"root@pam".equals(authid)) {
            for (String key : keys) {
                if (ROOT_ONLY.contains(key)) {
                    throw PveError.fail("only root can set '" + key + "' config");
                }
            }
        }
        if (authid == null || "root@pam".equals(authid)) {
            return;
        }
        for (String key : keys) {
            String priv = privilege(type, key);
            if (pool != null && Perms.has(s, authid, "/pool/" + pool, priv)) {
                continue;
            }
            Perms.require(s, authid, "/vms/" + vmid, priv);
        }
    }

    static String privilege(String type, String key) {
        if (SimGuest.isDiskKey(type, key)) {
            return "VM.Config.Disk";
        }
        if (key.matches("net\\d+")) {
            return "VM.Config.Network";
        }
        if (Set.of("cores", "sockets", "cpu", "cpulimit", "cpuunits", "vcpus", "affinity", "numa").contains(key)) {
            return "VM.Config.CPU";
        }
        if (Set.of("memory", "balloon", "shares", "swap").contains(key)) {
            return "VM.Config.Memory";
        }
        if (key.startsWith("ipconfig") || Set.of("ciuser", "cipassword", "citype", "sshkeys", "nameserver",
                "searchdomain", "cicustom", "ciupgrade").contains(key)) {
            return "VM.Config.Cloudinit";
        }
        if (Set.of("ostype", "bios", "machine", "vga", "scsihw", "tablet", "kvm", "arch", "acpi").contains(key)
                || key.startsWith("serial") || key.startsWith("usb")) {
            return "VM.Config.HWType";
        }
        if (key.equals("ide2") || key.equals("cdrom")) {
            return "VM.Config.CDROM";
        }
        return "VM.Config.Options";
    }
}
