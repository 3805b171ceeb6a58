package io.pvemcp.pve.sim.internal.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.pve.sim.internal.state.PveError;
import io.pvemcp.pve.sim.internal.state.SimGuest;
import io.pvemcp.pve.sim.internal.state.SimNode;
import io.pvemcp.pve.sim.internal.state.SimState;

/**
 * The simulator's own control API for fault injection from tests and other processes, beside the Proxmox VE
 * API at {@code /simulator} (a real node has no such path). JSON in, JSON out, {@code root@pam} only:
 *
 * <pre>
 * GET  /simulator                      the simulator's state: nodes, latency, quorum, time scale, task failures
 * PUT  /simulator/settings             {"latencyMs": 200, "taskTimeScale": 1.0, "quorumLost": true}
 * PUT  /simulator/nodes/{node}         {"online": false, "latencyMs": 1500}
 * PUT  /simulator/guests/{vmid}        {"lock": "backup"} (null unlocks), {"ignoreShutdown": true}
 * POST /simulator/task-failures        {"type": "qmstart", "id": "100", "message": "...", "count": 1}
 * DELETE /simulator/task-failures      forget every rule
 * POST /simulator/clock                {"advanceSeconds": 7300} (expires tickets older than two hours)
 * POST /simulator/tickets/expire       invalidates every ticket issued so far
 * </pre>
 */
public final class ControlApi {

    /** Where the control API lives. */
    public static final String BASE = "/simulator";

    private final SimState state;

    ControlApi(SimState state) {
        this.state = state;
    }

    /**
     * @param method the HTTP method
     * @param path the request path
     * @param body the JSON body
     * @return the answer's {@code data}
     */
    Object handle(String method, String path, Map<String, Object> body) {
        String rest = path.length() > BASE.length() ? path.substring(BASE.length() + 1) : "";
        String[] parts = rest.isEmpty() ? new String[0] : rest.split("/");
        synchronized (state) {
            String key = method + " " + (parts.length == 0 ? "" : parts[0]);
            switch (key) {
                case "GET " -> {
                    return describe();
                }
                case "PUT settings" -> {
                    if (body.containsKey("latencyMs")) {
                        state.faults().latencyMillis(number(body, "latencyMs"));
                    }
                    if (body.containsKey("taskTimeScale")) {
                        state.tasks().timeScale(((Number) require(body, "taskTimeScale")).doubleValue());
                    }
                    if (body.containsKey("quorumLost")) {
                        state.faults().quorumLost(Boolean.TRUE.equals(body.get("quorumLost")));
                    }
                    return describe();
                }
                case "PUT nodes" -> {
                    String node = part(parts, 1, "node name");
                    SimNode n = state.node(node).orElseThrow(() -> new PveError(404, "no such node '" + node + "'"));
                    if (body.containsKey("online")) {
                        state.setOnline(node, Boolean.TRUE.equals(body.get("online")));
                    }
                    if (body.containsKey("latencyMs")) {
                        state.setNodeLatency(node, number(body, "latencyMs"));
                    }
                    return Map.of("node", n.name(), "online", n.online() ? 1 : 0, "latencyMs", n.latencyMillis());
                }
                case "PUT guests" -> {
                    int vmid;
                    try {
                        vmid = Integer.parseInt(part(parts, 1, "VMID"));
                    } catch (NumberFormatException e) {
                        throw new PveError(400, "not a VMID: " + parts[1]);
                    }
                    SimGuest g = state.guest(vmid).orElseThrow(() -> new PveError(404, "no such guest " + vmid));
                    if (body.containsKey("lock")) {
                        Object lock = body.get("lock");
                        if (lock == null) {
                            g.config().remove("lock");
                        } else {
                            g.config().put("lock", String.valueOf(lock));
                        }
                    }
                    if (body.containsKey("ignoreShutdown")) {
                        g.ignoresShutdown(Boolean.TRUE.equals(body.get("ignoreShutdown")));
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("vmid", vmid);
                    m.put("lock", g.lock());
                    m.put("ignoreShutdown", g.ignoresShutdown() ? 1 : 0);
                    return m;
                }
                case "POST task-failures" -> {
                    Object message = require(body, "message");
                    int count = body.containsKey("count") ? (int) number(body, "count") : 1;
                    state.faults().failTasks((String) body.get("type"),
                            body.get("id") == null ? null : String.valueOf(body.get("id")), String.valueOf(message), count);
                    return state.faults().describeTaskFailures();
                }
                case "DELETE task-failures" -> {
                    state.faults().clearTaskFailures();
                    return List.of();
                }
                case "POST clock" -> {
                    state.clock().advance(Duration.ofSeconds(number(body, "advanceSeconds")));
                    return Map.of("time", state.clock().seconds());
                }
                case "POST tickets" -> {
                    if (parts.length < 2 || !parts[1].equals("expire")) {
                        throw new PveError(404, "no such simulator call: " + method + " " + path);
                    }
                    state.access().expireTickets();
                    return null;
                }
                default -> throw new PveError(404, "no such simulator call: " + method + " " + path
                        + " (see GET " + BASE + ")");
            }
        }
    }

    private Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", state.clusterName());
        m.put("quorate", state.quorate() ? 1 : 0);
        m.put("latencyMs", state.faults().latencyMillis());
        m.put("taskTimeScale", state.tasks().timeScale());
        m.put("time", state.clock().seconds());
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (SimNode n : state.nodes()) {
            nodes.add(Map.of("node", n.name(), "online", n.online() ? 1 : 0, "latencyMs", n.latencyMillis()));
        }
        m.put("nodes", nodes);
        m.put("guests", state.guests().size());
        m.put("taskFailures", state.faults().describeTaskFailures());
        m.put("contractViolations", state.faults().contractViolations());
        m.put("calls", List.of("PUT /simulator/settings", "PUT /simulator/nodes/{node}", "PUT /simulator/guests/{vmid}",
                "POST /simulator/task-failures", "DELETE /simulator/task-failures", "POST /simulator/clock",
                "POST /simulator/tickets/expire"));
        return m;
    }

    private static String part(String[] parts, int index, String what) {
        if (parts.length <= index || parts[index].isEmpty()) {
            throw new PveError(400, "the path needs a " + what);
        }
        return parts[index];
    }

    private static Object require(Map<String, Object> body, String key) {
        Object v = body.get(key);
        if (v == null) {
            throw new PveError(400, "'" + key + "' is missing");
        }
        return v;
    }

    private static long number(Map<String, Object> body, String key) {
        if (!(require(body, key) instanceof Number n)) {
            throw new PveError(400, "'" + key + "' must be a number");
        }
        return n.longValue();
    }
}
