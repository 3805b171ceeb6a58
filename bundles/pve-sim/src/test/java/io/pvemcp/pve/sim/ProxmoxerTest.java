package io.pvemcp.pve.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Proxmox client {@code proxmoxer} (Debian package {@code python3-proxmoxer}) against the simulator:
 * password and token login, a VM's lifecycle with tasks followed to the end, a refused limited token and a refused
 * parameter. Tasks take a fifth of a real node's time, so the script really waits for them.
 */
class ProxmoxerTest {

    @Test
    void proxmoxerDrivesTheSimulatorLikeANode(@TempDir Path data) throws Exception {
        String python = pythonWithProxmoxer();
        Path script = Path.of("src/test/python/proxmoxer_check.py").toAbsolutePath();
        try (Simulator sim = Simulator.builder().port(0).dataDirectory(data).rootPassword("proxmoxer-root")
                .apiToken("root@pam!px", "b1d6e2f0-5c3a-4e8b-9a7d-2f4c6e8a0b1c").taskTimeScale(0.2)
                .authFailureDelay(Duration.ZERO).start()) {
            Process p = new ProcessBuilder(python, script.toString(), "127.0.0.1", Integer.toString(sim.port()),
                    sim.caFile().orElseThrow().toString(), "proxmoxer-root", "px",
                    "b1d6e2f0-5c3a-4e8b-9a7d-2f4c6e8a0b1c", "auditor@pve!monitoring",
                    "5e2c1b8a-7f14-4d0e-9b3a-6c9f2e1d4a70").redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            System.out.print(output);
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).contains("OK   password login", "OK   token login and node list",
                    "OK   start and wait for the task", "OK   a limited token is refused",
                    "OK   a bad parameter is refused", "OK   rollback restores the snapshot's configuration",
                    "OK   download an ISO by URL with its checksum", "OK   a wrong checksum fails the download",
                    "OK   delete a volume", "OK   download a template from the appliance index",
                    "OK   backup jobs and the guests none covers", "OK   a backup and the configuration it holds",
                    "OK   a port another bridge uses is refused", "OK   a staged bridge is listed, and gone after a revert",
                    "OK   apply reloads the network in a task", "OK   SDN zones and VNets are listed",
                    "OK   replication jobs and the state their source node reports", "OK   Ceph health, OSDs and pools",
                    "OK   HA rules: created, read, a one-guest resource affinity refused, deleted",
                    "OK   the cluster log, newest first",
                    "OK   firewall: an IP set, a security group rule, a rule moved before the one at moveto",
                    "all proxmoxer checks passed");
        }
    }

    /** Debian's python3 has the python3-proxmoxer package; another python3 on the PATH may not. */
    static String pythonWithProxmoxer() throws Exception {
        List<String> tried = new ArrayList<>();
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            if (candidate.startsWith("/") && !Files.isExecutable(Path.of(candidate))) {
                continue;
            }
            tried.add(candidate);
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import proxmoxer, requests")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (java.io.IOException e) {
                // not there; try the next
            }
        }
        throw new AssertionError("No Python with proxmoxer found (tried " + tried + "). Install it: "
                + "apt-get install python3-proxmoxer python3-requests (.ci/run does this).");
    }
}
