package io.pvemcp.runtime.log;

import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Makes text fit for one line of the log: everything a client controls (its name, a header, a tool name, a parser's
 * quote of its input) may end up in a message, and a line break or terminal escape in it must not start a forged
 * line or repaint the operator's terminal.
 */
public final class LogLines {

    private LogLines() {
    }

    /**
     * @param text any text
     * @return the text with line breaks as {@code \n} and {@code \r}, and other control characters (ESC, NUL, DEL,
     *         the Unicode line and paragraph separators) as {@code \\uXXXX}; tabs stay
     */
    public static String neutralise(String text) {
        if (text == null) {
            return "null";
        }
        int i = 0;
        int n = text.length();
        while (i < n && !unsafe(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder sb = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (!unsafe(c)) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    private static boolean unsafe(char c) {
        return (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
    }

    /**
     * Writes a throwable as Java does (class and message, frames, causes and suppressed exceptions), with each
     * message made safe: the frames are the server's own, the messages may quote a client.
     *
     * @param t the throwable
     * @param out where to append; every line ends with a line break
     */
    public static void stackTrace(Throwable t, StringBuilder out) {
        write(t, out, "", "", null, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void write(Throwable t, StringBuilder out, String caption, String indent,
            StackTraceElement[] enclosing, Set<Throwable> seen) {
        if (!seen.add(t)) {
            out.append(indent).append(caption).append("[circular reference: ").append(neutralise(t.toString()))
                    .append("]\n");
            return;
        }
        StackTraceElement[] trace = t.getStackTrace();
        int m = trace.length - 1;
        if (enclosing != null) {
            int e = enclosing.length - 1;
            while (m >= 0 && e >= 0 && trace[m].equals(enclosing[e])) {
                m--;
                e--;
            }
        }
        int inCommon = trace.length - 1 - m;
        out.append(indent).append(caption).append(neutralise(t.toString())).append('\n');
        for (int i = 0; i <= m; i++) {
            out.append(indent).append("\tat ").append(trace[i]).append('\n');
        }
        if (inCommon != 0) {
            out.append(indent).append("\t... ").append(inCommon).append(" more\n");
        }
        for (Throwable s : t.getSuppressed()) {
            write(s, out, "Suppressed: ", indent + "\t", trace, seen);
        }
        Throwable cause = t.getCause();
        if (cause != null) {
            write(cause, out, "Caused by: ", indent, trace, seen);
        }
    }
}
