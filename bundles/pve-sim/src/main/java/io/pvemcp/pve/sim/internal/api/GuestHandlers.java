package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.pvemcp.pve.sim.internal.state.ConfigPrivileges;
import io.pvemcp.pve.sim.internal.state.Ha;
import io.pvemcp.pve.sim.internal.state.Perms;
import io.pvemcp.pve.contract.PropertyString;
import io.pvemcp.pve.sim.internal.state.PveError;
import io.pvemcp.pve.sim.internal.state.SimGuest;
import io.pvemcp.pve.sim.internal.state.SimNode;
import io.pvemcp.pve.sim.internal.state.SimSnapshot;
import io.pvemcp.pve.sim.internal.state.SimStorage;
import io.pvemcp.pve.sim.internal.state.SimTask;

/** The {@code /nodes/{node}/qemu} and {@code /nodes/{node}/lxc} trees: guests, their lifecycle and snapshots. */
final class GuestHandlers {

    private static final Set<String> CONFIG_CONTROL = Set.of("node", "vmid", "delete", "revert", "digest", "skiplock",
            "background_delay", "force");

    private GuestHandlers() {
    }

    static void register(Map<String, ApiHandler> h) {
        for (String type : List.of("qemu", "lxc")) {
            String base = "/nodes/{node}/" + type;
            String vm = base + "/{vmid}";
            h.put("GET " + base, c -> list(c, type));
            h.put("GET " + vm, c -> index(guest(c, type), type.equals("qemu")
                    ? List.of("config", "pending", "status", "snapshot", "rrddata", "migrate", "clone", "resize",
                            "template", "feature", "firewall", "agent")
                    : List.of("config", "pending", "status", "snapshot", "rrddata", "migrate", "clone", "resize",
                            "template", "feature", "firewall", "interfaces")));
            h.put("DELETE " + vm, c -> upid(c.guests().destroy(guest(c, type), c.flag("purge"), c.flag("force"),
                    rootOnly(c, "skiplock"), c.authid())));
            h.put("GET " + vm + "/config", c -> typed(c, c.guests().config(guest(c, type), c.flag("current"),
                    c.param("snapshot"))));
            h.put("POST " + base, c -> upid(c.guests().create(type, c.node(), c.vmid(), c.strings(), c.authid())));
            h.put("PUT " + vm + "/config", c -> {
                updateConfig(c, type);
                return null;
            });
            h.put("GET " + vm + "/pending", c -> c.guests().pending(guest(c, type)));
            h.put("GET " + vm + "/status", c -> index(guest(c, type), type.equals("qemu")
                    ? List.of("current", "start", "stop", "reset", "shutdown", "suspend", "reboot", "resume")
                    : List.of("current", "start", "stop", "shutdown", "suspend", "reboot", "resume")));
            h.put("GET " + vm + "/status/current", c -> status(c, guest(c, type)));
            h.put("POST " + vm + "/status/start", c -> upid(c.guests().start(guest(c, type), rootOnly(c, "skiplock"),
                    c.authid())));
            h.put("POST " + vm + "/status/stop", c -> upid(c.guests().stop(guest(c, type), rootOnly(c, "skiplock"),
                    c.authid())));
            h.put("POST " + vm + "/status/shutdown", c -> upid(c.guests().shutdown(guest(c, type), c.integer("timeout"),
                    c.flag("forceStop"), rootOnly(c, "skiplock"), c.authid())));
            h.put("POST " + vm + "/status/reboot", c -> upid(c.guests().reboot(guest(c, type), c.authid())));
            h.put("POST " + vm + "/status/suspend", c -> upid(c.guests().suspend(guest(c, type), c.flag("todisk"),
                    rootOnly(c, "skiplock"), c.authid())));
            h.put("POST " + vm + "/status/resume", c -> upid(c.guests().resume(guest(c, type), rootOnly(c, "skiplock"),
                    c.authid())));
            h.put("POST " + vm + "/clone", c -> upid(c.guests().cloneGuest(guest(c, type), c.integer("newid"),
                    c.strings(), c.authid())));
            h.put("GET " + vm + "/migrate", c -> c.guests().migratePreconditions(guest(c, type)));
            h.put("POST " + vm + "/migrate", c -> upid(c.guests().migrate(guest(c, type), c.param("target"),
                    c.flag("online"), c.flag("restart"), c.flag("with-local-disks"), c.param(type.equals("qemu")
                            ? "targetstorage" : "target-storage"), c.authid())));
            h.put("PUT " + vm + "/resize", c -> upid(c.guests().resize(guest(c, type), c.param("disk"), c.param("size"),
                    c.param("digest"), rootOnly(c, "skiplock"), c.authid())));
            h.put("POST " + vm + "/template", c -> {
                SimTask t = c.guests().template(guest(c, type), c.authid());
                return t == null ? null : t.upid();
            });
            h.put("GET " + vm + "/snapshot", c -> c.guests().snapshots(guest(c, type)));
            h.put("POST " + vm + "/snapshot", c -> upid(c.guests().snapshot(guest(c, type), c.param("snapname"),
                    c.param("description"), c.flag("vmstate"), c.authid())));
            h.put("GET " + vm + "/snapshot/{snapname}", c -> {
                c.guests().requireSnapshot(guest(c, type), c.param("snapname"));
                return List.of(Map.of("cmd", "rollback"), Map.of("cmd", "config"));
            });
            h.put("DELETE " + vm + "/snapshot/{snapname}", c -> upid(c.guests().deleteSnapshot(guest(c, type),
                    c.param("snapname"), c.flag("force"), c.authid())));
            h.put("GET " + vm + "/snapshot/{snapname}/config", c -> {
                // the snapshot's own section of the configuration file, typed as the configuration is
                SimGuest g = guest(c, type);
                SimSnapshot snap = c.guests().requireSnapshot(g, c.param("snapname"));
                return typed(configSchema(c, type), snap.section(g));
            });
            h.put("PUT " + vm + "/snapshot/{snapname}/config", c -> {
                SimSnapshot snap = c.guests().requireSnapshot(guest(c, type), c.param("snapname"));
                if (c.param("description") != null) {
                    snap.description(c.param("description"));
                }
                return null;
            });
            h.put("POST " + vm + "/snapshot/{snapname}/rollback", c -> upid(c.guests().rollback(guest(c, type),
                    c.param("snapname"), c.flag("start"), c.authid())));
            h.put("GET " + vm + "/rrddata", c -> rrd(c, guest(c, type)));
            h.put("GET " + vm + "/feature", c -> feature(c, guest(c, type)));
        }
        h.put("POST /nodes/{node}/qemu/{vmid}/config", c -> {
            // a node verifies the parameters before it forks the worker (400 to the call); what fails later fails the
            // task. The simulator changes the configuration at once and reports the outcome through the task.
            SimGuest g = guest(c, "qemu");
            PveError failure = null;
            try {
                updateConfig(c, "qemu");
            } catch (PveError e) {
                if (e.status() == 400) {
                    throw e;
                }
                failure = e;
            }
            PveError failed = failure;
            return c.state().tasks().start(g.node(), "qmconfig", Integer.toString(g.vmid()), c.authid(), 0,
                    t -> {
                        if (failed != null) {
                            throw failed;
                        }
                    }, null, null).upid();
        });
        h.put("POST /nodes/{node}/qemu/{vmid}/move_disk", c -> upid(c.disks().move(guest(c, "qemu"), c.param("disk"),
                c.param("storage"), c.integer("target-vmid"), c.param("target-disk"), c.flag("delete"), c.param("digest"),
                c.param("target-digest"), c.authid())));
        h.put("PUT /nodes/{node}/qemu/{vmid}/unlink", c -> {
            SimGuest g = guest(c, "qemu");
            checkConfigPrivileges(c, g, Set.of(), c.list("idlist"));
            c.disks().unlink(g, c.param("idlist"), c.flag("force"));
            return null;
        });
        h.put("POST /nodes/{node}/qemu/{vmid}/status/reset", c -> upid(c.guests().reset(guest(c, "qemu"),
                rootOnly(c, "skiplock"), c.authid())));
        h.put("GET /nodes/{node}/qemu/{vmid}/agent", c -> {
            guest(c, "qemu");
            List<Map<String, Object>> out = new ArrayList<>();
            for (String cmd : List.of("get-osinfo", "info", "network-get-interfaces", "ping")) {
                out.add(Map.of("name", cmd));
            }
            return out;
        });
        h.put("GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces", c -> agentInterfaces(agent(c)));
        h.put("GET /nodes/{node}/qemu/{vmid}/agent/get-osinfo", c -> Map.of("result", osinfo(agent(c))));
        h.put("GET /nodes/{node}/qemu/{vmid}/agent/info", c -> {
            agent(c);
            return Map.of("result", Map.of("version", "9.2.0", "supported_commands", List.of(
                    Map.of("name", "guest-ping", "enabled", true, "success-response", true),
                    Map.of("name", "guest-get-osinfo", "enabled", true, "success-response", true),
                    Map.of("name", "guest-network-get-interfaces", "enabled", true, "success-response", true),
                    Map.of("name", "guest-get-fsinfo", "enabled", true, "success-response", true))));
        });
        h.put("GET /nodes/{node}/qemu/{vmid}/agent/get-fsinfo", c -> Map.of("result", fsinfo(agent(c))));
        h.put("POST /nodes/{node}/qemu/{vmid}/agent/ping", c -> {
            agent(c);
            return Map.of("result", Map.of());
        });
        h.put("POST /nodes/{node}/qemu/{vmid}/agent", c -> {
            SimGuest g = agent(c);
            return switch (c.param("command")) {
                case "ping" -> Map.of("result", Map.of());
                case "get-osinfo" -> Map.of("result", osinfo(g));
                case "network-get-interfaces" -> agentInterfaces(g);
                case "get-fsinfo" -> Map.of("result", fsinfo(g));
                case "get-host-name" -> Map.of("result", Map.of("host-name", g.name()));
                default -> throw PveError.fail("guest agent command '" + c.param("command")
                        + "' is not supported by the Proxmox VE simulator");
            };
        });
        h.put("GET /nodes/{node}/lxc/{vmid}/interfaces", c -> ctInterfaces(guest(c, "lxc")));
    }

    /** Values typed as the method's return schema says (see {@link #typed(Map, Map)}). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> typed(ApiCall c, Map<String, Object> config) {
        Map<String, Object> props = c.method().returns() instanceof Map<?, ?> r
                && r.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        return typed(props, config);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> configSchema(ApiCall c, String type) {
        return c.contract().method("GET", "/nodes/{node}/" + type + "/{vmid}/config").map(m -> m.returns() instanceof
                Map<?, ?> r && r.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.<String, Object>of())
                .orElse(Map.of());
    }

    /**
     * Values as a node returns a parsed configuration ({@code check_type}): integers and booleans as numbers, numbers
     * as they are written in the file ({@code cpulimit: 1} comes back as {@code "1"}), the rest as text.
     */
    static Map<String, Object> typed(Map<String, Object> props, Map<String, ?> config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : config.entrySet()) {
            Object schema = props.get(e.getKey());
            if (schema == null) {
                schema = props.get(e.getKey().replaceFirst("\\d+$", "[n]"));
            }
            String type = schema instanceof Map<?, ?> m ? String.valueOf(m.get("type")) : "string";
            String v = String.valueOf(e.getValue());
            if ((type.equals("integer") || type.equals("boolean")) && v.matches("-?\\d{1,18}")) {
                out.put(e.getKey(), Long.parseLong(v));
            } else {
                out.put(e.getKey(), v);
            }
        }
        return out;
    }

    static Object upid(SimTask t) {
        return t.upid();
    }

    static SimGuest guest(ApiCall c, String type) {
        return c.guests().require(type, c.node(), c.vmid());
    }

    /** Options only root may use, as Proxmox VE refuses them for other users. */
    static boolean rootOnly(ApiCall c, String param) {
        boolean set = c.flag(param);
        if (set && !"root@pam".equals(c.authid())) {
            throw PveError.param(param, "Only root may use this option.");
        }
        return set;
    }

    private static List<Map<String, Object>> index(SimGuest checked, List<String> subdirs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String s : subdirs) {
            out.add(Map.of("subdir", s));
        }
        return out;
    }

    private static List<Map<String, Object>> list(ApiCall c, String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> g : c.state().guestList(c.node(), type)) {
            if (Perms.has(c.state(), c.authid(), "/vms/" + g.get("vmid"), "VM.Audit")) {
                out.add(g);
            }
        }
        return out;
    }

    private static void updateConfig(ApiCall c, String type) {
        boolean skiplock = rootOnly(c, "skiplock");
        SimGuest g = guest(c, type);
        Map<String, String> set = c.strings(CONFIG_CONTROL.toArray(new String[0]));
        checkConfigPrivileges(c, g, set.keySet(), c.list("delete"));
        c.guests().update(g, set, c.list("delete"), c.list("revert"), c.param("digest"), skiplock, c.authid());
    }

    private static void checkConfigPrivileges(ApiCall c, SimGuest g, Set<String> keys, List<String> deleted) {
        checkConfigPrivileges(c, g.type(), g.vmid(), null, keys, deleted);
    }

    private static void checkConfigPrivileges(ApiCall c, String type, int vmid, String pool, Set<String> keys,
            List<String> deleted) {
        List<String> all = new ArrayList<>(keys);
        all.addAll(deleted);
        ConfigPrivileges.check(c.state(), c.authid(), type, vmid, pool, all);
    }

    private static Map<String, Object> status(ApiCall c, SimGuest g) {
        Map<String, Object> m = c.state().guestSummary(g);
        m.put("vmid", g.vmid());
        Map<String, Object> ha = new LinkedHashMap<>();
        Map<String, Object> res = c.state().ha().resources().get(Ha.sid(g));
        ha.put("managed", res == null ? 0 : 1);
        if (res != null) {
            ha.put("state", res.get("state"));
            if (res.get("group") != null) {
                ha.put("group", res.get("group"));
            }
        }
        m.put("ha", ha);
        if (g.type().equals("qemu")) {
            if (g.config().containsKey("agent")) {
                m.put("agent", agentEnabled(g) ? 1 : 0);
            }
            if (g.running()) {
                m.put("running-machine", "pc-i440fx-10.1+pve0");
                m.put("running-qemu", "10.1.2");
            }
            m.put("diskread", m.getOrDefault("diskread", 0));
        } else {
            m.put("type", "lxc");
        }
        if (g.template()) {
            m.put("template", 1);
        }
        return m;
    }

    private static boolean agentEnabled(SimGuest g) {
        String agent = g.config().get("agent");
        if (agent == null) {
            return false;
        }
        Map<String, String> a = PropertyString.parse(agent, "enabled");
        return "1".equals(a.getOrDefault("enabled", "0"));
    }

    private static SimGuest agent(ApiCall c) {
        SimGuest g = guest(c, "qemu");
        if (!g.config().containsKey("agent")) {
            throw PveError.fail("No QEMU guest agent configured");
        }
        if (!g.running()) {
            throw PveError.fail("VM " + g.vmid() + " is not running");
        }
        if (!agentEnabled(g) || !agentRunning(g)) {
            throw PveError.fail("QEMU guest agent is not running");
        }
        return g;
    }

    private static boolean agentRunning(SimGuest g) {
        return g.agentInstalled() && !g.paused();
    }

    private static String address(SimGuest g) {
        String a = g.guestAddress();
        return a != null ? a : "10.0." + (g.vmid() / 250 % 250) + "." + (g.vmid() % 250 + 2);
    }

    /** The file systems the guest agent reports: the system disk's root (and EFI partition), 40 % used. */
    private static List<Map<String, Object>> fsinfo(SimGuest g) {
        long disk = Math.max(2L << 30, g.diskSize());
        boolean windows = g.config().getOrDefault("ostype", "l26").startsWith("win");
        List<Map<String, Object>> out = new ArrayList<>();
        long root = disk - (windows ? 600L << 20 : 512L << 20);
        out.add(fs(windows ? "C:\\" : "/", windows ? "NTFS" : "ext4", windows ? "Volume{c0ffee}" : "sda1", root,
                root * 2 / 5));
        out.add(fs(windows ? "System Reserved" : "/boot/efi", windows ? "NTFS" : "vfat", windows ? "Volume{b007}"
                : "sda15", 512L << 20, 6L << 20));
        return out;
    }

    private static Map<String, Object> fs(String mountpoint, String type, String name, long total, long used) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("mountpoint", mountpoint);
        m.put("type", type);
        m.put("total-bytes", total);
        m.put("used-bytes", used);
        m.put("disk", List.of(Map.of("bus-type", "scsi", "bus", 0, "target", 0, "unit", 0, "dev", "/dev/sda")));
        return m;
    }

    private static Map<String, Object> osinfo(SimGuest g) {
        String os = g.config().getOrDefault("ostype", "l26");
        Map<String, Object> m = new LinkedHashMap<>();
        if (os.startsWith("win")) {
            m.put("id", "mswindows");
            m.put("name", "Microsoft Windows");
            m.put("pretty-name", "Windows Server 2025 Standard");
            m.put("version", "Microsoft Windows Server 2025");
            m.put("version-id", "2025");
            m.put("kernel-release", "26100");
            m.put("kernel-version", "10.0");
            m.put("machine", "x86_64");
        } else {
            m.put("id", "debian");
            m.put("name", "Debian GNU/Linux");
            m.put("pretty-name", "Debian GNU/Linux 13 (trixie)");
            m.put("version", "13 (trixie)");
            m.put("version-id", "13");
            m.put("kernel-release", "6.12.57+deb13-amd64");
            m.put("kernel-version", "#1 SMP PREEMPT_DYNAMIC Debian 6.12.57-1 (2025-11-05)");
            m.put("machine", "x86_64");
        }
        return m;
    }

    private static Map<String, Object> agentInterfaces(SimGuest g) {
        List<Map<String, Object>> result = new ArrayList<>();
        result.add(Map.of("name", "lo", "hardware-address", "00:00:00:00:00:00", "ip-addresses", List.of(
                Map.of("ip-address", "127.0.0.1", "ip-address-type", "ipv4", "prefix", 8),
                Map.of("ip-address", "::1", "ip-address-type", "ipv6", "prefix", 128)),
                "statistics", stats(0)));
        int n = 0;
        for (var e : g.config().entrySet()) {
            if (!e.getKey().matches("net\\d+")) {
                continue;
            }
            String mac = null;
            for (var p : PropertyString.parse(e.getValue(), "model").entrySet()) {
                if (p.getValue().matches("(?i)([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
                    mac = p.getValue().toLowerCase(Locale.ROOT);
                }
            }
            String ip = n == 0 ? address(g) : "10.1" + n + "." + (g.vmid() / 250 % 250) + "." + (g.vmid() % 250 + 2);
            result.add(Map.of("name", "eth" + n, "hardware-address", mac == null ? "bc:24:11:00:00:00" : mac,
                    "ip-addresses", List.of(Map.of("ip-address", ip, "ip-address-type", "ipv4", "prefix", 24),
                            Map.of("ip-address", "fe80::be24:11ff:fe00:" + Integer.toHexString(g.vmid()),
                                    "ip-address-type", "ipv6", "prefix", 64)),
                    "statistics", stats(g.vmid())));
            n++;
        }
        return Map.of("result", result);
    }

    private static Map<String, Object> stats(long seed) {
        return Map.of("rx-bytes", 1_000_000 * (seed + 1), "rx-packets", 9000 * (seed + 1), "rx-errs", 0,
                "rx-dropped", 0, "tx-bytes", 400_000 * (seed + 1), "tx-packets", 5000 * (seed + 1), "tx-errs", 0,
                "tx-dropped", 0);
    }

    private static List<Map<String, Object>> ctInterfaces(SimGuest g) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!g.running()) {
            return out;
        }
        out.add(Map.of("name", "lo", "hwaddr", "00:00:00:00:00:00", "hardware-address", "00:00:00:00:00:00",
                "inet", "127.0.0.1/8", "inet6", "::1/128",
                "ip-addresses", List.of(Map.of("ip-address", "127.0.0.1", "ip-address-type", "inet", "prefix", 8))));
        for (var e : g.config().entrySet()) {
            if (!e.getKey().matches("net\\d+")) {
                continue;
            }
            Map<String, String> net = PropertyString.parse(e.getValue(), null);
            String ip = net.getOrDefault("ip", "dhcp");
            String addr = ip.contains("/") ? ip : address(g) + "/24";
            String mac = net.getOrDefault("hwaddr", "BC:24:11:00:00:00").toLowerCase(Locale.ROOT);
            out.add(Map.of("name", net.getOrDefault("name", "eth0"), "hwaddr", mac, "hardware-address", mac,
                    "inet", addr, "ip-addresses", List.of(Map.of("ip-address", addr.substring(0, addr.indexOf('/')),
                            "ip-address-type", "inet", "prefix", Integer.parseInt(addr.substring(addr.indexOf('/') + 1))))));
        }
        return out;
    }

    private static List<Map<String, Object>> rrd(ApiCall c, SimGuest g) {
        boolean running = g.running();
        long maxmem = g.maxMemory();
        SimNode node = c.state().node(g.node()).orElseThrow();
        int cpus = g.cpus(node.cpus());
        long maxdisk = g.diskSize();
        long started = running ? c.state().clock().seconds() - (long) c.state().guestResource(g).get("uptime") : Long.MAX_VALUE;
        return Rrd.series(c.param("timeframe"), c.state().clock().seconds(), t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("maxcpu", cpus);
            m.put("maxmem", maxmem);
            m.put("maxdisk", maxdisk);
            if (t >= started) {
                double load = Rrd.load(g.vmid(), t);
                m.put("cpu", Rrd.round(load * 0.6));
                m.put("mem", (long) (maxmem * (0.35 + load * 0.4)));
                m.put("disk", g.type().equals("lxc") ? maxdisk / 3 : 0);
                m.put("netin", Rrd.round(load * 250_000));
                m.put("netout", Rrd.round(load * 90_000));
                m.put("diskread", Rrd.round(load * 1_200_000));
                m.put("diskwrite", Rrd.round(load * 600_000));
            }
            return m;
        });
    }

    private static Map<String, Object> feature(ApiCall c, SimGuest g) {
        String feature = c.param("feature");
        boolean has = true;
        for (String vol : g.diskVolumes().values()) {
            SimStorage st = c.state().storage(vol.substring(0, vol.indexOf(':'))).orElse(null);
            if (st == null) {
                has = false;
                continue;
            }
            boolean thin = st.type().equals("lvmthin") || vol.endsWith(".qcow2");
            has &= switch (feature) {
                case "snapshot" -> thin;
                case "clone" -> g.template() && thin;
                default -> true;
            };
        }
        List<String> nodes = new ArrayList<>();
        if (has) {
            for (SimNode n : c.state().nodes()) {
                boolean ok = true;
                for (String vol : g.diskVolumes().values()) {
                    SimStorage st = c.state().storage(vol.substring(0, vol.indexOf(':'))).orElse(null);
                    ok &= st != null && st.availableOn(n.name()) && (st.shared() || n.name().equals(g.node()));
                }
                if (ok) {
                    nodes.add(n.name());
                }
            }
        }
        return Map.of("hasFeature", has ? 1 : 0, "nodes", nodes);
    }
}
