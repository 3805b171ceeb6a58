package io.pvemcp.stdio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines of bytes (ended by LF, a CR before it dropped) from a stream into one growing buffer, without decoding
 * them: a message is parsed from its UTF-8 bytes. A line longer than the limit is skipped to its end and reported.
 */
final class LineReader {

    static final int END = -1;
    static final int TOO_LONG = -2;

    private final InputStream in;
    private final int max;
    private byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    private int start;
    private int length;

    LineReader(InputStream in, int max) {
        this.in = in;
        this.max = max;
    }

    /**
     * @return the length of the next line ({@link #buffer()} from {@link #start()}), {@link #END} at the end of the
     *         stream, or {@link #TOO_LONG}
     * @throws IOException if reading fails
     */
    int next() throws IOException {
        boolean skipping = false;
        int scan = pos;
        for (;;) {
            for (int i = scan; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    start = pos;
                    length = end - pos;
                    pos = i + 1;
                    return skipping || length > max ? TOO_LONG : length;
                }
            }
            if (lim - pos > max) {
                // drop what was read of the line and keep skipping to its end
                skipping = true;
                pos = lim;
            }
            scan = lim - pos;
            if (!fill()) {
                if (skipping) {
                    return TOO_LONG;
                }
                if (lim > pos) {
                    // a last line without its end
                    start = pos;
                    length = lim - pos;
                    pos = lim;
                    return length > max ? TOO_LONG : length;
                }
                return END;
            }
            // fill moved the unread bytes to the front: the scan goes on where it stopped
        }
    }

    /** Moves the unread bytes to the front, then reads more after them. */
    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        if (lim == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            return false;
        }
        lim += n;
        return true;
    }

    byte[] buffer() {
        return buf;
    }

    int start() {
        return start;
    }

    /** @return whether the current line holds only white space */
    boolean blank() {
        for (int i = start; i < start + length; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
