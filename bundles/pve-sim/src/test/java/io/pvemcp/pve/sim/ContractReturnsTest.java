package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.pve.contract.ApiMethod;

import org.junit.jupiter.api.Test;

/**
 * Calls every method the simulator implements, changes first (in an order that makes each of them valid), then
 * every read, and checks each answer against the contract's {@code returns} schema. A newly implemented method
 * that changes state must be added to {@link #CHANGES}, or this test fails; reads are found by themselves.
 */
class ContractReturnsTest {

    private static final String ISO = "local:iso/debian-13.1.0-amd64-netinst.iso";
    private static final String CT_TEMPLATE = "local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst";

    /** Every change, in an order in which each call is valid on the demo cluster. */
    static final List<Object[]> CHANGES = List.of(
            call("POST", "/access/ticket", "username", "root@pam", "password", "rootpw"),
            call("POST", "/access/groups", "groupid", "testers", "comment", "test group"),
            call("PUT", "/access/groups/testers", "comment", "renamed"),
            call("POST", "/access/users", "userid", "tester@pve", "password", "secret123", "groups", "testers"),
            call("PUT", "/access/users/tester@pve", "email", "tester@example.com"),
            call("PUT", "/access/password", "userid", "tester@pve", "password", "newsecret1"),
            call("POST", "/access/users/tester@pve/token/ci", "privsep", "1", "comment", "ci"),
            call("PUT", "/access/users/tester@pve/token/ci", "comment", "continuous integration"),
            call("POST", "/access/roles", "roleid", "TestRole", "privs", "VM.Audit"),
            call("PUT", "/access/roles/TestRole", "privs", "VM.PowerMgmt", "append", "1"),
            call("PUT", "/access/acl", "path", "/vms/100", "roles", "TestRole", "users", "tester@pve"),
            call("POST", "/pools", "poolid", "test", "comment", "a test pool"),
            call("PUT", "/pools", "poolid", "test", "vms", "107"),
            call("PUT", "/pools/test", "comment", "still a test pool"),
            call("POST", "/pools", "poolid", "empty"),
            call("POST", "/storage", "storage", "extra", "type", "dir", "path", "/srv/extra", "content", "images,iso"),
            call("PUT", "/storage/extra", "content", "images,iso,backup"),
            call("POST", "/nodes/pve1/storage/local-lvm/content", "vmid", "100", "filename", "vm-100-disk-9",
                    "size", "1G"),
            call("PUT", "/nodes/pve1/storage/local-lvm/content/local-lvm:vm-100-disk-9", "notes", "scratch"),
            call("DELETE", "/nodes/pve1/storage/local-lvm/content/local-lvm:vm-100-disk-9"),
            call("POST", "/nodes/pve1/vzdump", "vmid", "100", "storage", "local", "compress", "zstd"),
            call("POST", "/nodes/pve1/aplinfo", "storage", "local", "template",
                    "alpine-3.22-default_20250617_amd64.tar.xz"),
            call("POST", "/cluster/backup", "id", "backup-test", "schedule", "mon 01:00", "storage", "local", "vmid",
                    "100"),
            call("PUT", "/cluster/backup/backup-test", "schedule", "tue 01:00"),
            call("DELETE", "/cluster/backup/backup-test"),
            call("POST", "/nodes/pve1/storage/local/download-url", "url", "https://example.org/a.iso", "content", "iso",
                    "filename", "a.iso"),
            call("POST", "/nodes/pve1/qemu", "vmid", "150", "name", "t150", "memory", "1024", "scsi0", "local-lvm:4",
                    "net0", "virtio,bridge=vmbr0", "ide2", ISO + ",media=cdrom"),
            call("PUT", "/nodes/pve1/qemu/150/config", "cores", "2"),
            call("POST", "/nodes/pve1/qemu/150/config", "description", "created by a test"),
            call("PUT", "/nodes/pve1/qemu/150/resize", "disk", "scsi0", "size", "+1G"),
            call("POST", "/nodes/pve1/qemu/150/snapshot", "snapname", "s1"),
            call("PUT", "/nodes/pve1/qemu/150/snapshot/s1/config", "description", "first"),
            call("POST", "/nodes/pve1/qemu/150/snapshot/s1/rollback"),
            call("DELETE", "/nodes/pve1/qemu/150/snapshot/s1"),
            call("PUT", "/nodes/pve1/qemu/150/config", "scsi1", "local-lvm:1"),
            call("POST", "/nodes/pve1/qemu/150/move_disk", "disk", "scsi1", "storage", "nfs-shared", "delete", "1"),
            call("PUT", "/nodes/pve1/qemu/150/unlink", "idlist", "scsi1", "force", "1"),
            call("POST", "/nodes/pve1/qemu/150/status/start"),
            call("POST", "/nodes/pve1/qemu/150/status/suspend"),
            call("POST", "/nodes/pve1/qemu/150/status/resume"),
            call("POST", "/nodes/pve1/qemu/150/status/reset"),
            call("POST", "/nodes/pve1/qemu/150/status/reboot"),
            call("POST", "/nodes/pve1/qemu/150/status/shutdown"),
            call("POST", "/nodes/pve1/qemu/150/status/start"),
            call("POST", "/nodes/pve1/qemu/150/status/stop"),
            call("POST", "/nodes/pve1/qemu/150/clone", "newid", "151", "name", "t151"),
            call("POST", "/nodes/pve1/qemu/151/template"),
            call("DELETE", "/nodes/pve1/qemu/151"),
            call("POST", "/nodes/pve1/qemu/100/agent/ping"),
            call("POST", "/nodes/pve1/qemu/100/agent", "command", "get-osinfo"),
            call("POST", "/nodes/pve1/lxc", "vmid", "250", "ostemplate", CT_TEMPLATE, "rootfs", "local-lvm:2",
                    "hostname", "t250", "net0", "name=eth0,bridge=vmbr0,ip=dhcp"),
            call("PUT", "/nodes/pve1/lxc/250/config", "memory", "1024"),
            call("PUT", "/nodes/pve1/lxc/250/resize", "disk", "rootfs", "size", "3G"),
            call("POST", "/nodes/pve1/lxc/250/snapshot", "snapname", "s1"),
            call("PUT", "/nodes/pve1/lxc/250/snapshot/s1/config", "description", "first"),
            call("POST", "/nodes/pve1/lxc/250/snapshot/s1/rollback"),
            call("DELETE", "/nodes/pve1/lxc/250/snapshot/s1"),
            call("POST", "/nodes/pve1/lxc/200/snapshot", "snapname", "keep"),
            call("POST", "/nodes/pve1/lxc/250/status/start"),
            call("POST", "/nodes/pve1/lxc/250/status/suspend"),
            call("POST", "/nodes/pve1/lxc/250/status/resume"),
            call("POST", "/nodes/pve1/lxc/250/status/reboot"),
            call("POST", "/nodes/pve1/lxc/250/status/shutdown"),
            call("POST", "/nodes/pve1/lxc/250/status/start"),
            call("POST", "/nodes/pve1/lxc/250/status/stop"),
            call("POST", "/nodes/pve1/lxc/250/clone", "newid", "251", "hostname", "t251"),
            call("POST", "/nodes/pve1/lxc/251/template"),
            call("DELETE", "/nodes/pve1/lxc/251"),
            call("POST", "/cluster/firewall/rules", "type", "in", "action", "ACCEPT", "proto", "tcp", "dport", "9100"),
            call("PUT", "/cluster/firewall/rules/0", "comment", "node exporter"),
            call("DELETE", "/cluster/firewall/rules/0"),
            call("PUT", "/cluster/firewall/options", "enable", "0"),
            call("POST", "/nodes/pve1/firewall/rules", "type", "in", "action", "ACCEPT", "macro", "SSH"),
            call("PUT", "/nodes/pve1/firewall/rules/0", "comment", "ssh"),
            call("POST", "/nodes/pve1/firewall/rules", "type", "in", "action", "DROP", "macro", "Telnet"),
            call("DELETE", "/nodes/pve1/firewall/rules/0"),
            call("PUT", "/nodes/pve1/firewall/options", "enable", "0"),
            call("POST", "/nodes/pve1/qemu/100/firewall/rules", "type", "in", "action", "DROP", "proto", "tcp",
                    "dport", "23"),
            call("PUT", "/nodes/pve1/qemu/100/firewall/rules/0", "comment", "no telnet"),
            call("DELETE", "/nodes/pve1/qemu/100/firewall/rules/0"),
            call("PUT", "/nodes/pve1/qemu/100/firewall/options", "enable", "1"),
            call("POST", "/nodes/pve1/lxc/200/firewall/rules", "type", "in", "action", "ACCEPT", "macro", "DNS"),
            call("PUT", "/nodes/pve1/lxc/200/firewall/rules/0", "comment", "dns"),
            call("POST", "/nodes/pve1/lxc/200/firewall/rules", "type", "in", "action", "DROP", "macro", "SMB"),
            call("DELETE", "/nodes/pve1/lxc/200/firewall/rules/0"),
            call("PUT", "/nodes/pve1/lxc/200/firewall/options", "enable", "1"),
            call("POST", "/cluster/firewall/aliases", "name", "tmp", "cidr", "10.9.9.9"),
            call("PUT", "/cluster/firewall/aliases/tmp", "cidr", "10.9.9.10", "comment", "moved"),
            call("DELETE", "/cluster/firewall/aliases/tmp"),
            call("POST", "/cluster/firewall/ipset", "name", "tmpset", "comment", "scratch"),
            call("POST", "/cluster/firewall/ipset/tmpset", "cidr", "10.9.9.0/24"),
            call("PUT", "/cluster/firewall/ipset/tmpset/10.9.9.0%2F24", "comment", "lab"),
            call("DELETE", "/cluster/firewall/ipset/tmpset/10.9.9.0%2F24"),
            call("DELETE", "/cluster/firewall/ipset/tmpset"),
            call("POST", "/nodes/pve1/qemu/100/firewall/aliases", "name", "tmp", "cidr", "10.9.9.9"),
            call("PUT", "/nodes/pve1/qemu/100/firewall/aliases/tmp", "cidr", "10.9.9.10", "comment", "moved"),
            call("DELETE", "/nodes/pve1/qemu/100/firewall/aliases/tmp"),
            call("POST", "/nodes/pve1/qemu/100/firewall/ipset", "name", "tmpset", "comment", "scratch"),
            call("POST", "/nodes/pve1/qemu/100/firewall/ipset/tmpset", "cidr", "10.9.9.0/24"),
            call("PUT", "/nodes/pve1/qemu/100/firewall/ipset/tmpset/10.9.9.0%2F24", "comment", "lab"),
            call("DELETE", "/nodes/pve1/qemu/100/firewall/ipset/tmpset/10.9.9.0%2F24"),
            call("DELETE", "/nodes/pve1/qemu/100/firewall/ipset/tmpset"),
            call("POST", "/nodes/pve1/qemu/100/firewall/aliases", "name", "mgmt", "cidr", "10.0.0.0/24"),
            call("POST", "/nodes/pve1/qemu/100/firewall/ipset", "name", "admins"),
            call("POST", "/nodes/pve1/qemu/100/firewall/ipset/admins", "cidr", "10.0.0.50"),
            call("POST", "/nodes/pve1/lxc/200/firewall/aliases", "name", "tmp", "cidr", "10.9.9.9"),
            call("PUT", "/nodes/pve1/lxc/200/firewall/aliases/tmp", "cidr", "10.9.9.10", "comment", "moved"),
            call("DELETE", "/nodes/pve1/lxc/200/firewall/aliases/tmp"),
            call("POST", "/nodes/pve1/lxc/200/firewall/ipset", "name", "tmpset", "comment", "scratch"),
            call("POST", "/nodes/pve1/lxc/200/firewall/ipset/tmpset", "cidr", "10.9.9.0/24"),
            call("PUT", "/nodes/pve1/lxc/200/firewall/ipset/tmpset/10.9.9.0%2F24", "comment", "lab"),
            call("DELETE", "/nodes/pve1/lxc/200/firewall/ipset/tmpset/10.9.9.0%2F24"),
            call("DELETE", "/nodes/pve1/lxc/200/firewall/ipset/tmpset"),
            call("POST", "/nodes/pve1/lxc/200/firewall/aliases", "name", "mgmt", "cidr", "10.0.0.0/24"),
            call("POST", "/nodes/pve1/lxc/200/firewall/ipset", "name", "admins"),
            call("POST", "/nodes/pve1/lxc/200/firewall/ipset/admins", "cidr", "10.0.0.50"),
            call("POST", "/cluster/firewall/groups", "group", "tmpgroup", "comment", "scratch"),
            call("POST", "/cluster/firewall/groups/tmpgroup", "type", "in", "action", "ACCEPT", "macro", "SSH"),
            call("PUT", "/cluster/firewall/groups/tmpgroup/0", "comment", "ssh"),
            call("DELETE", "/cluster/firewall/groups/tmpgroup/0"),
            call("DELETE", "/cluster/firewall/groups/tmpgroup"),
            call("POST", "/cluster/ha/groups", "group", "g2", "nodes", "pve1,pve2"),
            call("PUT", "/cluster/ha/groups/g2", "comment", "second group"),
            call("POST", "/cluster/ha/resources", "sid", "vm:104", "state", "started", "group", "g2"),
            call("PUT", "/cluster/ha/resources/vm:104", "comment", "monitoring"),
            call("POST", "/cluster/ha/resources/vm:104/migrate", "node", "pve1"),
            call("DELETE", "/cluster/ha/resources/vm:104"),
            call("DELETE", "/cluster/ha/groups/g2"),
            call("POST", "/cluster/ha/rules", "rule", "r1", "type", "node-affinity", "resources", "vm:101", "nodes",
                    "pve1:2,pve2"),
            call("PUT", "/cluster/ha/rules/r1", "type", "node-affinity", "strict", "1", "comment", "db nodes"),
            call("DELETE", "/cluster/ha/rules/r1"),
            call("POST", "/nodes/pve1/network", "iface", "vmbr9", "type", "bridge", "bridge_ports", "none"),
            call("PUT", "/nodes/pve1/network/vmbr9", "type", "bridge", "comments", "test bridge"),
            call("PUT", "/nodes/pve1/network"),
            call("DELETE", "/nodes/pve1/network/vmbr9"),
            call("DELETE", "/nodes/pve1/network"),
            call("PUT", "/nodes/pve1/dns", "search", "example.org", "dns1", "10.0.0.1"),
            call("PUT", "/nodes/pve1/time", "timezone", "UTC"),
            call("POST", "/nodes/pve1/qemu/150/migrate", "target", "pve2"),
            call("POST", "/nodes/pve1/lxc/250/migrate", "target", "pve3"),
            call("DELETE", "/nodes/pve2/qemu/150"),
            call("DELETE", "/nodes/pve3/lxc/250"),
            call("PUT", "/access/acl", "path", "/vms/100", "roles", "TestRole", "users", "tester@pve", "delete", "1"),
            call("DELETE", "/access/users/tester@pve/token/ci"),
            call("DELETE", "/access/users/tester@pve"),
            call("DELETE", "/access/groups/testers"),
            call("DELETE", "/access/roles/TestRole"),
            call("PUT", "/pools", "poolid", "test", "vms", "107", "delete", "1"),
            call("DELETE", "/pools", "poolid", "test"),
            call("DELETE", "/pools/empty"),
            call("DELETE", "/storage/extra"),
            call("DELETE", "/nodes/pve1/tasks/{upid}"));

    /** Values for the path parameters of reads. */
    static final Map<String, String> PATH_SAMPLES = Map.ofEntries(Map.entry("node", "pve1"),
            Map.entry("storage", "local"), Map.entry("volume", ISO.replace("/", "%2F")), Map.entry("iface", "vmbr0"),
            Map.entry("userid", "auditor@pve"), Map.entry("tokenid", "monitoring"), Map.entry("groupid", "operators"),
            Map.entry("roleid", "PVEAuditor"), Map.entry("poolid", "production"), Map.entry("sid", "vm:101"),
            Map.entry("group", "prefer-pve1"), Map.entry("pos", "0"), Map.entry("service", "pveproxy"),
            Map.entry("realm", "pve"), Map.entry("id", "backup-prod-nightly"), Map.entry("rule", "app-on-pve2"));

    /** Values for required query parameters of reads. */
    static final Map<String, String> QUERY_SAMPLES = Map.of("timeframe", "hour", "feature", "snapshot");

    static Object[] call(String method, String path, String... params) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i + 1 < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        return new Object[] {method, path, p};
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyImplementedMethodAnswersAsTheContractSays() throws Exception {
        try (Simulator sim = Simulator.builder().port(0).rootPassword("rootpw").authFailureDelay(Duration.ZERO)
                .start()) {
            SimClient client = new SimClient(sim);
            Map<String, String> root = client.login("root@pam", "rootpw");
            List<String> problems = new ArrayList<>();
            Set<String> covered = new LinkedHashSet<>();
            for (Object[] change : CHANGES) {
                String method = (String) change[0];
                String path = (String) change[1];
                if (path.contains("{upid}")) {
                    path = path.replace("{upid}", String.valueOf(((List<Map<String, Object>>) client.get(
                            "/nodes/pve1/tasks", Map.of(), root).data()).get(0).get("upid")));
                }
                var match = sim.contract().find(method, path);
                assertThat(match).as("%s %s is in the contract", method, path).isPresent();
                covered.add(method + " " + match.get().method().path());
                check(client, root, match.get().method(), method, path, (Map<String, String>) change[2], problems);
            }
            String upid = String.valueOf(((List<Map<String, Object>>) client.get("/nodes/pve1/tasks", Map.of(),
                    root).data()).get(0).get("upid"));
            for (String key : sim.implementedMethods()) {
                String method = key.substring(0, key.indexOf(' '));
                String template = key.substring(key.indexOf(' ') + 1);
                ApiMethod api = sim.contract().method(method, template).orElseThrow(
                        () -> new AssertionError(key + " is not in the contract"));
                if (!method.equals("GET")) {
                    assertThat(covered).as("%s has a sample change in CHANGES", key).contains(key);
                    continue;
                }
                String path = template.contains("/replication/{id}") ? template.replace("{id}", "101-0") : template;
                if (template.contains("/firewall/")) {
                    path = path.replace("/aliases/{name}", "/aliases/mgmt").replace("/ipset/{name}", "/ipset/admins")
                            .replace("{cidr}", "10.0.0.50").replace("/groups/{group}", "/groups/webserver");
                }
                for (var e : PATH_SAMPLES.entrySet()) {
                    path = path.replace("{" + e.getKey() + "}", e.getValue());
                }
                path = path.replace("{vmid}", template.contains("/lxc/") ? "200" : "100")
                        .replace("{snapname}", template.contains("/lxc/") ? "keep" : "before-upgrade")
                        .replace("{upid}", upid);
                assertThat(path).as("sample path for %s", key).doesNotContain("{");
                Map<String, String> query = new LinkedHashMap<>();
                for (String required : api.requiredParameters()) {
                    if (required.equals("volume") && template.endsWith("/vzdump/extractconfig")) {
                        query.put("volume", String.valueOf(((List<Map<String, Object>>) client.get(
                                "/nodes/pve1/storage/local/content", Map.of("content", "backup"), root).data()).get(0)
                                .get("volid")));
                    } else if (!template.contains("{" + required + "}")) {
                        assertThat(QUERY_SAMPLES).as("sample value of %s for %s", required, key).containsKey(required);
                        query.put(required, QUERY_SAMPLES.get(required));
                    }
                }
                check(client, root, api, method, path, query, problems);
            }
            assertThat(problems).isEmpty();
            assertThat(sim.implementedMethods()).hasSizeGreaterThan(150);
        }
    }

    private static void check(SimClient client, Map<String, String> auth, ApiMethod api, String method, String path,
            Map<String, String> params, List<String> problems) throws Exception {
        var answer = client.send(method, path, params, auth);
        if (answer.status() != 200) {
            problems.add(method + " " + path + ": HTTP " + answer.status() + " " + answer.body().get("message")
                    + (answer.errors() == null ? "" : " " + answer.errors()));
            return;
        }
        for (String p : api.checkReturn(answer.data())) {
            problems.add(method + " " + path + ": " + p);
        }
        if (answer.data() instanceof String upid && upid.startsWith("UPID:")) {
            String node = upid.split(":")[1];
            var status = client.get("/nodes/" + node + "/tasks/" + java.net.URLEncoder.encode(upid,
                    java.nio.charset.StandardCharsets.UTF_8) + "/status", Map.of(), auth);
            @SuppressWarnings("unchecked")
            Map<String, Object> task = (Map<String, Object>) status.data();
            String exit = String.valueOf(task.get("exitstatus"));
            if (!exit.equals("OK") && !exit.startsWith("WARNINGS")) {
                problems.add(method + " " + path + ": task ended with '" + exit + "'");
            }
        }
    }
}
