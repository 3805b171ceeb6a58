package io.pvemcp.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution's simulated Proxmox VE ({@code proxmox-mcp sim}) as a process of its own on a free port, ready once
 * it printed its banner: the API token and the CA certificate that clients of it use.
 */
record SimProcess(Process process, int port, String tokenId, String tokenSecret, String caFile) implements AutoCloseable {

    static SimProcess start(Path data, int nodes, int guests) throws Exception {
        int port = ServerProcess.freePort();
        ProcessBuilder pb = new ProcessBuilder(ServerProcess.DIST.resolve("bin/proxmox-mcp").toString(), "sim",
                "--port", Integer.toString(port), "--data", data.toString(), "--nodes", Integer.toString(nodes),
                "--guests", Integer.toString(guests)).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PROXMOX_") || k.startsWith("MCP_"));
        Process sim = pb.start();
        StringBuilder out = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        var in = sim.getInputStream();
        while (!out.toString().contains("Press Ctrl+C") && System.nanoTime() < deadline && sim.isAlive()) {
            if (in.available() > 0) {
                out.append(new String(in.readNBytes(in.available()), StandardCharsets.UTF_8));
            } else {
                Thread.sleep(20);
            }
        }
        Matcher token = Pattern.compile("API token\\s+(\\S+)=(\\S+)").matcher(out);
        Matcher ca = Pattern.compile("CA certificate\\s+(\\S+)").matcher(out);
        if (!(token.find() && ca.find())) {
            sim.destroyForcibly();
            throw new AssertionError("the simulator did not start: " + out);
        }
        return new SimProcess(sim, port, token.group(1), token.group(2), ca.group(1));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
    }
}
