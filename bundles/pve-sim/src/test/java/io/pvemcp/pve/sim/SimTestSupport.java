package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh demo cluster per test, with a root token, and helpers to call it and follow tasks. */
abstract class SimTestSupport {

    static final String TOKEN = "root@pam!test";
    static final String SECRET = "0d9b4a2e-7c31-4f58-a6e2-19b3c5d7e8f0";

    Simulator sim;
    SimClient client;
    Map<String, String> root;

    /** @return the simulator settings of the test class; instant tasks by default */
    Simulator.Builder configure(Simulator.Builder b) {
        return b;
    }

    @BeforeEach
    void startSimulator() throws Exception {
        sim = configure(Simulator.builder().port(0).rootPassword("root-password").apiToken(TOKEN, SECRET)
                .authFailureDelay(Duration.ZERO)).start();
        client = new SimClient(sim);
        root = SimClient.token(TOKEN, SECRET);
    }

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    SimClient.Answer call(String method, String path, String... params) throws Exception {
        return as(root, method, path, params);
    }

    SimClient.Answer as(Map<String, String> auth, String method, String path, String... params) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i + 1 < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        return client.send(method, path, p, auth);
    }

    /** Calls a method that must succeed and returns its data. */
    Object ok(String method, String path, String... params) throws Exception {
        SimClient.Answer a = call(method, path, params);
        assertThat(a.status()).as("%s %s: %s", method, path, a.body()).isEqualTo(200);
        return a.data();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String path, String... params) throws Exception {
        return (Map<String, Object>) ok("GET", path, params);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(String path, String... params) throws Exception {
        return (List<Map<String, Object>>) ok("GET", path, params);
    }

    /** Starts a task with a call that must succeed, waits for it and returns its exit status. */
    String run(String method, String path, String... params) throws Exception {
        Object upid = ok(method, path, params);
        assertThat(upid).as("%s %s returns a UPID", method, path).asString().startsWith("UPID:");
        return waitTask((String) upid);
    }

    /** Waits until a task has stopped and returns its exit status. */
    @SuppressWarnings("unchecked")
    String waitTask(String upid) throws Exception {
        String node = upid.split(":")[1];
        String path = "/nodes/" + node + "/tasks/" + URLEncoder.encode(upid, StandardCharsets.UTF_8) + "/status";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Map<String, Object> status = (Map<String, Object>) ok("GET", path);
            if ("stopped".equals(status.get("status"))) {
                return String.valueOf(status.get("exitstatus"));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("task did not end within 60 s: " + upid);
            }
            Thread.sleep(20);
        }
    }

    @SuppressWarnings("unchecked")
    List<String> taskLog(String upid) throws Exception {
        String node = upid.split(":")[1];
        List<Map<String, Object>> lines = (List<Map<String, Object>>) ok("GET", "/nodes/" + node + "/tasks/"
                + URLEncoder.encode(upid, StandardCharsets.UTF_8) + "/log", "limit", "0");
        return lines.stream().map(l -> String.valueOf(l.get("t"))).toList();
    }

    static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    static String message(SimClient.Answer a) {
        return String.valueOf(a.body().get("message")).strip();
    }
}
