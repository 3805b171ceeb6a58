package io.pvemcp.runtime;

import java.io.PrintStream;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code proxmox-mcp version}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Prints the version.")
final class VersionCommand implements Callable<Integer> {

    private final PrintStream out;

    VersionCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        out.println("proxmox-mcp " + Home.version() + " (MCP 2025-11-25, 2025-06-18, 2025-03-26; Proxmox VE API 9.1; Java "
                + Runtime.version() + ")");
        return 0;
    }
}
