package io.pvemcp.stdio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineReaderTest {

    /** A stream that hands out at most a few bytes per read, as a pipe may. */
    static InputStream trickle(String text, int step) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            int at;

            @Override
            public int read() {
                return at < bytes.length ? bytes[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, step), bytes.length - at);
                System.arraycopy(bytes, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    static List<String> lines(InputStream in, int max) throws IOException {
        LineReader r = new LineReader(in, max);
        List<String> out = new ArrayList<>();
        for (int n = r.next(); n != LineReader.END; n = r.next()) {
            out.add(n == LineReader.TOO_LONG ? "<too long>" : r.blank() ? "<blank>"
                    : new String(r.buffer(), r.start(), n, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void readsLinesWithOrWithoutCarriageReturnsAndALastOneWithoutItsEnd() throws IOException {
        String text = "{\"a\":1}\r\n\n  \n{\"b\":\"é\"}\n{\"c\":3}";
        assertThat(lines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1000))
                .containsExactly("{\"a\":1}", "<blank>", "<blank>", "{\"b\":\"é\"}", "{\"c\":3}");
        assertThat(lines(trickle(text, 1), 1000)).containsExactly("{\"a\":1}", "<blank>", "<blank>", "{\"b\":\"é\"}",
                "{\"c\":3}");
    }

    @Test
    void readsLinesLongerThanItsBufferAndSkipsOnesOverTheLimit() throws IOException {
        String longLine = "x".repeat(200_000);
        String tooLong = "y".repeat(300_001);
        String text = longLine + "\n" + tooLong + "\nnext\n" + tooLong;
        assertThat(lines(trickle(text, 7_777), 300_000)).containsExactly(longLine, "<too long>", "next", "<too long>");
    }
}
