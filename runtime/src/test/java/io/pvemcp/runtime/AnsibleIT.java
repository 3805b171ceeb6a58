package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator as Ansible sees it: Debian's Ansible (community.general's proxmox modules and inventory plugin on
 * python3-proxmoxer, which nobody here wrote) against {@code proxmox-mcp sim}, once with a password login and once
 * with an API token, verifying the simulator's certificate. The playbook ({@code src/test/ansible/guests.yml})
 * asserts each module's result; this test reads the state back through the API and checks that no request left the
 * Proxmox VE API contract.
 */
class AnsibleIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path PLAYBOOK = Path.of("src/test/ansible/guests.yml").toAbsolutePath();

    @TempDir
    Path dir;

    /** A running {@code proxmox-mcp sim}. */
    record Sim(Process process, int port, String tokenId, String tokenSecret, Path ca, Path log) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    Sim startSim(String name) throws Exception {
        Files.createDirectories(ServerProcess.OUT);
        int port = ServerProcess.freePort();
        Path log = ServerProcess.OUT.resolve(name + ".log");
        Process p = new ProcessBuilder(ServerProcess.DIST.resolve("bin/proxmox-mcp").toString(), "sim", "--port",
                Integer.toString(port), "--password", "ansible-root-pw", "--task-time-scale", "0.05", "--data",
                dir.resolve(name).toString()).redirectError(log.toFile()).start();
        StringBuilder out = new StringBuilder();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        byte[] buf = new byte[4096];
        while (!out.toString().contains("Press Ctrl+C") && System.nanoTime() < deadline && p.isAlive()) {
            if (p.getInputStream().available() > 0) {
                int n = p.getInputStream().read(buf);
                out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            } else {
                Thread.sleep(50);
            }
        }
        Matcher token = Pattern.compile("API token\\s+(\\S+)=(\\S+)").matcher(out);
        Matcher ca = Pattern.compile("CA certificate\\s+(\\S+)").matcher(out);
        assertThat(token.find() && ca.find()).as("the simulator started: %s, see %s", out, log).isTrue();
        String id = token.group(1);
        return new Sim(p, port, id.substring(id.indexOf('!') + 1), token.group(2), Path.of(ca.group(1)), log);
    }

    record Run(int exit, String out) {
    }

    Run ansible(Sim sim, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        // verify the simulator's certificate: requests (under proxmoxer and the inventory plugin) reads this
        env.keySet().removeIf(k -> k.equals("SSL_CERT_FILE") || k.equals("CURL_CA_BUNDLE"));
        env.put("REQUESTS_CA_BUNDLE", sim.ca().toString());
        env.put("ANSIBLE_PYTHON_INTERPRETER", "/usr/bin/python3");
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_INVENTORY_ENABLED", "community.general.proxmox,host_list");
        env.put("ANSIBLE_LOCAL_TEMP", dir.resolve("ansible-tmp").toString());
        env.put("ANSIBLE_HOME", dir.resolve("ansible-home").toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("Ansible is not installed: apt-get install ansible (.ci/run does this)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), out);
    }

    HttpClient trusting(Path ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(ca))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }

    JsonNode get(Sim sim, String path) throws Exception {
        HttpResponse<String> r = trusting(sim.ca()).send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + sim.port() + path)).header("Authorization", "PVEAPIToken=root@pam!" + sim.tokenId() + "="
                + sim.tokenSecret()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("data");
    }

    @Test
    void withAPasswordLogin() throws Exception {
        try (Sim sim = startSim("ansible-password-sim")) {
            Map<String, Object> api = new LinkedHashMap<>();
            api.put("api_host", "127.0.0.1:" + sim.port());
            api.put("api_user", "root@pam");
            api.put("api_password", "ansible-root-pw");
            Map<String, Object> inventory = new LinkedHashMap<>();
            inventory.put("user", "root@pam");
            inventory.put("password", "ansible-root-pw");
            drive(sim, "password", api, inventory);
        }
    }

    @Test
    void withAnApiToken() throws Exception {
        try (Sim sim = startSim("ansible-token-sim")) {
            Map<String, Object> api = new LinkedHashMap<>();
            api.put("api_host", "127.0.0.1:" + sim.port());
            api.put("api_user", "root@pam");
            api.put("api_token_id", sim.tokenId());
            api.put("api_token_secret", sim.tokenSecret());
            Map<String, Object> inventory = new LinkedHashMap<>();
            inventory.put("user", "root@pam");
            inventory.put("token_id", sim.tokenId());
            inventory.put("token_secret", sim.tokenSecret());
            drive(sim, "token", api, inventory);
        }
    }

    void drive(Sim sim, String login, Map<String, Object> api, Map<String, Object> inventory) throws Exception {
        Map<String, Object> plugin = new LinkedHashMap<>();
        plugin.put("plugin", "community.general.proxmox");
        plugin.put("url", "https://127.0.0.1:" + sim.port());
        plugin.putAll(inventory);
        plugin.put("validate_certs", true);
        plugin.put("want_facts", true);
        Path source = dir.resolve("demo.proxmox.yml");
        Files.writeString(source, JSON.writeValueAsString(plugin));
        Run listed = ansible(sim, List.of("ansible-inventory", "-i", source.toString(), "--list"));
        Files.writeString(ServerProcess.OUT.resolve("ansible-inventory-" + login + ".txt"), listed.out());
        assertThat(listed.exit()).as(listed.out()).isZero();
        assertThat(listed.out()).doesNotContain("Failed to parse", "No inventory was parsed");
        JsonNode groups = JSON.readTree(listed.out().substring(listed.out().indexOf('{')));
        assertThat(groups.path("_meta").path("hostvars").has("db01")).as("the demo cluster's guests are hosts")
                .isTrue();
        assertThat(groups.path("_meta").path("hostvars").path("db01").path("proxmox_node").asText()).isEqualTo("pve1");
        assertThat(groups.path("proxmox_pool_dev").path("hosts").size()).isPositive();
        assertThat(groups.path("proxmox_all_running").path("hosts").size()).isPositive();

        int base = login.equals("password") ? 9501 : 9601;
        Path vars = dir.resolve("vars-" + login + ".json");
        Files.writeString(vars, JSON.writeValueAsString(Map.of("api", api, "base", base)));
        Run play = ansible(sim, List.of("ansible-playbook", "-i", "localhost,", PLAYBOOK.toString(), "-e", "@" + vars));
        Files.writeString(ServerProcess.OUT.resolve("ansible-playbook-" + login + ".txt"), play.out());
        assertThat(play.exit()).as(play.out()).isZero();
        assertThat(play.out()).containsPattern("localhost\\s+: ok=\\d+\\s+changed=\\d+\\s+unreachable=0\\s+failed=0");

        JsonNode vm = get(sim, "/api2/json/nodes/pve1/qemu/" + base + "/config");
        assertThat(vm.path("cores").asInt()).isEqualTo(4);
        assertThat(vm.path("tags").asText()).isEqualTo("ansible;kit");
        assertThat(vm.path("scsi1").asText()).as("moved, with its options and grown size")
                .startsWith("nfs-shared:" + base + "/vm-" + base + "-disk-").contains("cache=none", "size=3G");
        List<String> keys = new ArrayList<>();
        vm.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("the detached disk was removed for good").noneMatch(k -> k.startsWith("unused"))
                .doesNotContain("scsi3");
        JsonNode clones = get(sim, "/api2/json/cluster/resources?type=vm");
        List<Integer> vmids = new ArrayList<>();
        clones.forEach(g -> vmids.add(g.path("vmid").asInt()));
        assertThat(vmids).contains(base, base + 2).doesNotContain(base + 1);
        JsonNode ct = get(sim, "/api2/json/nodes/pve1/lxc/" + (base + 2) + "/status/current");
        assertThat(ct.path("status").asText()).isEqualTo("stopped");
        JsonNode simulator = get(sim, "/simulator");
        assertThat(simulator.path("contractViolations").size()).as("requests outside the API contract: %s",
                simulator.path("contractViolations")).isZero();
    }
}
