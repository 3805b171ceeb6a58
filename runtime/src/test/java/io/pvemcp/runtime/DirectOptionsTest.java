package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** The direct reading of server options agrees with picocli, and leaves everything else to it. */
class DirectOptionsTest {

    static ServeCommand picocli(String... args) {
        ServeCommand c = new ServeCommand(System.out);
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void readsPlainOptionsAsPicocliDoes() {
        String[][] lines = {{}, {"--demo"}, {"--port", "8123", "--host=0.0.0.0", "--data", "/tmp/x", "-v"},
            {"--sim-port=9006", "--no-auth", "--shell"}};
        for (String[] args : lines) {
            ServeCommand direct = new ServeCommand(System.out);
            assertThat(DirectOptions.fill(direct, args)).as(String.join(" ", args)).isTrue();
            assertThat(direct).usingRecursiveComparison().ignoringFields("out").isEqualTo(picocli(args));
        }
        StdioCommand stdio = new StdioCommand();
        assertThat(DirectOptions.fill(stdio, new String[] {"--demo", "--data", "d", "--sim-port", "7"})).isTrue();
        assertThat(stdio.demo).isTrue();
        assertThat(stdio.data).isEqualTo(Path.of("d"));
        assertThat(stdio.simPort).isEqualTo(7);
    }

    @Test
    void leavesHelpMistakesAndAnythingElseToPicocli() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"--port", "eighty"}, {"--port"}, {"--demo=true"},
            {"--frobnicate"}, {"extra"}, {"--port", "1", "--port", "2"}, {"--data", "--demo"}}) {
            assertThat(DirectOptions.fill(new ServeCommand(System.out), args)).as(String.join(" ", args)).isFalse();
        }
    }
}
