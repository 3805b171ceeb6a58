package io.pvemcp.runtime;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.LoggerFactory;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code proxmox-mcp} command. */
@Command(name = "proxmox-mcp", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "An MCP server for Proxmox VE: lets AI assistants manage VMs, containers, storage and nodes.",
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure; the message says why", "2:invalid command line"},
        footer = {"", "Start with: proxmox-mcp serve --demo"})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * Runs a command.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        followLauncher();
        boolean verbose = List.of(args).contains("-v") || List.of(args).contains("--verbose");
        Home.configureLogging(Home.locate(), verbose);
        if (server(args)) {
            CompilerThreads.lowerInBackground();
        }
        JulBridge.install();
        System.exit(run(args, System.out));
    }

    /**
     * When the launcher script runs this JVM as its child (the first start, which archives classes at its end), the JVM
     * ends with the script: a script killed without a chance to stop its child leaves no server behind.
     */
    private static void followLauncher() {
        String launcher = System.getenv("PVEMCP_LAUNCHER_PID");
        if (launcher == null) {
            return;
        }
        ProcessHandle.current().parent().filter(p -> Long.toString(p.pid()).equals(launcher.strip()))
                .ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(143)));
    }

    /** @return whether the command line runs a server ({@code stdio} or {@code serve}) */
    private static boolean server(String[] args) {
        return args.length > 0 && (args[0].equals("stdio") || args[0].equals("serve"));
    }

    static int run(String[] args, PrintStream out) {
        if (server(args)) {
            java.util.concurrent.Callable<Integer> server = args[0].equals("stdio") ? new StdioCommand()
                    : new ServeCommand(out);
            if (DirectOptions.fill(server, java.util.Arrays.copyOfRange(args, 1, args.length))) {
                try {
                    return server.call();
                } catch (Exception e) {
                    LoggerFactory.getLogger(Main.class).debug("command failed", e);
                    System.err.println("proxmox-mcp: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    return 1;
                }
            }
        }
        CommandLine cli = new CommandLine(new Main());
        Map<Class<?>, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put(ServeCommand.class, () -> new ServeCommand(out));
        commands.put(StdioCommand.class, StdioCommand::new);
        commands.put(SimCommand.class, () -> new SimCommand(out));
        commands.put(TokenCommand.class, TokenCommand::new);
        commands.put(AuditCommand.class, AuditCommand::new);
        commands.put(ConsolePasswordCommand.class, ConsolePasswordCommand::new);
        commands.put(InitCommand.class, InitCommand::new);
        commands.put(TestConnectionCommand.class, TestConnectionCommand::new);
        commands.put(ClientCommands.Health.class, ClientCommands.Health::new);
        commands.put(ClientCommands.Tools.class, ClientCommands.Tools::new);
        commands.put(ClientCommands.Call.class, ClientCommands.Call::new);
        commands.put(VersionCommand.class, () -> new VersionCommand(out));
        // a command named on the command line is the only one built: building all of them (their options read by
        // reflection, their classes loaded and initialised) is a third of a second at every start
        Class<?> named = args.length == 0 ? null : commands.keySet().stream().filter(c -> names(c).contains(args[0]))
                .findFirst().orElse(null);
        commands.forEach((type, command) -> {
            if (named == null || named == type) {
                cli.addSubcommand(command.get());
            }
        });
        if (named == null) {
            cli.addSubcommand(new CommandLine.HelpCommand());
        }
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            LoggerFactory.getLogger(Main.class).debug("command failed", e);
            line.getErr().println("proxmox-mcp: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli.execute(args);
    }

    private static List<String> names(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        List<String> names = new java.util.ArrayList<>(List.of(c.aliases()));
        names.add(c.name());
        return names;
    }

    /** The version for {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"proxmox-mcp " + Home.version()};
        }
    }
}
