package io.pvemcp.runtime;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

import io.pvemcp.security.store.AdminPassword;
import io.pvemcp.security.store.SecureFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code proxmox-mcp console-password}: sets the administrator password of the admin console. */
@Command(name = "console-password", mixinStandardHelpOptions = true, description = {
    "Sets the administrator password of the admin console (/system/console). Only a salted hash is stored",
    "(DATA/console/admin.password, mode 0600). Asks twice on a terminal; with --stdin reads one line.",
    "A running server uses the new password at the next sign-in. Exit code 2 when the password is refused."})
final class ConsolePasswordCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "The server's state folder (default: data/ in the "
            + "distribution, or PVEMCP_DATA).")
    Path data;

    @Option(names = "--stdin", description = "Read the password from standard input (for scripts).")
    boolean stdin;

    @Override
    public Integer call() throws Exception {
        Path dir = Home.data(Home.locate(), data).resolve("console");
        char[] password;
        Console console = System.console();
        if (stdin || console == null) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        } else {
            password = console.readPassword("New administrator password (12 characters or more): ");
            char[] again = console.readPassword("Once more: ");
            if (password == null || !Arrays.equals(password, again)) {
                spec.commandLine().getErr().println("The two entries differ; nothing was changed.");
                return 2;
            }
        }
        try {
            SecureFiles.privateDirectory(dir);
            AdminPassword.write(dir, password);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage() + " Nothing was changed.");
            return 2;
        } finally {
            Arrays.fill(password, '\0');
        }
        spec.commandLine().getOut().println("Administrator password set (" + dir.resolve(AdminPassword.FILE) + ").");
        return 0;
    }
}
