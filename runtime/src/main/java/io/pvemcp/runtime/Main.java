package io.pvemcp.runtime;

import java.io.PrintStream;
import java.util.List;

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
        boolean verbose = List.of(args).contains("-v") || List.of(args).contains("--verbose");
        Home.configureLogging(Home.locate(), verbose);
        JulBridge.install();
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        CommandLine cli = new CommandLine(new Main());
        cli.addSubcommand(new ServeCommand(out));
        cli.addSubcommand(new StdioCommand());
        cli.addSubcommand(new SimCommand(out));
        cli.addSubcommand(new TokenCommand());
        cli.addSubcommand(new AuditCommand());
        cli.addSubcommand(new ConsolePasswordCommand());
        cli.addSubcommand(new InitCommand());
        cli.addSubcommand(new TestConnectionCommand());
        cli.addSubcommand(new ClientCommands.Health());
        cli.addSubcommand(new ClientCommands.Tools());
        cli.addSubcommand(new ClientCommands.Call());
        cli.addSubcommand(new VersionCommand(out));
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            LoggerFactory.getLogger(Main.class).debug("command failed", e);
            line.getErr().println("proxmox-mcp: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli.execute(args);
    }

    /** The version for {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"proxmox-mcp " + Home.version()};
        }
    }
}
