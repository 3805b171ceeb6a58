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
    "Checks the configured Proxmox VE connection (conf/io.pvemcp.pve.client.cfg and PROXMOX_*): reachability, TLS "
        + "trust, credentials; shows the version and the nodes.",
    "Exit code 0 when the connection works, 1 when it does not (the message says what to fix)."})
final class TestConnectionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Terminal t = new Terminal(spec.commandLine().getOut(), spec.commandLine().getErr());
        Map<String, Object> settings = SecuritySetup.read(Home.locate()).asMap().getOrDefault(ProxmoxSetup.PID, Map.of());
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
