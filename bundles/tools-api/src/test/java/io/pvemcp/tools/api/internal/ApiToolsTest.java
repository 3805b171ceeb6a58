package io.pvemcp.tools.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.testing.SimulatedCluster;
import io.pvemcp.testing.ToolCalls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiToolsTest {

    static final ContractSource CONTRACT = new ContractSource();

    SimulatedCluster cluster;
    ToolCalls tools;
    final ApiTool api = new ApiTool(CONTRACT);
    final ApiDescribeTool describe = new ApiDescribeTool(CONTRACT);

    final List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        cluster = SimulatedCluster.start();
        ProxmoxClient client = cluster.client();
        tools = new ToolCalls(new ProxmoxClient() {
            @Override
            public CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
                sent.add(method + " " + path);
                return client.request(method, path, params);
            }

            @Override
            public CompletableFuture<TaskResult> awaitTask(String upid, Duration timeout,
                    Consumer<TaskResult> progress) {
                return client.awaitTask(upid, timeout, progress);
            }

            @Override
            public ConnectionInfo connection() {
                return client.connection();
            }
        });
    }

    @AfterEach
    void stop() {
        assertThat(cluster.simulator().contractViolations()).isEmpty();
        cluster.close();
    }

    @Test
    void aFirewallRuleAddedIsFoundInTheGuestsRules() throws Exception {
        Map<String, Object> add = Map.of("method", "POST", "path", "/nodes/pve1/qemu/100/firewall/rules", "params",
                Map.of("type", "in", "action", "ACCEPT", "proto", "tcp", "dport", "443", "enable", 1,
                        "comment", "https"));
        assertThat(api.risk(new Arguments(add))).isEqualTo(Risk.CHANGE);
        assertThat(api.additionalScopes(new Arguments(add))).containsOnlyKeys(Scopes.WRITE);
        Preview preview = tools.preview(api, add);
        assertThat(preview.summary()).startsWith("POST /nodes/pve1/qemu/100/firewall/rules (create_rule) with ")
                .contains("dport=443", "Proxmox requires VM.Config.Network on /vms/100");
        assertThat(preview.targets()).singleElement().satisfies(t -> {
            assertThat(t.vmid()).isEqualTo(100L);
            assertThat(t.kind()).isEqualTo("qemu");
        });
        assertThat(preview.requests()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/nodes/pve1/qemu/100/firewall/rules");
            assertThat(r.params()).doesNotContainKeys("node", "vmid").containsEntry("dport", "443");
        });
        assertThat(preview.undoable()).isTrue();

        ToolResult added = tools.call(api, add);
        assertThat(added.structuredContent()).containsEntry("method", "POST")
                .containsEntry("api", "/nodes/{node}/qemu/{vmid}/firewall/rules (create_rule)");

        Map<String, Object> list = Map.of("method", "GET", "path", "/api2/json/nodes/pve1/qemu/100/firewall/rules/");
        assertThat(api.risk(new Arguments(list))).isEqualTo(Risk.READ);
        assertThat(api.additionalScopes(new Arguments(list))).isEmpty();
        ToolResult rules = tools.call(api, list);
        assertThat(rules.structuredContent().get("data")).asList().anySatisfy(r -> assertThat(map(r))
                .containsEntry("dport", "443").containsEntry("action", "ACCEPT").containsEntry("comment", "https"));
        assertThat(rules.structuredContent().get("permission")).isEqualTo("VM.Audit on /vms/100");
    }

    @Test
    void anInvalidCallIsRefusedInTheContractsWordsBeforeProxmoxIsAsked() {
        ToolException bad = tools.refusal(ToolException.class, api, Map.of("method", "POST", "path",
                "/nodes/pve1/qemu/100/firewall/rules", "params", Map.of("type", "sideways", "action", "ACCEPT",
                        "bogus", 1)));
        assertThat(bad.getMessage()).contains("Parameter verification failed for POST "
                + "/nodes/{node}/qemu/{vmid}/firewall/rules", "- type: value 'sideways' does not have a value in the "
                + "enumeration 'in, out, forward, group'", "- bogus: property is not defined in schema and the schema "
                + "does not allow additional properties", "Nothing was sent to Proxmox");
        assertThat(tools.refusal(ToolException.class, api, Map.of("method", "GET", "path", "/nodes/pve1/teleport"))
                .getMessage()).contains("has no path /nodes/pve1/teleport", "proxmox_api_describe");
        assertThat(tools.refusal(ToolException.class, api, Map.of("method", "PUT", "path", "/nodes/pve1/qemu"))
                .getMessage()).contains("has no PUT on /nodes/pve1/qemu; it has GET, POST");
        assertThat(tools.refusal(ToolException.class, api, Map.of("method", "GET", "path", "/nodes/pve1/qemu",
                "params", Map.of("node", "pve2"))).getMessage()).contains("node is pve2 in params but pve1 in the path");
        assertThat(tools.refusal(ToolException.class, api, Map.of("method", "GET", "path", "/cluster/resources",
                "params", Map.of("type", Map.of("x", 1)))).getMessage()).contains("must be a string, number, boolean");
        assertThat(tools.refusal(ToolException.class, api, Map.of("method", "GET", "path", "/cluster/resources",
                "params", Map.of("type", "x".repeat(8000)))).getMessage()).contains("would be 80", "at most 7000");
        assertThat(sent).as("nothing reached Proxmox").isEmpty();
        assertThat(api.risk(new Arguments(Map.of("method", "GET", "path", "/nowhere")))).as("unknown: declared")
                .isNull();
    }

    @Test
    void theRiskFollowsWhatTheCallDoes() {
        assertThat(risk("DELETE", "/nodes/pve1/qemu/100/firewall/rules/0")).isEqualTo(Risk.DESTROY);
        assertThat(risk("POST", "/nodes/pve1/qemu/100/status/stop")).isEqualTo(Risk.DESTROY);
        assertThat(risk("POST", "/nodes/pve1/lxc/200/snapshot/before/rollback")).isEqualTo(Risk.DESTROY);
        assertThat(risk("POST", "/nodes/pve1/qemu/100/status/shutdown")).isEqualTo(Risk.POWER);
        assertThat(risk("PUT", "/cluster/firewall/options")).isEqualTo(Risk.CHANGE);
        assertThat(risk("GET", "/access/users")).isEqualTo(Risk.READ);
    }

    Risk risk(String method, String path) {
        return api.risk(new Arguments(Map.of("method", method, "path", path)));
    }

    @Test
    void aTaskItStartsIsFollowedAndAFailureOfProxmoxPassesThrough() throws Exception {
        ToolResult started = tools.call(api, Map.of("method", "POST", "path", "/nodes/pve2/qemu/102/status/start"));
        assertThat(started.structuredContent().get("task")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("succeeded", true);
        assertThat(started.text()).contains("its task ended OK");
        assertThat(tools.preview(api, Map.of("method", "POST", "path", "/nodes/pve2/qemu/102/status/stop"))
                .interrupts()).isTrue();
        ProxmoxException missing = tools.refusal(ProxmoxException.class, api, Map.of("method", "GET", "path",
                "/nodes/pve1/qemu/555/config"));
        assertThat(missing.getMessage()).contains("555");
    }

    /** "Create a read-only user for my colleague with an API token": what the token may and may not do afterwards. */
    @Test
    void aReadOnlyUserMadeThroughTheApiMayLookButNotStartAVm() throws Exception {
        tools.call(api, Map.of("method", "POST", "path", "/access/users", "params", Map.of("userid", "colleague@pve",
                "comment", "read-only")));
        tools.call(api, Map.of("method", "PUT", "path", "/access/acl", "params", Map.of("path", "/", "users",
                "colleague@pve", "roles", "PVEAuditor")));
        ToolResult token = tools.call(api, Map.of("method", "POST", "path", "/access/users/colleague@pve/token/laptop",
                "params", Map.of("privsep", 0)));
        Map<String, Object> data = map(token.structuredContent().get("data"));
        String secret = (String) data.get("value");
        assertThat(data).containsEntry("full-tokenid", "colleague@pve!laptop");
        ProxmoxClient colleague = cluster.client("colleague@pve!laptop", secret);
        assertThat(colleague.get("/cluster/resources", Map.of("type", "vm")).join()).asList().isNotEmpty();
        ProxmoxException refused = org.assertj.core.api.Assertions.catchThrowableOfType(() -> {
            try {
                colleague.post("/nodes/{node}/qemu/{vmid}/status/start", Map.of("node", "pve2", "vmid", 102)).join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause();
            }
        }, ProxmoxException.class);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.kind()).isEqualTo(ProxmoxException.Kind.PERMISSION);
    }

    @Test
    void aPreviewNeverRepeatsAPassword() throws Exception {
        Preview user = tools.preview(api, Map.of("method", "POST", "path", "/access/users", "params",
                Map.of("userid", "colleague@pve", "password", "Sup3r-secret!", "comment", "read-only")));
        assertThat(user.summary()).contains("userid=colleague@pve", "password=(hidden)").doesNotContain("Sup3r");
        Preview token = tools.preview(api, Map.of("method", "POST", "path", "/access/users/colleague@pve/token/laptop"));
        assertThat(token.summary()).endsWith("Proxmox requires (the user named is the caller or User.Modify on a group "
                + "of the user named).");
        assertThat(user.summary()).endsWith("Proxmox requires (Realm.AllocateUser on the realm of the user named and "
                + "User.Modify on a group of the user named).");
    }

    @Test
    void longListsAreCutToTheLimit() throws Exception {
        ToolResult all = tools.call(api, Map.of("method", "GET", "path", "/cluster/resources", "limit", 3));
        assertThat(all.structuredContent().get("data")).asList().hasSize(3);
        assertThat((Integer) all.structuredContent().get("total")).isGreaterThan(3);
        assertThat(all.text()).contains("the first 3 returned");
    }

    @Test
    void describesAPathItsMethodsAndWhatLiesBelow() throws Exception {
        ToolResult rules = tools.call(describe, Map.of("path", "/nodes/pve1/qemu/100/firewall/rules"));
        Map<String, Object> out = rules.structuredContent();
        assertThat(out).containsEntry("path", "/nodes/{node}/qemu/{vmid}/firewall/rules");
        List<?> methods = (List<?>) out.get("methods");
        assertThat(methods).extracting(m -> (Object) map(m).get("method")).containsExactly("GET", "POST");
        Map<?, ?> post = (Map<?, ?>) methods.get(1);
        assertThat(post.get("risk")).isEqualTo("change");
        assertThat(post.get("permission")).isEqualTo("VM.Config.Network on /vms/100");
        assertThat(map(post.get("parameters"))).containsEntry("type", "one of in|out|forward|group, required")
                .containsEntry("vmid", "integer 100..999999999, format pve-vmid, required");
        assertThat(out.get("below")).asList().contains("/nodes/{node}/qemu/{vmid}/firewall/rules/{pos}");
        assertThat(rules.text()).contains("GET (get_rules, read), POST (create_rule, change)",
                "Path values: {node=pve1, vmid=100}");

        ToolResult access = tools.call(describe, Map.of("path", "/access", "method", "GET"));
        assertThat(access.structuredContent().get("below")).asList().contains("/access/users", "/access/acl");
        ToolResult prefix = tools.call(describe, Map.of("path", "/nodes/pve1/qemu/100/fire"));
        assertThat(prefix.structuredContent().get("methods")).asList().isEmpty();
        assertThat(prefix.structuredContent().get("below")).asList().contains(
                "/nodes/{node}/qemu/{vmid}/firewall/rules", "/nodes/{node}/qemu/{vmid}/firewall/options")
                .allSatisfy(p -> assertThat(p.toString()).startsWith("/nodes/{node}/qemu/{vmid}/firewall"));
        assertThat(tools.refusal(ToolException.class, describe, Map.of("path", "/teleport")).getMessage())
                .contains("has no path /teleport", "/access", "/nodes");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
