package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.pve.sim.internal.state.Access;
import io.pvemcp.pve.sim.internal.state.SimNode;

/** Version, access, cluster and node handlers of the simulated API. */
public final class CoreHandlers {

    private CoreHandlers() {
    }

    /**
     * Adds the handlers of this group.
     *
     * @param handlers the map to add to, keyed {@code "GET /version"}
     */
    public static void register(Map<String, ApiHandler> handlers) {
        handlers.put("GET /version", c -> c.state().version());
        handlers.put("GET /nodes/{node}/version", c -> c.state().version());
        handlers.put("GET /access/domains", c -> List.of(
                Map.of("realm", "pam", "type", "pam", "comment", "Linux PAM standard authentication"),
                Map.of("realm", "pve", "type", "pve", "comment", "Proxmox VE authentication server")));
        handlers.put("GET /access/ticket", c -> null);
        handlers.put("POST /access/ticket", CoreHandlers::ticket);
        handlers.put("GET /access/permissions", CoreHandlers::permissions);
        handlers.put("GET /nodes", CoreHandlers::nodes);
        handlers.put("GET /nodes/{node}/status", c -> c.state().nodeStatus(node(c)));
        handlers.put("GET /cluster/status", c -> c.state().clusterStatus());
        handlers.put("GET /cluster/resources", CoreHandlers::resources);
        handlers.put("GET /cluster/nextid", CoreHandlers::nextId);
        handlers.put("GET /nodes/{node}/qemu", c -> visibleGuests(c, "qemu"));
        handlers.put("GET /nodes/{node}/lxc", c -> visibleGuests(c, "lxc"));
    }

    /** Logs in with a password, or renews a ticket passed as the password. */
    private static Object ticket(ApiCall c) {
        String username = c.param("username");
        String realm = c.param("realm");
        if (!username.contains("@")) {
            if (realm == null) {
                throw new ApiException(401, "authentication failure");
            }
            username = username + "@" + realm;
        }
        String password = c.param("password");
        Access access = c.state().access();
        String userid;
        if (password.startsWith("PVE:")) {
            try {
                userid = access.verifyTicket(password);
            } catch (Access.AuthException e) {
                throw new ApiException(401, "authentication failure");
            }
            if (!userid.equals(username) && !userid.equals("root@pam")) {
                throw new ApiException(401, "authentication failure");
            }
            userid = username;
        } else {
            try {
                userid = access.authenticate(username, password);
            } catch (Access.AuthException e) {
                throw new ApiException(401, "authentication failure");
            }
        }
        if (c.param("path") != null) {
            return Map.of("username", userid);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("username", userid);
        out.put("ticket", access.createTicket(userid));
        out.put("CSRFPreventionToken", access.csrfToken(userid));
        out.put("clustername", c.state().clusterName());
        return out;
    }

    private static Object permissions(ApiCall c) {
        String who = c.param("userid") != null ? c.param("userid") : c.authid();
        if (!who.equals(c.authid()) && !c.state().access().privileges(c.authid(), "/access").contains("Sys.Audit")
                && !who.startsWith(c.authid() + "!")) {
            throw new ApiException(403, "Permission check failed (/access, Sys.Audit)");
        }
        Access access = c.state().access();
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> paths = c.param("path") != null ? List.of(c.param("path")) : new ArrayList<>(access.aclPaths(who));
        for (String path : paths) {
            Set<String> privs = access.privileges(who, path);
            if (privs.isEmpty() && c.param("path") == null) {
                continue;
            }
            Map<String, Object> p = new LinkedHashMap<>();
            for (String priv : Access.PRIVILEGES) {
                if (privs.contains(priv)) {
                    p.put(priv, 1);
                }
            }
            out.put(path, p);
        }
        return out;
    }

    private static Object nodes(ApiCall c) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SimNode n : c.state().nodes()) {
            Map<String, Object> entry = c.state().nodeEntry(n);
            entry.remove("type");
            entry.remove("id");
            if (!c.state().access().privileges(c.authid(), "/nodes/" + n.name()).contains("Sys.Audit")) {
                entry.keySet().retainAll(Set.of("node", "status"));
            }
            out.add(entry);
        }
        return out;
    }

    private static Object resources(ApiCall c) {
        String type = c.param("type");
        List<Map<String, Object>> out = new ArrayList<>();
        Access access = c.state().access();
        for (Map<String, Object> r : c.state().resources(type)) {
            String t = String.valueOf(r.get("type"));
            String path;
            String priv;
            switch (t) {
                case "node" -> {
                    path = "/nodes/" + r.get("node");
                    priv = "Sys.Audit";
                }
                case "storage" -> {
                    path = "/storage/" + r.get("storage");
                    priv = "Datastore.Audit";
                }
                default -> {
                    path = "/vms/" + r.get("vmid");
                    priv = "VM.Audit";
                }
            }
            if (access.privileges(c.authid(), path).contains(priv)) {
                out.add(r);
            }
        }
        return out;
    }

    private static Object nextId(ApiCall c) {
        String wanted = c.param("vmid");
        if (wanted != null) {
            int id = Integer.parseInt(wanted);
            if (c.state().guests().containsKey(id)) {
                throw new ApiException(400, "Parameter verification failed.", Map.of("vmid", "VM " + id + " already exists"));
            }
            return id;
        }
        return c.state().nextId();
    }

    private static Object visibleGuests(ApiCall c, String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> g : c.state().guestList(c.param("node"), type)) {
            if (c.state().access().privileges(c.authid(), "/vms/" + g.get("vmid")).contains("VM.Audit")) {
                out.add(g);
            }
        }
        return out;
    }

    static SimNode node(ApiCall c) {
        return c.state().node(c.param("node")).orElseThrow();
    }
}
