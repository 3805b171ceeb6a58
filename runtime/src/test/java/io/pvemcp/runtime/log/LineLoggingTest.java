package io.pvemcp.runtime.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Whatever a message holds, it is one line of the log. */
class LineLoggingTest {

    @Test
    void slf4jUsesTheOneLineLog() {
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(LineLogging.class);
    }

    @Test
    void aClientControlledValueCannotStartALine() {
        String forged = "evil\n2026-12-03T06:00:00.000Z [main] INFO Gatekeeper - admin signed in\r\u001b[2J\u2028x";
        String written = capture(() -> new LineLogging().getLogger("io.pvemcp.registry.internal.McpSessions")
                .info("MCP session {} opened by {}", "s-1", forged));
        assertThat(written.split("\n", -1)).as(written).hasSize(2).endsWith("");
        assertThat(written).contains("INFO McpSessions - MCP session s-1 opened by evil\\n2026-12-03T06:00:00.000Z "
                + "[main] INFO Gatekeeper - admin signed in\\r\\u001b[2J\\u2028x");
    }

    @Test
    void stackTracesFollowTheirLineWithSafeMessages() {
        Exception e = new IllegalStateException("bad input: 'a\nb'", new RuntimeException("cause\r\nforged"));
        String written = capture(() -> new LineLogging().getLogger("x.Y").error("failed", e));
        String[] lines = written.split("\n");
        assertThat(lines[0]).endsWith("ERROR Y - failed");
        assertThat(lines[1]).isEqualTo("java.lang.IllegalStateException: bad input: 'a\\nb'");
        assertThat(lines[2]).startsWith("\tat io.pvemcp.runtime.log.LineLoggingTest");
        assertThat(written).contains("Caused by: java.lang.RuntimeException: cause\\r\\nforged\n");
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("\r"));
    }

    @Test
    void levelsComeFromTheLongestConfiguredPrefix() {
        System.setProperty(LineLogging.PREFIX + "log.org.eclipse.jetty", "warn");
        try {
            LineLogging logging = new LineLogging();
            assertThat(logging.getLogger("org.eclipse.jetty.server.Server").isInfoEnabled()).isFalse();
            assertThat(logging.getLogger("org.eclipse.jetty.server.Server").isWarnEnabled()).isTrue();
            assertThat(logging.getLogger("io.pvemcp.x").isInfoEnabled()).isTrue();
            assertThat(logging.getLogger("io.pvemcp.x").isDebugEnabled()).isFalse();
        } finally {
            System.clearProperty(LineLogging.PREFIX + "log.org.eclipse.jetty");
        }
    }

    static String capture(Runnable r) {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(err);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
