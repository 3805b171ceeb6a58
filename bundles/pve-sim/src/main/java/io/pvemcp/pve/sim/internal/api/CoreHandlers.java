package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.pve.sim.internal.state.Access;
import io.pvemcp.pve.sim.internal.state.PveError;
import io.pvemcp.pve.sim.internal.state.SimNode;
import io.pvemcp.pve.sim.internal.state.SimState;

/** Version, login, cluster and node handlers of the simulated API. */
public final class CoreHandlers {


    private CoreHandlers() {
    }

    /**
     * Adds every handler of the simulated API.
     *
     * @param handlers the map to add to, keyed {@code "GET /version"}
     */
    public static void register(Map<String, ApiHandler> handlers) {
        handlers.put("GET /version", c -> c.state().version());
        handlers.put("GET /nodes/{node}/version", c -> c.state().version());
        handlers.put("GET /access/domains", c -> List.of(
                Map.of("realm", "pam", "type", "pam", "comment", "Linux PAM standard authentication"),
                Map.of("realm", "pve", "type", "pve", "comment", "Proxmox VE authentication server", "default", 1)));
        handlers.put("GET /access/ticket", c -> null);
        handlers.put("POST /access/ticket", CoreHandlers::ticket);
        handlers.put("GET /access/permissions", CoreHandlers::permissions);
        handlers.put("GET /cluster", c -> index("log", "options", "resources", "tasks", "backup", "ha", "status",
                "nextid", "firewall"));
        handlers.put("GET /cluster/status", c -> c.state().clusterStatus());
        handlers.put("GET /cluster/resources", CoreHandlers::resources);
        handlers.put("GET /cluster/nextid", CoreHandlers::nextId);
        handlers.put("GET /cluster/log", c -> {
            int max = c.integer("max") == null ? 50 : c.integer("max");
            return c.state().clusterLog(max);
        });
        handlers.put("GET /nodes", CoreHandlers::nodes);
        handlers.put("GET /nodes/{node}", c -> index("apt", "ceph", "disks", "dns", "firewall", "hosts", "lxc",
                "network", "qemu", "replication", "rrd", "rrddata", "scan", "services", "status", "storage", "syslog",
                "tasks", "time", "version", "vzdump"));
        handlers.put("GET /nodes/{node}/status", c -> c.state().nodeStatus(node(c)));
        handlers.put("GET /nodes/{node}/time", c -> {
            SimNode n = node(c);
            long now = c.state().clock().seconds();
            return Map.of("timezone", n.timezone(), "time", now, "localtime", now + 3600);
        });
        handlers.put("PUT /nodes/{node}/time", c -> {
            node(c).timezone(c.param("timezone"));
            return null;
        });
        handlers.put("GET /nodes/{node}/dns", c -> {
            SimNode n = node(c);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("search", n.dnsSearch());
            for (int i = 0; i < n.dnsServers().size() && i < 3; i++) {
                m.put("dns" + (i + 1), n.dnsServers().get(i));
            }
            return m;
        });
        handlers.put("PUT /nodes/{node}/dns", c -> {
            SimNode n = node(c);
            n.dnsSearch(c.param("search"));
            n.dnsServers().clear();
            for (String k : List.of("dns1", "dns2", "dns3")) {
                if (c.param(k) != null) {
                    n.dnsServers().add(c.param(k));
                }
            }
            return null;
        });
        handlers.put("GET /nodes/{node}/disks/list", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> d : node(c).disks()) {
                if ("unused".equals(c.param("type")) && d.containsKey("used")) {
                    continue;
                }
                out.add(d);
            }
            return out;
        });
        handlers.put("GET /nodes/{node}/apt/versions", c -> aptVersions());
        handlers.put("GET /nodes/{node}/rrddata", c -> nodeRrd(c, node(c)));
        NetworkHandlers.register(handlers);
        ClusterExtrasHandlers.register(handlers);
        GuestHandlers.register(handlers);
        StorageHandlers.register(handlers);
        TaskHandlers.register(handlers);
        AccessHandlers.register(handlers);
        PoolHandlers.register(handlers);
        HaHandlers.register(handlers);
        FirewallHandlers.register(handlers);
        AdminHandlers.register(handlers);
        BackupJobHandlers.register(handlers);
    }

    private static List<Map<String, Object>> index(String... subdirs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String s : subdirs) {
            out.add(Map.of("name", s));
        }
        return out;
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
            if (c.param("privs") != null) {
                for (String p : c.list("privs")) {
                    if (!access.privileges(userid, c.param("path")).contains(p)) {
                        throw new ApiException(401, "authentication failure");
                    }
                }
            }
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
            // as pve-manager's extract_node_stats: type and id always (the contract's return schema leaves them out,
            // clients such as Ansible's inventory rely on them), the figures only with Sys.Audit
            Map<String, Object> entry = c.state().nodeEntry(n);
            if (!c.state().access().privileges(c.authid(), "/nodes/" + n.name()).contains("Sys.Audit")) {
                entry.keySet().retainAll(Set.of("node", "status", "type", "id", "ssl_fingerprint"));
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
                case "pool" -> {
                    path = "/pool/" + r.get("pool");
                    priv = "Pool.Audit";
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

    static SimNode node(ApiCall c) {
        return c.state().node(c.param("node")).orElseThrow();
    }

    private static List<Map<String, Object>> aptVersions() {
        List<Map<String, Object>> out = new ArrayList<>();
        String[][] packages = {
            {"proxmox-ve", "9.1.0", "The Proxmox Virtual Environment"},
            {"pve-manager", SimState.VERSION, "Proxmox Virtual Environment Management Tools"},
            {"proxmox-kernel-6.17", "6.17.2-1", "Latest Proxmox Kernel Image"},
            {"qemu-server", "9.1.2", "Qemu Server Tools"},
            {"pve-container", "6.0.18", "Proxmox VE Container management tool"},
            {"pve-qemu-kvm", "10.1.2-4", "Full virtualization on x86 hardware"},
            {"lxc-pve", "6.0.5-3", "Linux containers userspace tools"},
            {"pve-ha-manager", "5.0.8", "Proxmox VE HA Manager"},
            {"pve-firewall", "6.0.4", "Proxmox VE Firewall"},
            {"libpve-storage-perl", "9.0.18", "Proxmox VE storage management library"},
            {"zfsutils-linux", "2.3.4-pve1", "command-line tools to manage OpenZFS filesystems"},
            {"ceph-fuse", "19.2.3-pve2", "FUSE-based client for the Ceph distributed file system"},
        };
        for (String[] p : packages) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Package", p[0]);
            m.put("Version", p[1]);
            m.put("Title", p[2]);
            m.put("Description", p[2]);
            m.put("Arch", "amd64");
            m.put("CurrentState", "Installed");
            m.put("Origin", "Proxmox");
            m.put("Priority", "optional");
            m.put("Section", "admin");
            if (p[0].equals("proxmox-ve")) {
                m.put("RunningKernel", "6.17.2-1-pve");
                m.put("ManagerVersion", SimState.VERSION);
            }
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, Object>> nodeRrd(ApiCall c, SimNode n) {
        long memTotal = n.memoryTotal();
        boolean online = n.online();
        String timeframe = "decade".equals(c.param("timeframe")) ? "year" : c.param("timeframe");
        return Rrd.series(timeframe, c.state().clock().seconds(), t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            if (!online || t < n.bootTime()) {
                return m;
            }
            double load = Rrd.load(n.name().hashCode(), t);
            m.put("cpu", Rrd.round(load * 0.4));
            m.put("maxcpu", n.cpus());
            m.put("loadavg", Rrd.round(load * n.cpus() * 0.4));
            m.put("iowait", Rrd.round(load * 0.01));
            m.put("memtotal", memTotal);
            m.put("memused", (long) (memTotal * (0.3 + load * 0.3)));
            m.put("swaptotal", 8L << 30);
            m.put("swapused", 0);
            m.put("roottotal", 94L << 30);
            m.put("rootused", 16L << 30);
            m.put("netin", Rrd.round(load * 4_000_000));
            m.put("netout", Rrd.round(load * 2_500_000));
            return m;
        });
    }
}
