package io.pvemcp.pve.sim.internal.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.pve.sim.internal.state.Perms;
import io.pvemcp.pve.sim.internal.state.PveError;
import io.pvemcp.pve.sim.internal.state.SimNode;
import io.pvemcp.pve.sim.internal.state.SimStorage;

/**
 * What clients read about a node and the cluster beyond guests and storage: the appliance index ({@code pveam}) and
 * template downloads from it and by URL, a realm's settings, the datacenter options, a node's services, syslog,
 * hosts file and subscription. Read-only, with the values of a freshly installed node, except the downloads.
 */
final class AdminHandlers {

    /** The appliance index a node offers ({@code pveam available}): the section of it tests and demos use. */
    static final List<Map<String, Object>> APPLIANCES = List.of(
            appliance("system", "debian-13-standard", "13.1-2", "debian-13-standard_13.1-2_amd64.tar.zst",
                    "Debian 13 (standard)", "debian", 130L << 20),
            appliance("system", "debian-12-standard", "12.12-1", "debian-12-standard_12.12-1_amd64.tar.zst",
                    "Debian 12 Bookworm (standard)", "debian", 125L << 20),
            appliance("system", "ubuntu-24.04-standard", "24.04-2", "ubuntu-24.04-standard_24.04-2_amd64.tar.zst",
                    "Ubuntu 24.04 Noble (standard)", "ubuntu", 142L << 20),
            appliance("system", "alpine-3.22-default", "20250617", "alpine-3.22-default_20250617_amd64.tar.xz",
                    "Alpine Linux 3.22 (default)", "alpine", 3L << 20),
            appliance("system", "rockylinux-9-default", "20240912", "rockylinux-9-default_20240912_amd64.tar.xz",
                    "Rocky Linux 9 (default)", "rockylinux", 110L << 20),
            appliance("turnkeylinux", "debian-12-turnkey-nextcloud", "18.2-1",
                    "debian-12-turnkey-nextcloud_18.2-1_amd64.tar.gz", "TurnKey Nextcloud", "debian", 540L << 20));

    /** The services a node lists ({@code GET /nodes/{node}/services}). */
    private static final List<String[]> SERVICES = List.of(
            new String[] {"pveproxy", "PVE API Proxy Server"}, new String[] {"pvedaemon", "PVE API Daemon"},
            new String[] {"pvestatd", "PVE Status Daemon"}, new String[] {"pve-cluster", "The Proxmox VE cluster filesystem"},
            new String[] {"corosync", "Corosync Cluster Engine"}, new String[] {"pve-firewall", "Proxmox VE firewall"},
            new String[] {"pvescheduler", "Proxmox VE scheduler"}, new String[] {"pve-ha-crm", "PVE Cluster HA Resource Manager Daemon"},
            new String[] {"pve-ha-lrm", "PVE Local HA Resource Manager Daemon"}, new String[] {"spiceproxy", "PVE SPICE Proxy Server"},
            new String[] {"chrony", "chrony, an NTP client/server"}, new String[] {"sshd", "OpenBSD Secure Shell server"},
            new String[] {"cron", "Regular background program processing daemon"}, new String[] {"postfix", "Postfix Mail Transport Agent"},
            new String[] {"systemd-journald", "Journal Service"}, new String[] {"syslog", "System Logging Service"},
            new String[] {"ksmtuned", "Kernel Samepage Merging (KSM) Tuning Daemon"});

    private AdminHandlers() {
    }

    private static Map<String, Object> appliance(String section, String pkg, String version, String template,
            String headline, String os, long size) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("section", section);
        m.put("package", pkg);
        m.put("version", version);
        m.put("template", template);
        m.put("headline", headline);
        m.put("description", headline + " template, as the Proxmox appliance index offers it.");
        m.put("os", os);
        m.put("type", "lxc");
        m.put("architecture", "amd64");
        m.put("maintainer", section.equals("turnkeylinux") ? "TurnKey Linux <support@turnkeylinux.org>"
                : "Proxmox Support Team <support@proxmox.com>");
        m.put("infopage", section.equals("turnkeylinux") ? "https://www.turnkeylinux.org/"
                : "https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions");
        m.put("location", "system/" + template);
        m.put("sha512sum", sha512(template));
        m.put("size", size);
        return m;
    }

    static void register(Map<String, ApiHandler> h) {
        h.put("GET /nodes/{node}/aplinfo", c -> {
            node(c);
            List<Map<String, Object>> out = new ArrayList<>();
            APPLIANCES.forEach(a -> out.add(new LinkedHashMap<>(a)));
            return out;
        });
        h.put("POST /nodes/{node}/aplinfo", AdminHandlers::download);
        h.put("POST /nodes/{node}/storage/{storage}/download-url", AdminHandlers::downloadUrl);
        h.put("GET /access/domains/{realm}", c -> realm(c.param("realm")));
        h.put("GET /cluster/options", c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("keyboard", "en-us");
            m.put("console", "xtermjs");
            m.put("migration", Map.of("type", "secure"));
            m.put("next-id", Map.of("lower", 100));
            m.put("allowed-tags", List.of());
            m.put("registered-tags", List.of());
            m.put("user-tag-access", Map.of("user-allow", "free"));
            return m;
        });
        h.put("GET /nodes/{node}/services", c -> {
            node(c);
            List<Map<String, Object>> out = new ArrayList<>();
            for (String[] s : SERVICES) {
                out.add(service(s));
            }
            return out;
        });
        h.put("GET /nodes/{node}/services/{service}", c -> {
            service(c);
            return List.of(Map.of("subdir", "state"), Map.of("subdir", "start"), Map.of("subdir", "stop"),
                    Map.of("subdir", "restart"), Map.of("subdir", "reload"));
        });
        h.put("GET /nodes/{node}/services/{service}/state", c -> service(service(c)));
        h.put("GET /nodes/{node}/syslog", AdminHandlers::syslog);
        h.put("GET /nodes/{node}/hosts", c -> {
            SimNode n = node(c);
            String data = "127.0.0.1 localhost.localdomain localhost\n10.0.0." + (c.state().nodes().indexOf(n) + 11)
                    + " " + n.name() + ".demo.lan " + n.name() + "\n\n# The following lines are desirable for IPv6 "
                    + "capable hosts\n::1     ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\n";
            return Map.of("data", data, "digest", sha1(data));
        });
        h.put("GET /nodes/{node}/subscription", c -> {
            node(c);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", "notfound");
            m.put("message", "There is no subscription key");
            m.put("serverid", sha1(c.node()).substring(0, 32).toUpperCase(java.util.Locale.ROOT));
            m.put("url", "https://www.proxmox.com/en/proxmox-virtual-environment/pricing");
            return m;
        });
    }

    private static SimNode node(ApiCall c) {
        return c.state().node(c.node()).orElseThrow();
    }

    private static String[] service(ApiCall c) {
        node(c);
        for (String[] s : SERVICES) {
            if (s[0].equals(c.param("service"))) {
                return s;
            }
        }
        throw PveError.param("service", "value '" + c.param("service") + "' does not have a value in the "
                + "enumeration");
    }

    private static Map<String, Object> service(String[] s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", s[0]);
        m.put("name", s[0]);
        m.put("desc", s[1]);
        m.put("state", "running");
        m.put("active-state", "active");
        m.put("unit-state", "enabled");
        return m;
    }

    private static Object realm(String realm) {
        return switch (realm) {
            case "pam" -> Map.of("type", "pam", "comment", "Linux PAM standard authentication", "digest",
                    sha1("pam"));
            case "pve" -> Map.of("type", "pve", "comment", "Proxmox VE authentication server", "default", 1, "digest",
                    sha1("pve"));
            default -> throw PveError.fail("domain '" + realm + "' does not exist");
        };
    }

    private static Object syslog(ApiCall c) {
        int start = c.integer("start") == null ? 0 : c.integer("start");
        int limit = c.integer("limit") == null ? 50 : c.integer("limit");
        List<Map<String, Object>> log = c.state().clusterLog(500);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = log.size() - 1 - start, n = 1; i >= 0 && out.size() < limit; i--, n++) {
            Map<String, Object> e = log.get(i);
            String time = java.time.Instant.ofEpochSecond(((Number) e.get("time")).longValue()).toString();
            String tag = String.valueOf(e.get("tag"));
            if (c.param("service") != null && !c.param("service").equals(tag)) {
                continue;
            }
            out.add(Map.of("n", start + out.size() + 1, "t", time + " " + c.node() + " " + tag + "[" + e.get("pid")
                    + "]: " + e.get("msg")));
        }
        if (out.isEmpty()) {
            out.add(Map.of("n", 1, "t", "-- No entries --"));
        }
        return out;
    }

    /** Downloads a template of the appliance index to a storage ({@code pveam download}): a task. */
    private static Object download(ApiCall c) {
        String storage = c.param("storage");
        String template = c.param("template");
        Map<String, Object> appliance = APPLIANCES.stream().filter(a -> a.get("template").equals(template)).findFirst()
                .orElseThrow(() -> PveError.fail("no such template '" + template + "'"));
        SimStorage st = c.state().storage(storage).orElseThrow(() -> PveError.fail("storage '" + storage
                + "' does not exist"));
        if (!st.availableOn(c.node())) {
            throw PveError.fail("storage '" + storage + "' is not available on node '" + c.node() + "'");
        }
        if (!st.content().contains("vztmpl")) {
            throw PveError.fail("storage '" + storage + "' does not support templates");
        }
        String volid = storage + ":vztmpl/" + template;
        long size = (Long) appliance.get("size");
        return c.state().tasks().start(c.node(), "download", template, c.authid(), 2000, t -> {
            t.log("starting template download from: http://download.proxmox.com/images/" + appliance.get("location"));
            t.log("target file: /var/lib/vz/template/cache/" + template);
        }, t -> {
            if (c.state().volume(c.node(), volid).isEmpty()) {
                c.state().volumes().register(st, c.node(), volid, "vztmpl", size, null, c.state().clock().seconds());
            }
            t.log("download of '" + template + "' to '" + volid + "' finished");
        }, null).upid();
    }

    /**
     * Downloads a file by URL to a storage ({@code download-url}): a task. The simulated file's digest under any
     * algorithm is that of its URL, so a checksum can be right or wrong; a URL whose path contains {@code /missing}
     * answers 404.
     */
    private static Object downloadUrl(ApiCall c) {
        String storage = c.param("storage");
        String content = c.param("content");
        String filename = c.param("filename");
        String url = c.param("url");
        Perms.require(c.state(), c.authid(), "/storage/" + storage, "Datastore.AllocateTemplate");
        if (!Perms.has(c.state(), c.authid(), "/nodes/" + c.node(), "Sys.AccessNetwork")) {
            Perms.require(c.state(), c.authid(), "/", "Sys.Audit", "Sys.Modify");
        }
        SimStorage st = c.state().storage(storage).orElseThrow(() -> PveError.fail("storage '" + storage
                + "' does not exist"));
        if (!st.availableOn(c.node())) {
            throw PveError.fail("storage '" + storage + "' is not available on node '" + c.node() + "'");
        }
        if (!st.content().contains(content)) {
            throw PveError.fail("storage '" + storage + "' is not configured for content-type '" + content + "'");
        }
        boolean ok = switch (content) {
            case "iso" -> filename.matches("[^/]+\\.(?i:iso|img)");
            case "vztmpl" -> filename.matches("[^/]+\\.tar\\.(gz|xz|zst)");
            default -> filename.matches("[^/]+\\.(ova|ovf|qcow2|raw|vmdk)");
        };
        if (!ok) {
            throw PveError.param("filename", "invalid filename or wrong extension");
        }
        String volid = storage + ":" + content + "/" + filename;
        if (c.state().volume(c.node(), volid).isPresent()) {
            throw PveError.fail("refusing to override existing file '" + filename + "'");
        }
        String algorithm = c.param("checksum-algorithm");
        String expected = c.param("checksum");
        long size = (content.equals("iso") ? 300L << 20 : 120L << 20)
                + (Math.abs((long) url.hashCode()) % 500) * (1L << 20);
        return c.state().tasks().start(c.node(), "download", filename, c.authid(), 2500, t -> {
            t.log("downloading " + url + " to " + filename);
        }, t -> {
            if (url.contains("/missing")) {
                throw PveError.fail("download failed: 404 Not Found");
            }
            t.log("download of '" + url + "' finished (" + size + " bytes)");
            if (expected != null) {
                String got = hash(switch (algorithm) {
                    case "md5" -> "MD5";
                    case "sha1" -> "SHA-1";
                    case "sha224" -> "SHA-224";
                    case "sha384" -> "SHA-384";
                    case "sha512" -> "SHA-512";
                    default -> "SHA-256";
                }, url);
                if (!got.equalsIgnoreCase(expected.strip())) {
                    throw PveError.fail("checksum mismatch: got '" + got + "' != expect '" + expected.strip() + "'");
                }
                t.log("calculating checksum... OK, checksum verified");
            }
            if (c.state().volume(c.node(), volid).isEmpty()) {
                c.state().volumes().register(st, c.node(), volid, content, size, null, c.state().clock().seconds());
            }
            t.log("download of '" + url + "' to '" + volid + "' finished");
        }, null).upid();
    }

    private static String sha1(String text) {
        return hash("SHA-1", text);
    }

    private static String sha512(String text) {
        return hash("SHA-512", text);
    }

    private static String hash(String alg, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
