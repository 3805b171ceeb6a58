package io.pvemcp.runtime;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code proxmox-mcp serve}: runs the MCP server in the foreground. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = {
    "Runs the MCP server in the foreground until Ctrl+C (or SIGTERM).",
    "With --demo it also starts a simulated Proxmox VE cluster and connects to it: nothing else is needed."})
final class ServeCommand implements Callable<Integer> {

    static final String HTTP_PID = "org.apache.felix.http";
    static final String PORT = "org.osgi.service.http.port";
    static final String HOST = "org.apache.felix.http.host";

    @Option(names = "--demo", description = "Start the built-in Proxmox VE simulator and use it.")
    boolean demo;

    @Option(names = "--port", paramLabel = "PORT", description = "MCP HTTP port (default 8000, or MCP_PORT).")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default 127.0.0.1, or MCP_HOST).")
    String host;

    @Option(names = "--sim-port", paramLabel = "PORT",
            description = "Port of the demo's simulated Proxmox VE (default 8006, or a free port if 8006 is taken).")
    Integer simPort;

    @Option(names = "--no-auth", description = {"Serve without authentication (or MCP_AUTH=off): only when listening "
        + "on loopback, for a client on this machine."})
    boolean noAuth;

    @Option(names = "--shell", description = "Open the Apache Felix shell on this terminal (lb, stop, start, ...).")
    boolean shell;

    @Option(names = "--data", paramLabel = "DIR", description = "State folder (default: data/ in the distribution, or PVEMCP_DATA).")
    Path data;

    @Option(names = {"-v", "--verbose"}, description = "Log debug messages.")
    boolean verbose;

    private final PrintStream out;

    ServeCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Path home = Home.locate();
        Path dataDir = Home.data(home, data);
        Logger log = LoggerFactory.getLogger(ServeCommand.class);
        List<String> extra = new ArrayList<>();
        if (demo) {
            extra.add("sim");
        }
        if (shell) {
            extra.add("shell");
        }
        Map<String, Object> runtime = SecuritySetup.read(home).asMap().getOrDefault(Features.PID, Map.of());
        List<Feature> features;
        try {
            features = Features.select(home, runtime, extra);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return 2;
        }

        Configurations config = Configurations.forRuntime(home, features);
        Map<String, Object> tls = config.asMap().remove(SecuritySetup.TLS_PID);
        Map<String, Object> http = config.pid(HTTP_PID);
        if (port != null) {
            http.put(PORT, Integer.toString(port));
        }
        if (host != null) {
            http.put(HOST, host);
        }
        http.putIfAbsent(PORT, "8000");
        http.putIfAbsent(HOST, "127.0.0.1");
        String listenHost = String.valueOf(http.get(HOST));
        int listenPort;
        try {
            listenPort = Integer.parseInt(String.valueOf(http.get(PORT)).strip());
        } catch (NumberFormatException e) {
            out.println("The MCP port '" + http.get(PORT) + "' is not a number. Set --port or MCP_PORT to e.g. 8000.");
            return 1;
        }
        if (!Ports.isFree(listenHost, listenPort)) {
            out.println("Port " + listenPort + " on " + listenHost + " is already in use. Stop the program that uses "
                    + "it (is another proxmox-mcp running?) or choose another port with --port or MCP_PORT.");
            return 1;
        }
        String resource = SecuritySetup.resource(config, SecuritySetup.tls(tls), listenHost, listenPort);
        if (config.asMap().getOrDefault(SecuritySetup.PID, Map.of()).get("resource") != null) {
            allowPublicHost(config, resource);
        }
        String authSetting = String.valueOf(System.getenv("MCP_AUTH")).strip();
        boolean authOff = noAuth || "off".equalsIgnoreCase(authSetting) || "false".equalsIgnoreCase(authSetting);
        if (authOff) {
            if (!isLoopback(listenHost)) {
                out.println("Authentication can only be switched off when the server listens on loopback (127.0.0.1 or "
                        + "::1), not on " + listenHost + ". Keep it on and give clients a token (proxmox-mcp token create).");
                return 2;
            }
            config.pid(SecuritySetup.PID).put("enabled", "false");
        }
        io.pvemcp.security.store.SecureFiles.privateDirectory(dataDir);
        try {
            SecuritySetup.configure(config, dataDir, resource);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return 2;
        }
        Map<String, String> https;
        try {
            https = Tls.frameworkProperties(tls == null ? Map.of() : tls, dataDir, listenPort);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return 2;
        }
        int sim = 0;
        if (demo) {
            sim = simPort != null ? simPort : Ports.isFree("127.0.0.1", 8006) ? 8006 : Ports.anyFree();
            if (simPort != null && !Ports.isFree("127.0.0.1", sim)) {
                out.println("Port " + sim + " for the simulated Proxmox VE is already in use; choose another with --sim-port.");
                return 1;
            }
            if (!config.appliedVariables().stream().filter(v -> v.startsWith("PROXMOX_")).toList().isEmpty()) {
                log.warn("Demo mode connects to its simulator and ignores the PROXMOX_* settings.");
            }
            demoConfiguration(config, dataDir, sim);
        }
        if (!config.appliedVariables().isEmpty()) {
            log.info("Settings from the environment: {}", String.join(", ", config.appliedVariables()));
        }

        // The HTTP service reads these as framework properties when it starts. Given to Configuration Admin as
        // well, they would make it restart Jetty a moment later, and a client connecting in between would hang.
        Map<String, String> frameworkProperties = new LinkedHashMap<>();
        config.asMap().remove(HTTP_PID).forEach((k, v) -> frameworkProperties.put(k, String.valueOf(v)));
        frameworkProperties.put(PORT, Integer.toString(listenPort));
        frameworkProperties.put(HOST, listenHost);
        frameworkProperties.putAll(https);
        // configurations (with Proxmox credentials) stay in memory: the launcher gives them again at every start
        frameworkProperties.put("felix.cm.pm", "memory");
        try {
            frameworkProperties.putAll(Deployment.frameworkProperties(home, runtime));
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return 2;
        }
        config.pid("io.pvemcp.registry").putIfAbsent("state.dir", dataDir.resolve("registry").toString());
        config.pid(Deployment.CONSOLE_PID).putIfAbsent("data.dir", dataDir.resolve("console").toString());
        String demoToken = null;
        if (demo && !authOff) {
            // unique also among servers that share a state database and start in the same second
            demoToken = SecuritySetup.tokens(config, dataDir, resource).issueJwt("demo-" + System.currentTimeMillis() / 1000
                    + "-" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(0x1000, 0x10000)),
                    "demo", java.util.Set.of(io.pvemcp.api.Scopes.ADMIN), Duration.ofHours(24),
                    io.pvemcp.api.Limits.NONE).token();
        }
        Secrets secrets = Secrets.extract(config.asMap());
        long start = System.nanoTime();
        Launcher launcher = Launcher.start("serve", home, dataDir, features, config.asMap(), frameworkProperties,
                secrets::register);
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::close, "proxmox-mcp-shutdown"));

        List<String> missing = new ArrayList<>();
        if (launcher.awaitService("org.osgi.service.servlet.runtime.HttpServiceRuntime", Duration.ofSeconds(20)) == null
                || !Ports.accepts(connectHost(listenHost), listenPort)) {
            missing.add("the HTTP server did not start on " + listenHost + ":" + listenPort);
        }
        if (launcher.awaitService("io.pvemcp.registry.ToolRegistry", Duration.ofSeconds(20)) == null) {
            missing.add("the MCP registry did not start");
        }
        String simUrl = null;
        String simulated = null;
        if (demo) {
            ServiceReference<?> s = launcher.awaitService("io.pvemcp.pve.sim.Simulator", Duration.ofSeconds(20));
            if (s == null) {
                missing.add("the Proxmox VE simulator did not start");
            } else {
                simUrl = String.valueOf(s.getProperty("pvemcp.sim.url"));
                simulated = Banner.simulated(s.getProperty("pvemcp.sim.cluster"), s.getProperty("pvemcp.sim.nodes"),
                        s.getProperty("pvemcp.sim.guests"));
            }
        }
        if (!missing.isEmpty()) {
            out.println("Proxmox MCP Server could not start: " + String.join("; ", missing) + ". The log above says why.");
            launcher.close();
            return 1;
        }
        log.info("Proxmox MCP Server {} started in {} ms", Home.version(), (System.nanoTime() - start) / 1_000_000);
        boolean console = features.stream().anyMatch(f -> f.id().contains(":proxmox-mcp-console:"));
        boolean deploy = features.stream().anyMatch(f -> f.id().contains(":proxmox-mcp-deploy:"));
        out.print(Banner.serve(Home.version(), resource, listenHost, simUrl, simulated, authOff, demoToken, console,
                deploy ? Deployment.deployDir(home, runtime) : null));
        out.flush();
        launcher.awaitStop();
        return 0;
    }

    /** Points the Proxmox client at the simulator, which gets a fresh API token for it. */
    static void demoConfiguration(Configurations config, Path data, int simPort) {
        String secret = UUID.randomUUID().toString();
        Map<String, Object> sim = config.pid("io.pvemcp.pve.sim");
        sim.put("host", "127.0.0.1");
        sim.put("port", Integer.toString(simPort));
        sim.put("data.dir", data.resolve("sim").toString());
        sim.putIfAbsent("cluster.name", "demo");
        sim.put("token.id", "root@pam!mcp");
        sim.put("token.secret", secret);
        Map<String, Object> client = config.pid("io.pvemcp.pve.client");
        client.clear();
        client.put("host", "127.0.0.1");
        client.put("port", Integer.toString(simPort));
        client.put("token.id", "root@pam!mcp");
        client.put("token.secret", secret);
        client.put("ca.file", data.resolve("sim").resolve("pve-root-ca.pem").toString());
    }

    /**
     * The configured public URL's host is a name of this server: a server behind a proxy or in a container (listening
     * on all interfaces) checks Host and Origin against it without an allowed.hosts setting of its own (a server on all
     * interfaces that knows none of its names cannot check them).
     */
    static void allowPublicHost(Configurations config, String resource) {
        String host = java.net.URI.create(resource).getHost();
        if (host == null || host.equals("0.0.0.0") || host.equals("[::]")) {
            return;
        }
        host = host.toLowerCase(java.util.Locale.ROOT);
        Map<String, Object> http = config.pid("io.pvemcp.http");
        Object current = http.get("allowed.hosts");
        String list = current == null ? "" : current instanceof String[] a ? String.join(",", a) : String.valueOf(current);
        for (String h : list.split(",")) {
            if (h.strip().equalsIgnoreCase(host)) {
                return;
            }
        }
        http.put("allowed.hosts", list.isBlank() ? host : list + "," + host);
    }

    static boolean isLoopback(String host) {
        String h = host.strip();
        return h.equals("127.0.0.1") || h.equals("localhost") || h.equals("::1") || h.equals("[::1]")
                || h.startsWith("127.");
    }

    static String connectHost(String listenHost) {
        return listenHost.equals("0.0.0.0") || listenHost.equals("::") || listenHost.isBlank() ? "127.0.0.1" : listenHost;
    }
}
