package io.pvemcp.runtime;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code proxmox-mcp stdio}: the server for one client that launches it as a command (Claude Desktop's
 * {@code command}/{@code args}), speaking MCP on standard input and output. The same features, tools, hot
 * deployment and audit as {@code serve}, without the HTTP endpoint and the console (Jetty runs but opens no port); logs
 * go to standard error only.
 */
@Command(name = "stdio", mixinStandardHelpOptions = true, description = {
    "Speaks MCP on standard input and output, for clients that launch the server as a command.",
    "Standard output carries nothing but MCP messages; logs go to standard error. Stops when the client closes "
        + "standard input.",
    "With --demo it starts the simulated Proxmox VE cluster and uses it."})
final class StdioCommand implements Callable<Integer> {

    static final String PID = "io.pvemcp.stdio";

    @Option(names = "--demo", description = "Start the built-in Proxmox VE simulator and use it.")
    boolean demo;

    @Option(names = "--sim-port", paramLabel = "PORT",
            description = "Port of the demo's simulated Proxmox VE (default: a free port).")
    Integer simPort;

    @Option(names = "--data", paramLabel = "DIR", description = "State folder (default: data/ in the distribution, or PVEMCP_DATA).")
    Path data;

    @Option(names = {"-v", "--verbose"}, description = "Log debug messages (to standard error).")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        // standard output belongs to the protocol from here on: anything else printed goes to standard error
        OutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        InputStream protocolIn = new FileInputStream(FileDescriptor.in);
        PrintStream err = System.err;
        System.setOut(err);
        Logger log = LoggerFactory.getLogger(StdioCommand.class);

        Path home = Home.locate();
        Path dataDir = Home.data(home, data);
        Map<String, Object> runtime = SecuritySetup.read(home).asMap().getOrDefault(Features.PID, Map.of());
        List<Feature> features;
        try {
            features = Features.select(home, runtime, demo ? List.of("stdio", "sim") : List.of("stdio"),
                    List.of("console", "io.pvemcp:http"));
            // no port for Jetty to open here: it is installed, for plugins that also register servlets, not started
            features = Features.installOnly(features, List.of("org.apache.felix:org.apache.felix.http.jetty12",
                    "commons-fileupload:commons-fileupload", "commons-io:commons-io"));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        Configurations config = Configurations.forRuntime(home, features);
        config.asMap().remove(SecuritySetup.TLS_PID);
        config.asMap().remove(ServeCommand.HTTP_PID);
        config.pid(PID);
        io.pvemcp.security.store.SecureFiles.privateDirectory(dataDir);
        try {
            SecuritySetup.configure(config, dataDir, SecuritySetup.resource(config, false, null, null));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (demo) {
            int sim = simPort != null ? simPort : Ports.anyFree();
            if (!Ports.isFree("127.0.0.1", sim)) {
                err.println("Port " + sim + " for the simulated Proxmox VE is already in use; choose another with --sim-port.");
                return 1;
            }
            ServeCommand.demoConfiguration(config, dataDir, sim);
        }
        config.pid("io.pvemcp.registry").putIfAbsent("state.dir", dataDir.resolve("registry").toString());

        Map<String, String> frameworkProperties = new LinkedHashMap<>();
        frameworkProperties.put("felix.cm.pm", "memory");
        frameworkProperties.put("org.apache.felix.http.enable", "false");
        frameworkProperties.put("org.apache.felix.https.enable", "false");
        try {
            frameworkProperties.putAll(Deployment.frameworkProperties(home, runtime));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        Secrets secrets = Secrets.extract(config.asMap());
        long start = System.nanoTime();
        Launcher launcher = Launcher.start("stdio", home, dataDir, features, config.asMap(), frameworkProperties, ctx -> {
            secrets.register(ctx);
            ctx.registerService(InputStream.class, protocolIn, new Hashtable<>(Map.of("pvemcp.stdio", "in")));
            ctx.registerService(OutputStream.class, protocolOut, new Hashtable<>(Map.of("pvemcp.stdio", "out")));
        });
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::close, "proxmox-mcp-shutdown"));
        if (launcher.stopping()) {
            // the client ended its session while the tools started
            launcher.awaitStop();
            return 0;
        }
        List<String> missing = new ArrayList<>();
        if (launcher.awaitService("io.pvemcp.registry.ToolRegistry", Duration.ofSeconds(20)) == null) {
            missing.add("the MCP registry did not start");
        }
        if (launcher.awaitService("io.modelcontextprotocol.spec.McpServerTransportProvider", Duration.ofSeconds(20)) == null) {
            missing.add("the stdio transport did not start");
        }
        if (!missing.isEmpty()) {
            err.println("Proxmox MCP Server could not start: " + String.join("; ", missing) + ". The log above says why.");
            launcher.close();
            return 1;
        }
        log.info("Proxmox MCP Server {} speaks MCP on standard input and output ({} ms){}", Home.version(),
                (System.nanoTime() - start) / 1_000_000, demo ? ", with the simulated cluster" : "");
        log.info("Plugins: drop tool bundles into {}", Deployment.deployDir(home, runtime));
        launcher.awaitStop();
        return 0;
    }
}
