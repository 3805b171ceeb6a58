package io.pvemcp.runtime;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.osgi.framework.ServiceReference;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code proxmox-mcp sim}: runs the Proxmox VE simulator alone, for trying other clients or tool bundles. */
@Command(name = "sim", mixinStandardHelpOptions = true, description = {
    "Runs the simulated Proxmox VE 9.1 cluster alone, in the foreground, and prints how to log in.",
    "Use it to try Proxmox clients (proxmoxer, curl, your own tool bundle) without a real cluster."})
final class SimCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", description = "HTTPS port (default 8006).")
    int port = 8006;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default 127.0.0.1).")
    String host = "127.0.0.1";

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Password of root@pam (default: random).")
    String password;

    @Option(names = "--data", paramLabel = "DIR", description = "State folder (default: data/ in the distribution).")
    Path data;

    @Option(names = "--fixture", paramLabel = "FILE", description = "A JSON file describing the cluster "
            + "(default: the demo cluster; see docs/simulator.md).")
    Path fixture;

    @Option(names = "--nodes", paramLabel = "N", description = "Generate a large cluster with N nodes instead "
            + "(with --guests).")
    Integer nodes;

    @Option(names = "--guests", paramLabel = "N", description = "Guests of the generated cluster (default 100 per node).")
    Integer guests;

    @Option(names = "--task-time-scale", paramLabel = "X", description = "Task durations relative to a real node: "
            + "0 ends tasks at once, 1 (default) takes seconds.")
    double taskTimeScale = 1.0;

    @Option(names = "--latency", paramLabel = "MS", description = "Extra milliseconds every request takes.")
    long latency;

    @Option(names = "--offline", paramLabel = "NODE", split = ",", description = "Nodes that start unreachable "
            + "(HTTP 595); repeat or separate with commas.")
    List<String> offline = List.of();

    @Option(names = {"-v", "--verbose"}, description = "Log debug messages.")
    boolean verbose;

    private final PrintStream out;

    SimCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Path home = Home.locate();
        Path dataDir = Home.data(home, data);
        if (fixture != null && !java.nio.file.Files.isReadable(fixture)) {
            out.println("The fixture " + fixture + " cannot be read.");
            return 2;
        }
        if (nodes != null && (nodes < 1 || nodes > 1000)) {
            out.println("--nodes must be between 1 and 1000.");
            return 2;
        }
        if (guests != null && (guests < 0 || nodes == null)) {
            out.println(nodes == null ? "--guests needs --nodes." : "--guests must be 0 or more.");
            return 2;
        }
        if (taskTimeScale < 0 || latency < 0) {
            out.println("--task-time-scale and --latency must be 0 or more.");
            return 2;
        }
        if (!Ports.isFree(host, port)) {
            out.println("Port " + port + " on " + host + " is already in use; choose another with --port.");
            return 1;
        }
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        String rootPassword = password != null ? password : HexFormat.of().formatHex(random);
        String secret = UUID.randomUUID().toString();
        List<Feature> features = Features.load(home, List.of("base", "sim"));
        Configurations config = new Configurations();
        features.forEach(config::addFeature);
        Map<String, Object> sim = config.pid("io.pvemcp.pve.sim");
        sim.put("host", host);
        sim.put("port", Integer.toString(port));
        sim.put("data.dir", dataDir.resolve("sim").toString());
        sim.put("root.password", rootPassword);
        sim.put("token.id", "root@pam!sim");
        sim.put("token.secret", secret);
        sim.put("task.time.scale", Double.toString(taskTimeScale));
        sim.put("latency.ms", Long.toString(latency));
        if (!offline.isEmpty()) {
            sim.put("offline.nodes", String.join(",", offline));
        }
        if (fixture != null) {
            sim.put("fixture", fixture.toAbsolutePath().toString());
        } else if (nodes != null) {
            sim.put("generated.nodes", Integer.toString(nodes));
            sim.put("generated.guests", Integer.toString(guests != null ? guests : nodes * 100));
        }
        Launcher launcher = Launcher.start("sim", home, dataDir, features, config.asMap(), Map.of());
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::close, "proxmox-mcp-shutdown"));
        ServiceReference<?> ref = launcher.awaitService("io.pvemcp.pve.sim.Simulator", Duration.ofSeconds(20));
        if (ref == null) {
            out.println("The Proxmox VE simulator could not start; the log above says why.");
            launcher.close();
            return 1;
        }
        String url = String.valueOf(ref.getProperty("pvemcp.sim.url"));
        Object ca = ref.getProperty("pvemcp.sim.ca.file");
        out.println();
        out.println(Character.toUpperCase('s') + Banner.simulated(ref.getProperty("pvemcp.sim.cluster"),
                ref.getProperty("pvemcp.sim.nodes"), ref.getProperty("pvemcp.sim.guests")).substring(1));
        out.println();
        out.println("  API            " + url + "/api2/json");
        out.println("  User           root@pam, password " + rootPassword);
        out.println("  API token      root@pam!sim=" + secret);
        out.println("  CA certificate " + ca);
        out.println("  Fingerprint    " + ref.getProperty("pvemcp.sim.fingerprint"));
        out.println("  Fault control  " + url + "/simulator (root@pam; see docs/simulator.md)");
        out.println();
        out.println("Try it:");
        out.println("  curl --cacert " + ca + " -H 'Authorization: PVEAPIToken=root@pam!sim=" + secret + "' "
                + url + "/api2/json/version");
        out.println("  python3 -c \"from proxmoxer import ProxmoxAPI; p = ProxmoxAPI('" + host + "', port=" + port
                + ", user='root@pam', token_name='sim', token_value='" + secret + "', verify_ssl='" + ca
                + "'); print(p.version.get())\"");
        out.println();
        out.println("This is a simulator: its credentials are for local testing only. Press Ctrl+C to stop.");
        out.flush();
        launcher.awaitStop();
        return 0;
    }
}
