package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Tasks that take time (time scale 1, as in demo mode): running, then stopped, with logs, lists and faults. */
class TaskTest extends SimTestSupport {

    @Override
    Simulator.Builder configure(Simulator.Builder b) {
        return b.taskTimeScale(1.0);
    }

    @Test
    void aTaskRunsThenEndsWithItsLog() throws Exception {
        String upid = (String) ok("POST", "/nodes/pve2/qemu/102/status/start");
        assertThat(upid).matches("UPID:pve2:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmstart:102:root@pam!test:");
        Map<String, Object> running = map("/nodes/pve2/tasks/" + enc(upid) + "/status");
        assertThat(running).containsEntry("status", "running").containsEntry("type", "qmstart")
                .containsEntry("id", "102").containsEntry("user", "root@pam").containsEntry("tokenid", "test")
                .doesNotContainKey("exitstatus");
        assertThat(map("/nodes/pve2/qemu/102/status/current")).containsEntry("status", "stopped");
        assertThat(list("/nodes/pve2/tasks", "source", "active")).extracting(t -> t.get("upid")).contains(upid);
        assertThat(waitTask(upid)).isEqualTo("OK");
        assertThat(map("/nodes/pve2/qemu/102/status/current")).containsEntry("status", "running");
        List<String> log = taskLog(upid);
        assertThat(log.get(log.size() - 1)).isEqualTo("TASK OK");
        assertThat(list("/nodes/pve2/tasks", "typefilter", "qmstart", "vmid", "102")).extracting(t -> t.get("status"))
                .containsExactly("OK");
        assertThat(list("/cluster/tasks")).extracting(t -> t.get("upid")).contains(upid);
        assertThat(list("/cluster/log", "max", "20")).extracting(e -> String.valueOf(e.get("msg")))
                .anyMatch(m -> m.startsWith("end task " + upid));
    }

    @Test
    void aStoppedTaskEndsInterruptedAndUndoesItsLock() throws Exception {
        String upid = (String) ok("POST", "/nodes/pve1/qemu/100/snapshot", "snapname", "slow", "vmstate", "1");
        assertThat(map("/nodes/pve1/qemu/100/config")).containsEntry("lock", "snapshot");
        ok("DELETE", "/nodes/pve1/tasks/" + enc(upid));
        assertThat(waitTask(upid)).isEqualTo("interrupted by signal");
        assertThat(map("/nodes/pve1/qemu/100/config")).doesNotContainKey("lock");
        assertThat(list("/nodes/pve1/qemu/100/snapshot")).extracting(s -> s.get("name")).doesNotContain("slow");
        assertThat(list("/nodes/pve1/tasks", "errors", "1")).extracting(t -> t.get("upid")).contains(upid);
    }

    @Test
    void injectedFailuresEndTasksWithTheirMessage() throws Exception {
        sim.failTasks("qmstart", "103", "start failed: QEMU exited with code 1", 1);
        String upid = (String) ok("POST", "/nodes/pve2/qemu/103/status/start");
        assertThat(waitTask(upid)).isEqualTo("start failed: QEMU exited with code 1");
        assertThat(taskLog(upid)).last().isEqualTo("TASK ERROR: start failed: QEMU exited with code 1");
        assertThat(map("/nodes/pve2/qemu/103/status/current")).containsEntry("status", "stopped");
        assertThat(run("POST", "/nodes/pve2/qemu/103/status/start")).isEqualTo("OK");
    }

    @Test
    void refusesUnknownTasks() throws Exception {
        var malformed = call("GET", "/nodes/pve1/tasks/not-a-upid/status");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(String.valueOf(malformed.errors().get("upid"))).startsWith("unable to parse worker upid");
        var unknown = call("GET", "/nodes/pve1/tasks/" + enc("UPID:pve1:00000001:00000002:00000003:qmstart:100:root@pam:")
                + "/status");
        assertThat(unknown.errors()).containsEntry("upid", "no such task\n");
    }

    @Test
    void usersSeeOnlyTheirOwnTasksWithoutSysAudit() throws Exception {
        String upid = (String) ok("POST", "/nodes/pve2/qemu/102/status/start");
        sim.addUser("dev@pve", "dev-password");
        Map<String, String> dev = client.login("dev@pve", "dev-password");
        var denied = as(dev, "GET", "/nodes/pve2/tasks/" + enc(upid) + "/status");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(message(denied)).isEqualTo("Permission check failed (/nodes/pve2, Sys.Audit)");
        var tasks = as(dev, "GET", "/nodes/pve2/tasks", "source", "all");
        assertThat((List<?>) tasks.data()).isEmpty();
    }

    static String enc(String upid) {
        return URLEncoder.encode(upid, StandardCharsets.UTF_8);
    }
}
