package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimulatorHttpTest {

    static final String TOKEN = "root@pam!test";
    static final String SECRET = "5f0c6b1e-2a8e-4d27-9a51-6c1f2b3d4e5f";
    static Simulator sim;
    static SimClient client;
    static Map<String, String> root;

    @BeforeAll
    static void start() throws Exception {
        sim = Simulator.builder().port(0).rootPassword("demo-password").apiToken(TOKEN, SECRET)
                .authFailureDelay(Duration.ZERO).start();
        client = new SimClient(sim);
        root = SimClient.token(TOKEN, SECRET);
        sim.addUser("alice@pve", "alice-password");
        sim.addAcl("/vms/100", "alice@pve", "PVEAuditor", true);
        sim.addToken("alice@pve!narrow", "narrow-secret", true);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void refusesRequestsWithoutCredentials() throws Exception {
        var a = client.get("/version", Map.of(), Map.of());
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.body()).containsEntry("message", "No ticket\n").containsEntry("data", null);
    }

    @Test
    void putsTheMessageInTheReasonPhraseAndClosesTheConnectionAfterAnError() throws Exception {
        String answer = client.raw("GET /api2/json/version HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 401 No ticket\r\n").contains("Connection: close\r\n")
                .contains("Server: pve-api-daemon/3.0\r\n");
    }

    @Test
    void keepsTheConnectionOpenAfterSuccess() throws Exception {
        String answer = client.raw("GET /api2/json/version HTTP/1.1\r\nHost: localhost\r\nAuthorization: PVEAPIToken="
                + TOKEN + "=" + SECRET + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: Keep-Alive\r\n")
                .contains("\"version\":\"9.1.1\"");
    }

    @Test
    void refusesChunkedBodiesAndBodiesOnGet() throws Exception {
        assertThat(client.raw("POST /api2/json/access/ticket HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
                .startsWith("HTTP/1.1 501 chunked transfer encoding not supported");
        assertThat(client.raw("GET /api2/json/version HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc"))
                .startsWith("HTTP/1.1 501 Unexpected content for method 'GET'");
    }

    @Test
    void gzipsLargeAnswersWhenAsked() throws Exception {
        String answer = client.raw("GET /api2/json/cluster/resources HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n"
                + "Authorization: PVEAPIToken=" + TOKEN + "=" + SECRET + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("Content-Encoding: gzip\r\n");
    }

    @Test
    void acceptsApiTokensAndRejectsWrongSecrets() throws Exception {
        var ok = client.get("/version", Map.of(), root);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.data()).isEqualTo(Map.of("version", "9.1.1", "release", "9.1", "repoid", "42e1c9a5a0c3b9de"));

        var wrong = client.get("/version", Map.of(), SimClient.token(TOKEN, "wrong"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().get("message")).isEqualTo("invalid token value!\n");

        var unknown = client.get("/version", Map.of(), SimClient.token("root@pam!nope", "x"));
        assertThat(unknown.body().get("message")).isEqualTo("no such token 'nope' for user 'root@pam'\n");
    }

    @Test
    @SuppressWarnings("unchecked")
    void logsInWithTicketsRequiresCsrfOnWritesAndRenewsTickets() throws Exception {
        var bad = client.send("POST", "/access/ticket", Map.of("username", "root@pam", "password", "nope"), Map.of());
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.body().get("message")).isEqualTo("authentication failure\n");

        var login = client.send("POST", "/access/ticket", Map.of("username", "root", "realm", "pam",
                "password", "demo-password"), Map.of());
        assertThat(login.status()).isEqualTo(200);
        Map<String, Object> data = (Map<String, Object>) login.data();
        String ticket = (String) data.get("ticket");
        String csrf = (String) data.get("CSRFPreventionToken");
        assertThat(ticket).startsWith("PVE:root@pam:");
        assertThat(data).containsEntry("username", "root@pam").containsEntry("clustername", "demo");

        Map<String, String> cookie = Map.of("Cookie", "PVEAuthCookie=" + java.net.URLEncoder.encode(ticket, "UTF-8"));
        assertThat(client.get("/nodes", Map.of(), cookie).status()).isEqualTo(200);

        var noCsrf = client.send("POST", "/nodes/pve1/qemu/100/status/start", Map.of(), cookie);
        assertThat(noCsrf.status()).isEqualTo(401);
        assertThat(noCsrf.body().get("message")).isEqualTo("Permission denied - invalid csrf token\n");

        var withCsrf = client.send("POST", "/nodes/pve1/qemu/100/status/start", Map.of(),
                Map.of("Cookie", cookie.get("Cookie"), "CSRFPreventionToken", csrf));
        assertThat(withCsrf.status()).isNotEqualTo(401);

        var renewed = client.send("POST", "/access/ticket", Map.of("username", "root@pam", "password", ticket), Map.of());
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(((Map<String, Object>) renewed.data()).get("ticket")).asString().startsWith("PVE:root@pam:");

        var forged = client.get("/nodes", Map.of(), Map.of("Cookie", "PVEAuthCookie=PVE:root@pam:00000000::Zm9yZ2Vk"));
        assertThat(forged.status()).isEqualTo(401);
    }

    @Test
    void answersUnknownMethodsWith501() throws Exception {
        var a = client.get("/nodes/pve1/nonsense", Map.of(), root);
        assertThat(a.status()).isEqualTo(501);
        assertThat(a.body().get("message")).isEqualTo("Method 'GET /nodes/pve1/nonsense' not implemented\n");
    }

    @Test
    void verifiesParametersAgainstTheContract() throws Exception {
        var a = client.get("/cluster/resources", Map.of("type", "vms", "colour", "red"), root);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().get("message")).isEqualTo("Parameter verification failed.\n");
        assertThat(a.errors())
                .containsEntry("type", "value 'vms' does not have a value in the enumeration 'vm, storage, node, sdn'\n")
                .containsEntry("colour", "property is not defined in schema and the schema does not allow additional properties\n");
    }

    @Test
    void reportsUnknownAndUnreachableNodes() throws Exception {
        var unknown = client.get("/nodes/pve9/status", Map.of(), root);
        assertThat(unknown.status()).isEqualTo(500);
        assertThat((String) unknown.body().get("message")).startsWith("hostname lookup 'pve9' failed");

        sim.setNodeOnline("pve2", false);
        try {
            var offline = client.get("/nodes/pve2/status", Map.of(), root);
            assertThat(offline.status()).isEqualTo(595);
            assertThat(offline.body().get("message")).isEqualTo("No route to host\n");
            @SuppressWarnings("unchecked")
            var nodes = (List<Map<String, Object>>) client.get("/nodes", Map.of(), root).data();
            assertThat(nodes).filteredOn(n -> n.get("node").equals("pve2")).singleElement()
                    .satisfies(n -> assertThat(n).containsEntry("status", "offline"));
        } finally {
            sim.setNodeOnline("pve2", true);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void checksPermissionsAndFiltersWhatAUserMaySee() throws Exception {
        var login = client.send("POST", "/access/ticket", Map.of("username", "alice@pve", "password", "alice-password"), Map.of());
        String ticket = (String) ((Map<String, Object>) login.data()).get("ticket");
        Map<String, String> alice = Map.of("Cookie", "PVEAuthCookie=" + ticket);

        var denied = client.get("/nodes/pve1/status", Map.of(), alice);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body().get("message")).isEqualTo("Permission check failed (/nodes/pve1, Sys.Audit)\n");

        var resources = (List<Map<String, Object>>) client.get("/cluster/resources", Map.of(), alice).data();
        assertThat(resources).extracting(r -> r.get("id")).containsExactly("qemu/100");

        var narrow = (List<Map<String, Object>>) client.get("/cluster/resources", Map.of(),
                SimClient.token("alice@pve!narrow", "narrow-secret")).data();
        assertThat(narrow).isEmpty();

        var perms = (Map<String, Object>) client.get("/access/permissions", Map.of("path", "/vms/100"), alice).data();
        assertThat((Map<String, Object>) perms.get("/vms/100")).containsKeys("VM.Audit").doesNotContainKey("VM.PowerMgmt");
    }
}
