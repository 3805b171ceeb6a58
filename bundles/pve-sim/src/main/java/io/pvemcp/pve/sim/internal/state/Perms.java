package io.pvemcp.pve.sim.internal.state;

import java.util.Set;

/** Permission checks made inside methods, beyond the contract's rule, with Proxmox VE's 403 message. */
public final class Perms {

    private Perms() {
    }

    /**
     * @param s the state
     * @param authid the caller
     * @param path an ACL path
     * @param privilege a privilege
     * @return whether the caller holds it
     */
    public static boolean has(SimState s, String authid, String path, String privilege) {
        return authid == null || s.access().privileges(authid, path).contains(privilege);
    }

    /**
     * Fails with 403 unless the caller holds every privilege on the path.
     *
     * @param s the state
     * @param authid the caller
     * @param path an ACL path
     * @param privileges the privileges
     */
    public static void require(SimState s, String authid, String path, String... privileges) {
        if (authid == null) {
            return;
        }
        Set<String> held = s.access().privileges(authid, path);
        for (String p : privileges) {
            if (!held.contains(p)) {
                throw PveError.permission(path, p);
            }
        }
    }

    /**
     * Fails with 403 unless the caller holds one of the privileges on the path.
     *
     * @param s the state
     * @param authid the caller
     * @param path an ACL path
     * @param privileges the privileges
     */
    public static void requireAny(SimState s, String authid, String path, String... privileges) {
        if (authid == null) {
            return;
        }
        Set<String> held = s.access().privileges(authid, path);
        for (String p : privileges) {
            if (held.contains(p)) {
                return;
            }
        }
        throw PveError.permission(path, String.join("|", privileges));
    }
}
