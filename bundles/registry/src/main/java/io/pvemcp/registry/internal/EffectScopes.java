package io.pvemcp.registry.internal;

import java.util.Map;
import java.util.regex.Pattern;

import io.pvemcp.api.Scopes;

/**
 * The scope of what a Proxmox request does, whatever tool sends it: powering a guest on or off needs
 * {@link Scopes#POWER}, creating or changing a guest (or its disks, snapshots, backups, firewall)
 * {@link Scopes#WRITE}, deleting a guest or its data, rolling back or restoring over it {@link Scopes#DESTROY}, and
 * everything beyond guests (nodes, cluster, storage, network, access, pools, HA), running commands inside a guest
 * or opening its console {@link Scopes#ADMIN}. Reads need no scope of their own: the tool's scope covers what it
 * shows. The guarded client refuses a request whose effect the caller may not cause, before it reaches Proxmox.
 */
final class EffectScopes {

    private static final Pattern GUEST = Pattern.compile("/nodes/\\{node}/(qemu|lxc)/\\{vmid}(/.*)?");
    private static final Pattern GUEST_POWER = Pattern.compile(
            "/nodes/\\{node}/(qemu|lxc)/\\{vmid}/status/(start|stop|shutdown|reboot|reset|suspend|resume)");
    private static final Pattern GUEST_CREATE = Pattern.compile("/nodes/\\{node}/(qemu|lxc)");
    /** Inside the guest (any agent command, files, passwords) or its console: as good as root on it. */
    private static final Pattern GUEST_ADMIN = Pattern.compile("/nodes/\\{node}/qemu/\\{vmid}/agent(/(exec|exec-status"
            + "|file-read|file-write|set-user-password))?|/nodes/\\{node}/(qemu|lxc)/\\{vmid}/(termproxy|vncproxy"
            + "|spiceproxy|vncwebsocket|mtunnel|mtunnelwebsocket|remote_migrate)");
    /** Node-level paths that concern guests: backups, content of storages, tasks. */
    private static final Pattern NODE_GUEST_WORK = Pattern.compile(
            "/nodes/\\{node}/(vzdump|tasks/\\{upid}|storage/\\{storage}/(content(/\\{volume})?|upload|download-url))");

    private EffectScopes() {
    }

    /**
     * @param method the HTTP method
     * @param path the path template
     * @param params the parameters
     * @return the scope the request's effect needs, or {@code null} for a read
     */
    static String of(String method, String path, Map<String, ?> params) {
        if (GUEST_ADMIN.matcher(path).matches()) {
            return Scopes.ADMIN;
        }
        if ("GET".equals(method)) {
            return null;
        }
        if (GUEST_POWER.matcher(path).matches() || path.equals("/nodes/{node}/qemu/{vmid}/agent/shutdown")) {
            return Scopes.POWER;
        }
        boolean guestWork = GUEST_CREATE.matcher(path).matches() || GUEST.matcher(path).matches()
                || NODE_GUEST_WORK.matcher(path).matches();
        if (guestWork && (("DELETE".equals(method) && !path.endsWith("/tasks/{upid}")) || path.endsWith("/rollback")
                || (GUEST_CREATE.matcher(path).matches() && truthy(params.get("force"))))) {
            return Scopes.DESTROY;
        }
        if (guestWork) {
            return Scopes.WRITE;
        }
        return Scopes.ADMIN;
    }

    /**
     * @return the scope a request needs besides {@link #of}: creating, restoring or cloning a guest that starts at
     *         once also powers it on; {@code null} if none
     */
    static String also(String method, String path, Map<String, ?> params) {
        if ("POST".equals(method) && (GUEST_CREATE.matcher(path).matches() || path.endsWith("/clone"))
                && truthy(params.get("start"))) {
            return Scopes.POWER;
        }
        return null;
    }

    private static boolean truthy(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.intValue() != 0;
        }
        return v != null && (v.toString().equals("1") || v.toString().equalsIgnoreCase("true"));
    }

    /** @return what a caller without {@code scope} is told about the request */
    static String refusal(String who, String scope, String method, String path) {
        String what = switch (scope) {
            case Scopes.POWER -> "changes the power state of a guest";
            case Scopes.WRITE -> "changes a guest or its data";
            case Scopes.DESTROY -> "deletes a guest or its data, or rolls it back";
            default -> "administers the cluster, a node, storage, access, or the inside of a guest";
        };
        return "This call's Proxmox request " + method + " " + path + " " + what + ", which needs the scope " + scope
                + "; " + who + " does not grant it. Nothing was done by this request. Ask the operator for a token with "
                + scope + ", or call without the option that needs it.";
    }
}
