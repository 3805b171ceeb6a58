package io.pvemcp.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.when;
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
        });
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
        SseStream stream = new SseStream(async, broken, json, closed::incrementAndGet);
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
    void anAnswerThatComesFirstGoesOutAsOneJsonBody() {
        Flushes out = new Flushes();
        AsyncContext async = mock(AsyncContext.class);
        jakarta.servlet.http.HttpServletResponse resp = mock(jakarta.servlet.http.HttpServletResponse.class);
        AtomicInteger closed = new AtomicInteger();
        SseStream quick = new SseStream(async, out, json, closed::incrementAndGet, resp);
        quick.sendMessage(McpSchema.JSONRPCResponse.result(7, java.util.Map.of())).block();
        String body = out.toString(StandardCharsets.UTF_8);
        assertThat(body).startsWith("{").contains("\"id\":7").doesNotContain("event:");
        verify(resp).setContentType("application/json");
        verify(resp).setContentLength(body.getBytes(StandardCharsets.UTF_8).length);
        verify(resp, never()).setContentType("text/event-stream");
        assertThat(out.flushes).as("completing the response sends it").isZero();
        assertThat(quick.isClosed()).isTrue();
        assertThat(closed.get()).isEqualTo(1);
        verify(async, times(1)).complete();
        quick.open();
        assertThat(out.flushes).as("a closed stream is not opened").isZero();
    }

    @Test
    void theTransportSchedulesTheHeadOfAStreamAndDropsItWhenTheAnswerCameFirst() throws Exception {
        java.util.concurrent.ScheduledThreadPoolExecutor timer = StreamableHttpTransport.timer();
        try {
            for (int i = 0; i < 50; i++) {
                SseStream quick = StreamableHttpTransport.stream(mock(AsyncContext.class), new Flushes(), json,
                        mock(jakarta.servlet.http.HttpServletResponse.class), timer);
                quick.sendMessage(McpSchema.JSONRPCResponse.result(i, java.util.Map.of())).block();
            }
            assertThat(timer.getQueue()).as("quick answers leave nothing for the timer to wake for").isEmpty();

            Flushes out = new Flushes();
            jakarta.servlet.http.HttpServletResponse resp = mock(jakarta.servlet.http.HttpServletResponse.class);
            SseStream slow = StreamableHttpTransport.stream(mock(AsyncContext.class), out, json, resp, timer);
            assertThat(timer.getQueue()).hasSize(1);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (out.flushes == 0) {
                assertThat(System.nanoTime()).as("the head of a longer call is sent").isLessThan(deadline);
                Thread.sleep(20);
            }
            verify(resp).setContentType("text/event-stream");
            assertThat(slow.isClosed()).isFalse();
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aLongerCallShowsItsEventStreamAndEndsItWithTheAnswer() {
        Flushes slow = new Flushes();
        AsyncContext async = mock(AsyncContext.class);
        jakarta.servlet.http.HttpServletResponse resp = mock(jakarta.servlet.http.HttpServletResponse.class);
        SseStream longCall = new SseStream(async, slow, json, () -> {
        }, resp);
        longCall.open();
        verify(resp).setContentType("text/event-stream");
        when(resp.isCommitted()).thenReturn(true);
        longCall.open();
        assertThat(slow.flushes).as("the head of a long call is sent once").isEqualTo(1);
        longCall.sendMessage(new McpSchema.JSONRPCNotification("notifications/progress", java.util.Map.of())).block();
        assertThat(slow.flushes).as("progress goes out at once").isEqualTo(2);
        assertThat(longCall.isClosed()).isFalse();
        longCall.sendMessage(McpSchema.JSONRPCResponse.result(8, java.util.Map.of())).block();
        assertThat(slow.toString(StandardCharsets.UTF_8)).contains("event: message\ndata: {").contains("\"id\":8");
        assertThat(longCall.isClosed()).isTrue();
        verify(async, times(1)).complete();
        verify(resp, never()).setContentType("application/json");
    }

    @Test
    void progressBeforeTheAnswerMakesItAnEventStream() {
        Flushes out = new Flushes();
        AsyncContext async = mock(AsyncContext.class);
        jakarta.servlet.http.HttpServletResponse resp = mock(jakarta.servlet.http.HttpServletResponse.class);
        SseStream s = new SseStream(async, out, json, () -> {
        }, resp);
        s.sendMessage(new McpSchema.JSONRPCNotification("notifications/progress", java.util.Map.of())).block();
        verify(resp).setContentType("text/event-stream");
        s.sendMessage(McpSchema.JSONRPCResponse.result(9, java.util.Map.of())).block();
        assertThat(out.toString(StandardCharsets.UTF_8).split("\n\n")).hasSize(2);
        verify(resp, never()).setContentType("application/json");
    }
}
