package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MainTest {

    static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void printsHelpWithCommandsAndExitCodes() {
        String[] r = run("--help");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("serve", "sim", "version", "Exit codes", "proxmox-mcp serve --demo");
        assertThat(run("serve", "--help")[1]).contains("--demo", "--port", "--shell", "--sim-port");
    }

    @Test
    void aNamedCommandRunsAloneAndHelpStillKnowsThemAll() {
        assertThat(run("help", "token")[1]).contains("create", "revoke");
        assertThat(run("version", "--help")[1]).contains("version");
        String[] unknownOption = run("stdio", "--frobnicate");
        assertThat(unknownOption[0]).isEqualTo("2");
        assertThat(unknownOption[2]).contains("--frobnicate");
    }

    @Test
    void printsTheVersion() {
        String[] r = run("version");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).startsWith("proxmox-mcp ").contains("MCP 2025-11-25", "Proxmox VE API 9.1");
    }

    @Test
    void rejectsInvalidCommandLinesWithExitCode2() {
        assertThat(run("frobnicate")[0]).isEqualTo("2");
        String[] badPort = run("serve", "--port", "eighty");
        assertThat(badPort[0]).isEqualTo("2");
        assertThat(badPort[2]).contains("--port");
    }
}
