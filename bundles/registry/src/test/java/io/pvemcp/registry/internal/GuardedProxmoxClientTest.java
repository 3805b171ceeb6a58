package io.pvemcp.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.pvemcp.api.Caller;
import io.pvemcp.api.Limits;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;

import org.junit.jupiter.api.Test;

class GuardedProxmoxClientTest {

    static final List<Map<String, Object>> RESOURCES = List.of(
            Map.of("type", "node", "node", "pve1"), Map.of("type", "node", "node", "pve2"),
            Map.of("type", "qemu", "vmid", 100, "node", "pve1", "pool", "dev"),
            Map.of("type", "qemu", "vmid", 150, "node", "pve1"),
            Map.of("type", "lxc", "vmid", 250, "node", "pve1", "pool", "dev"),
            Map.of("type", "qemu", "vmid", 120, "node", "pve2", "pool", "dev"));

    final List<String> sent = new ArrayList<>();
    final List<String> awaited = new ArrayList<>();
    final ProxmoxClient pve = new ProxmoxClient() {
        @Override
        public CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
            sent.add(method + " " + path + " " + params);
            if (path.equals("/cluster/resources")) {
                return CompletableFuture.completedFuture(RESOURCES);
            }
            if (method.equals("POST")) {
                return CompletableFuture.completedFuture("UPID:pve1:0000A1B2:00C3D4E5:6553F0A0:qmstart:100:root@pam:");
            }
            return CompletableFuture.completedFuture(Map.of("status", "running"));
        }

        @Override
        public CompletableFuture<io.pvemcp.api.pve.TaskResult> awaitTask(String upid, java.time.Duration timeout,
                java.util.function.Consumer<io.pvemcp.api.pve.TaskResult> progress) {
            awaited.add(upid);
            return CompletableFuture.completedFuture(new io.pvemcp.api.pve.TaskResult(
                    io.pvemcp.api.pve.Upid.parse(upid), false, "OK", java.time.Duration.ZERO, List.of()));
        }

        @Override
        public ConnectionInfo connection() {
            return null;
        }
    };

    GuardedProxmoxClient client(Limits limits, List<String> tasks) {
        Caller caller = Caller.builder().subject("ci").scopes(Set.of(Scopes.ADMIN)).tokenName("ci").limits(limits).build();
        return new GuardedProxmoxClient(pve, caller, tasks);
    }

    static Throwable cause(CompletableFuture<?> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void notesTheTasksACallStarts() {
        List<String> tasks = new ArrayList<>();
        client(Limits.NONE, tasks).post("/nodes/{node}/qemu/{vmid}/status/start", Map.of("node", "pve1", "vmid", 100)).join();
        assertThat(tasks).singleElement().asString().startsWith("UPID:pve1:");
    }

    @Test
    void refusesGuestsAndNodesOutsideTheLimitsBeforeAskingProxmox() {
        GuardedProxmoxClient c = client(io.pvemcp.security.LimitsFormat.parse("pve1", "100-199", null), new ArrayList<>());
        assertThat(cause(c.post("/nodes/{node}/qemu/{vmid}/status/stop", Map.of("node", "pve1", "vmid", 250))))
                .isInstanceOf(ToolException.class).hasMessageContaining("token 'ci' is limited to nodes pve1; VMIDs 100-199")
                .hasMessageContaining("guest 250 is outside");
        assertThat(cause(c.get("/nodes/{node}/status", Map.of("node", "pve2")))).hasMessageContaining("node pve2");
        assertThat(cause(c.post("/nodes/{node}/qemu", Map.of("node", "pve1", "vmid", 300)))).hasMessageContaining("VMID 300");
        assertThat(cause(c.post("/pools", Map.of("poolid", "x")))).hasMessageContaining("may not change cluster-wide");
        assertThat(cause(c.get("/nodes/{node}/tasks/{upid}/status", Map.of("node", "pve1", "upid",
                "UPID:pve1:0000A1B2:00C3D4E5:6553F0A0:qmstart:250:root@pam:")))).hasMessageContaining("guest 250");
        assertThat(sent).isEmpty();
        assertThat(cause(c.post("/nodes/{node}/qemu/{vmid}/status/stop", Map.of("node", "pve1", "vmid", 150)))).isNull();
    }

    @Test
    void listsLeaveOutWhatTheCallerMayNotSee() {
        GuardedProxmoxClient c = client(io.pvemcp.security.LimitsFormat.parse("pve1", null, "dev"), new ArrayList<>());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> seen = (List<Map<String, Object>>) c.get("/cluster/resources", Map.of()).join();
        assertThat(seen).extracting(m -> m.get("vmid")).containsExactly(null, 100, 250);
        assertThat(cause(c.post("/nodes/{node}/qemu/{vmid}/status/start", Map.of("node", "pve1", "vmid", 150))))
                .hasMessageContaining("guest 150 (in no pool)");
        assertThat(cause(c.post("/nodes/{node}/qemu", Map.of("node", "pve1", "vmid", 160))))
                .hasMessageContaining("may only create guests in the pools dev");
    }

    @Test
    void aWholeAnswerIsHeldToTheSameScopesAndLimitsAndItsDataFiltered() {
        GuardedProxmoxClient c = client(io.pvemcp.security.LimitsFormat.parse("pve1", null, "dev"), new ArrayList<>());
        Map<String, Object> whole = c.answer("GET", "/cluster/resources", Map.of()).join();
        assertThat((List<?>) whole.get("data")).hasSize(3);
        assertThat(cause(c.answer("GET", "/nodes/{node}/network", Map.of("node", "pve2"))))
                .hasMessageContaining("node pve2");
        GuardedProxmoxClient reader = scoped(Set.of(Scopes.READ), Limits.NONE, new ArrayList<>());
        sent.clear();
        assertThat(cause(reader.answer("PUT", "/nodes/{node}/network", Map.of("node", "pve1"))))
                .isInstanceOf(ToolException.class).hasMessageContaining("proxmox:admin");
        assertThat(sent).isEmpty();
        List<String> tasks = new ArrayList<>();
        client(Limits.NONE, tasks).answer("POST", "/nodes/{node}/qemu/{vmid}/status/start", Map.of("node", "pve1",
                "vmid", 100)).join();
        assertThat(tasks).as("tasks started through a whole answer are noted too").hasSize(1);
    }

    GuardedProxmoxClient scoped(Set<String> scopes, Limits limits, List<String> tasks) {
        Caller caller = Caller.builder().subject("ci").scopes(scopes).tokenName("ci").limits(limits).build();
        return new GuardedProxmoxClient(pve, caller, tasks);
    }

    @Test
    void everyRequestNeedsTheScopeOfItsEffectWhateverToolSendsIt() {
        GuardedProxmoxClient writer = scoped(Set.of(Scopes.WRITE), Limits.NONE, new ArrayList<>());
        Map<String, Object> guest = Map.of("node", "pve1", "vmid", 100);
        for (String action : List.of("start", "stop", "shutdown", "reboot", "reset", "suspend", "resume")) {
            assertThat(cause(writer.post("/nodes/{node}/qemu/{vmid}/status/" + action, guest))).as(action)
                    .isInstanceOf(ToolException.class).hasMessageContaining("needs the scope proxmox:power");
        }
        assertThat(cause(writer.post("/nodes/{node}/lxc", Map.of("node", "pve1", "vmid", 300, "start", 1))))
                .hasMessageContaining("proxmox:power");
        assertThat(cause(writer.post("/nodes/{node}/qemu", Map.of("node", "pve1", "vmid", 300, "start", true))))
                .hasMessageContaining("proxmox:power");
        assertThat(cause(writer.post("/nodes/{node}/qemu/{vmid}/agent/exec", Map.of("node", "pve1", "vmid", 100,
                "command", "id")))).hasMessageContaining("proxmox:admin");
        assertThat(cause(writer.get("/nodes/{node}/qemu/{vmid}/agent/file-read", Map.of("node", "pve1", "vmid", 100,
                "file", "/etc/shadow")))).hasMessageContaining("proxmox:admin");
        assertThat(cause(writer.post("/access/users", Map.of("userid", "x@pve")))).hasMessageContaining("proxmox:admin");
        assertThat(cause(writer.post("/nodes/{node}/status", Map.of("node", "pve1", "command", "reboot"))))
                .hasMessageContaining("proxmox:admin");
        assertThat(sent).as("nothing reached Proxmox").isEmpty();
        assertThat(cause(writer.post("/nodes/{node}/qemu", Map.of("node", "pve1", "vmid", 300)))).isNull();
        assertThat(cause(writer.delete("/nodes/{node}/qemu/{vmid}", guest))).hasMessageContaining("proxmox:destroy");
        assertThat(cause(writer.post("/nodes/{node}/qemu/{vmid}/snapshot/{snapname}/rollback", Map.of("node", "pve1",
                "vmid", 100, "snapname", "s1")))).hasMessageContaining("proxmox:destroy");
        GuardedProxmoxClient destroyer = scoped(Set.of(Scopes.DESTROY), Limits.NONE, new ArrayList<>());
        assertThat(cause(destroyer.delete("/nodes/{node}/qemu/{vmid}", guest))).isNull();
        assertThat(cause(writer.get("/nodes/{node}/qemu/{vmid}/status/current", guest))).isNull();

        GuardedProxmoxClient power = scoped(Set.of(Scopes.POWER), Limits.NONE, new ArrayList<>());
        assertThat(cause(power.post("/nodes/{node}/qemu/{vmid}/status/start", guest))).isNull();
        assertThat(cause(power.delete("/nodes/{node}/qemu/{vmid}", guest))).hasMessageContaining("proxmox:destroy");
        assertThat(cause(power.put("/nodes/{node}/qemu/{vmid}/config", guest))).hasMessageContaining("proxmox:write");
        GuardedProxmoxClient admin = scoped(Set.of(Scopes.ADMIN), Limits.NONE, new ArrayList<>());
        assertThat(cause(admin.post("/access/users", Map.of("userid", "x@pve")))).isNull();
    }

    @Test
    void poolLimitsApplyToTasksToo() {
        List<String> tasks = new ArrayList<>();
        GuardedProxmoxClient c = client(io.pvemcp.security.LimitsFormat.parse(null, null, "dev"), tasks);
        String outside = "UPID:pve1:0000A1B2:00C3D4E5:6553F0A0:qmstart:150:root@pam:";
        String inside = "UPID:pve1:0000A1B2:00C3D4E5:6553F0A0:qmstart:100:root@pam:";
        String nodeTask = "UPID:pve1:0000A1B2:00C3D4E5:6553F0A0:aptupdate::root@pam:";
        assertThat(cause(c.get("/nodes/{node}/tasks/{upid}/log", Map.of("node", "pve1", "upid", outside))))
                .isInstanceOf(ToolException.class).hasMessageContaining("guest 150 (in no pool)");
        assertThat(cause(c.get("/nodes/{node}/tasks/{upid}/status", Map.of("node", "pve1", "upid", nodeTask))))
                .hasMessageContaining("belongs to no guest");
        assertThat(cause(c.get("/nodes/{node}/tasks/{upid}/log", Map.of("node", "pve1", "upid", inside)))).isNull();
        assertThat(cause(c.awaitTask(outside, java.time.Duration.ofSeconds(1), null)))
                .as("following a task is held to the same limits").hasMessageContaining("guest 150 (in no pool)");
        assertThat(awaited).isEmpty();
        assertThat(c.awaitTask(inside, java.time.Duration.ofSeconds(1), null).join().succeeded()).isTrue();
        assertThat(awaited).containsExactly(inside);
    }

    @Test
    void withoutLimitsEverythingPassesUnchanged() {
        GuardedProxmoxClient c = client(Limits.NONE, new ArrayList<>());
        assertThat(c.get("/cluster/resources", Map.of()).join()).isSameAs(RESOURCES);
        assertThatThrownBy(() -> io.pvemcp.security.LimitsFormat.parse(null, "99", null)).hasMessageContaining("VMIDs are whole numbers from 100");
    }
}
