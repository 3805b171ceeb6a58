package io.pvemcp.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.AsyncContext;

import org.junit.jupiter.api.Test;

class SseStreamTest {

    final JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());

    @Test
    void writesOneEventPerMessageWithUniqueIds() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncContext async = mock(AsyncContext.class);
        SseStream stream = new SseStream(async, out, json, () -> {
        }, false);
        stream.sendMessage(new McpSchema.JSONRPCNotification("notifications/tools/list_changed", null)).block();
        stream.sendMessage(McpSchema.JSONRPCResponse.result(7, java.util.Map.of())).block();
        String text = out.toString(StandardCharsets.UTF_8);
        String[] events = text.split("\n\n");
        assertThat(events).hasSize(2);
        assertThat(events[0]).matches("id: [0-9a-f]{8}-1\nevent: message\ndata: \\{.*\"method\":\"notifications/tools/list_changed\".*\\}");
        assertThat(events[1]).contains("id: ").contains("-2\n").contains("\"id\":7");
        assertThat(stream.keepAlive()).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith(": keep-alive\n\n");
    }

    @Test
    void aFailedWriteClosesTheStreamOnce() {
        AsyncContext async = mock(AsyncContext.class);
        AtomicInteger closed = new AtomicInteger();
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("client went away");
            }
        };
        SseStream stream = new SseStream(async, broken, json, closed::incrementAndGet, false);
        assertThat(stream.keepAlive()).isFalse();
        assertThat(stream.isClosed()).isTrue();
        stream.close();
        stream.sendMessage(McpSchema.JSONRPCResponse.result(1, java.util.Map.of())).block();
        assertThat(closed.get()).isEqualTo(1);
        verify(async, times(1)).complete();
    }

    /** Counts the flushes: each is a write to the network. */
    static final class Flushes extends ByteArrayOutputStream {
        int flushes;

        @Override
        public void flush() {
            flushes++;
        }
    }

    @Test
    void anAnswerEndsItsStreamAndGoesOutInOneWriteWhenNothingWentBefore() {
        Flushes out = new Flushes();
        AsyncContext async = mock(AsyncContext.class);
        AtomicInteger closed = new AtomicInteger();
        SseStream quick = new SseStream(async, out, json, closed::incrementAndGet, true);
        quick.sendMessage(McpSchema.JSONRPCResponse.result(7, java.util.Map.of())).block();
        assertThat(out.flushes).as("no flush of its own: completing the response sends head, event and end").isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"id\":7").endsWith("\n\n");
        assertThat(quick.isClosed()).isTrue();
        assertThat(closed.get()).isEqualTo(1);
        verify(async, times(1)).complete();
        quick.open();
        assertThat(out.flushes).as("a closed stream is not opened").isZero();

        Flushes slow = new Flushes();
        AsyncContext async2 = mock(AsyncContext.class);
        SseStream longCall = new SseStream(async2, slow, json, () -> {
        }, true);
        longCall.open();
        longCall.open();
        assertThat(slow.flushes).as("the head of a long call is sent once").isEqualTo(1);
        longCall.sendMessage(new McpSchema.JSONRPCNotification("notifications/progress", java.util.Map.of())).block();
        assertThat(slow.flushes).as("progress goes out at once").isEqualTo(2);
        assertThat(longCall.isClosed()).isFalse();
        longCall.sendMessage(McpSchema.JSONRPCResponse.result(8, java.util.Map.of())).block();
        assertThat(longCall.isClosed()).isTrue();
        verify(async2, times(1)).complete();
    }
}
