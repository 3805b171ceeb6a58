package io.pvemcp.runtime;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code proxmox-mcp test-connection}: checks the configured Proxmox VE connection without starting a server. */
@Command(name = "test-connection", mixinStandardHelpOptions = true, description = {
    "Checks the configured Proxmox VE connection (conf/io.pvemcp.pve.client.cfg and PROXMOX_*), and each further "
        + "cluster (conf/io.pvemcp.pve.cluster~NAME.cfg): reachability, TLS trust, credentials; shows the version and "
        + "the nodes.",
    "Exit code 0 when every connection works, 1 when one does not (the message says what to fix)."})
final class TestConnectionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Check only this cluster.")
    String cluster;

    @Override
    public Integer call() throws Exception {
        Terminal t = new Terminal(spec.commandLine().getOut(), spec.commandLine().getErr());
        Map<String, Map<String, Object>> clusters = Clusters.configured(SecuritySetup.read(Home.locate()));
        if (cluster != null) {
            if (!clusters.containsKey(cluster)) {
                return fail(t, new LinkedHashMap<>(), "There is no cluster '" + cluster + "'; configured: "
                        + String.join(", ", clusters.keySet()) + ".");
            }
            clusters = Map.of(cluster, clusters.get(cluster));
        }
        if (clusters.size() <= 1) {
            return check(t, clusters.isEmpty() ? Map.of() : clusters.values().iterator().next());
        }
        Map<String, Object> all = new LinkedHashMap<>();
        boolean ok = true;
        for (var c : clusters.entrySet()) {
            Map<String, Object> r = new LinkedHashMap<>();
            try (Terminal.Spinner s = json ? null : t.spinner("Connecting to " + c.getKey() + " ("
                    + c.getValue().get("host") + ")")) {
                r.put("ok", true);
                r.putAll(ProxmoxSetup.check(c.getValue()));
            } catch (IOException e) {
                r.put("ok", false);
                r.put("error", e.getMessage());
                ok = false;
            }
            all.put(c.getKey(), r);
        }
        if (json) {
            t.println(McpHttpClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("ok", ok,
                    "clusters", all)));
            return ok ? 0 : 1;
        }
        List<String[]> rows = Terminal.rows("CLUSTER", "STATUS", "VERSION", "URL");
        all.forEach((name, v) -> {
            Map<?, ?> r = (Map<?, ?>) v;
            boolean good = Boolean.TRUE.equals(r.get("ok"));
            rows.add(new String[] {name, good ? t.ok("connected") : t.bad(String.valueOf(r.get("error"))),
                good ? String.valueOf(r.get("version")) : "", good ? String.valueOf(r.get("url")) : ""});
        });
        t.table(rows);
        return ok ? 0 : 1;
    }

    private int check(Terminal t, Map<String, Object> settings) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        if (settings.get("host") == null || String.valueOf(settings.get("host")).isBlank()) {
            String msg = "No Proxmox VE connection is configured. Run: proxmox-mcp init (or set PROXMOX_HOST and "
                    + "PROXMOX_TOKEN_ID / PROXMOX_TOKEN_SECRET).";
            return fail(t, report, msg);
        }
        Map<String, Object> result;
        try (Terminal.Spinner s = json ? null : t.spinner("Connecting to " + settings.get("host"))) {
            result = ProxmoxSetup.check(settings);
        } catch (IOException e) {
            return fail(t, report, e.getMessage());
        }
        if (json) {
            report.put("ok", true);
            report.putAll(result);
            t.println(McpHttpClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            return 0;
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) result.get("nodes");
        t.println(t.ok("Connected") + " to Proxmox VE " + result.get("version") + " at " + result.get("url") + ".");
        List<String[]> rows = Terminal.rows("NODE", "STATUS");
        for (Map<String, Object> n : nodes) {
            String status = String.valueOf(n.get("status"));
            rows.add(new String[] {String.valueOf(n.get("node")), "online".equals(status) ? t.ok(status) : t.bad(status)});
        }
        t.table(rows);
        return 0;
    }

    private int fail(Terminal t, Map<String, Object> report, String message) throws IOException {
        if (json) {
            report.put("ok", false);
            report.put("error", message);
            t.println(McpHttpClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            t.error(t.bad("Cannot use the Proxmox VE connection: ") + message);
        }
        return 1;
    }
}
