package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FaultInjectionTest extends SimTestSupport {

    @Test
    void anOfflineNodeAnswers595AndItsGuestsBecomeUnknown() throws Exception {
        sim.setNodeOnline("pve3", false);
        var status = call("GET", "/nodes/pve3/status");
        assertThat(status.status()).isEqualTo(595);
        assertThat(message(status)).isEqualTo("No route to host");
        assertThat(list("/cluster/resources", "type", "vm")).filteredOn(r -> "pve3".equals(r.get("node")))
                .isNotEmpty().allSatisfy(r -> assertThat(r).containsEntry("status", "unknown"));
        assertThat(list("/nodes")).filteredOn(n -> "pve3".equals(n.get("node"))).singleElement()
                .satisfies(n -> assertThat(n).containsEntry("status", "offline"));
        assertThat(list("/cluster/status").get(0)).containsEntry("quorate", 1);
    }

    @Test
    void withoutQuorumWritesFail() throws Exception {
        sim.setNodeOnline("pve2", false);
        sim.setNodeOnline("pve3", false);
        assertThat(list("/cluster/status").get(0)).containsEntry("quorate", 0);
        var write = call("POST", "/nodes/pve1/qemu/100/snapshot", "snapname", "xx");
        assertThat(write.status()).isEqualTo(500);
        assertThat(message(write)).isEqualTo("cluster not ready - no quorum?");
        assertThat(call("POST", "/nodes/pve1/qemu/100/status/stop").status()).isEqualTo(200);
        sim.setNodeOnline("pve2", true);
        sim.setQuorumLost(true);
        assertThat(message(call("PUT", "/nodes/pve1/qemu/100/config", "name", "x"))).isEqualTo("cluster not ready - no quorum?");
    }

    @Test
    void slowAnswersTakeAtLeastTheInjectedLatency() throws Exception {
        sim.setNodeLatency("pve2", Duration.ofMillis(400));
        long start = System.nanoTime();
        assertThat(call("GET", "/nodes/pve2/status").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        sim.setLatency(Duration.ofMillis(300));
        start = System.nanoTime();
        assertThat(call("GET", "/version").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void ticketsExpireAfterTwoHoursAndRenewBefore() throws Exception {
        Map<String, String> rootUser = client.login("root@pam", "root-password");
        sim.advanceClock(Duration.ofMinutes(100));
        String ticket = rootUser.get("Cookie").substring("PVEAuthCookie=".length());
        var renewed = client.send("POST", "/access/ticket", Map.of("username", "root@pam", "password",
                java.net.URLDecoder.decode(ticket, java.nio.charset.StandardCharsets.UTF_8)), Map.of());
        assertThat(renewed.status()).isEqualTo(200);
        sim.advanceClock(Duration.ofMinutes(30));
        var expired = as(rootUser, "GET", "/version");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(message(expired)).isEqualTo("permission denied - invalid PVE ticket");
        Map<String, String> fresh = client.login("root@pam", "root-password");
        assertThat(as(fresh, "GET", "/version").status()).isEqualTo(200);
        sim.expireTickets();
        assertThat(as(fresh, "GET", "/version").status()).isEqualTo(401);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theControlApiInjectsFaultsFromOtherProcesses() throws Exception {
        HttpResponse<String> offline = control("PUT", "/simulator/nodes/pve2", "{\"online\": false}", root);
        assertThat(offline.statusCode()).isEqualTo(200);
        assertThat(call("GET", "/nodes/pve2/status").status()).isEqualTo(595);
        assertThat(control("PUT", "/simulator/guests/102", "{\"lock\": \"backup\"}", root).statusCode()).isEqualTo(200);
        control("PUT", "/simulator/nodes/pve2", "{\"online\": true}", root);
        assertThat(run("POST", "/nodes/pve2/qemu/102/status/start")).isEqualTo("VM is locked (backup)");
        control("PUT", "/simulator/guests/102", "{\"lock\": null}", root);
        control("POST", "/simulator/task-failures", "{\"type\": \"qmstart\", \"message\": \"boom\"}", root);
        assertThat(run("POST", "/nodes/pve2/qemu/102/status/start")).isEqualTo("boom");
        HttpResponse<String> state = control("GET", "/simulator", null, root);
        Map<String, Object> data = (Map<String, Object>) SimClient.JSON.readValue(state.body(), Map.class).get("data");
        assertThat((List<?>) data.get("nodes")).hasSize(3);
        assertThat((List<?>) data.get("taskFailures")).isEmpty();
        var auditor = control("PUT", "/simulator/settings", "{\"quorumLost\": true}",
                SimClient.token("auditor@pve!monitoring", "5e2c1b8a-7f14-4d0e-9b3a-6c9f2e1d4a70"));
        assertThat(auditor.statusCode()).isEqualTo(403);
        assertThat(control("PUT", "/simulator/settings", "{\"quorumLost\": true}", Map.of()).statusCode()).isEqualTo(401);
        assertThat(control("POST", "/simulator/nope", "{}", root).statusCode()).isEqualTo(404);
        assertThat(control("PUT", "/simulator/settings", "{not json", root).statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> control(String method, String path, String body, Map<String, String> auth)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path));
        auth.forEach(b::header);
        b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
