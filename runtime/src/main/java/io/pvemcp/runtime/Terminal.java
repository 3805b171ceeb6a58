package io.pvemcp.runtime;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Help.Ansi;

/**
 * What the commands print: colour, tables and a spinner on a terminal, plain text when the output is piped
 * (or {@code NO_COLOR} is set), so scripts read stable lines; {@code --json} output never goes through here.
 */
final class Terminal {

    private static final String[] FRAMES = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean tty;
    private final Ansi ansi;

    Terminal(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
        this.tty = System.console() != null && System.getenv("NO_COLOR") == null;
        this.ansi = tty ? Ansi.ON : Ansi.OFF;
    }

    /** @return {@code text} in picocli's markup, e.g. {@code @|bold,green ok|@}, coloured only on a terminal */
    String style(String markup) {
        return ansi.string(markup);
    }

    String ok(String text) {
        return style("@|green " + escape(text) + "|@");
    }

    String bad(String text) {
        return style("@|red,bold " + escape(text) + "|@");
    }

    String dim(String text) {
        return style("@|faint " + escape(text) + "|@");
    }

    void println(String line) {
        out.println(line);
        out.flush();
    }

    void print(String text) {
        out.print(text);
        out.flush();
    }

    void error(String line) {
        err.println(line);
        err.flush();
    }

    /** Prints rows in aligned columns; the first row is the header. */
    void table(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i] == null ? 0 : row[i].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder b = new StringBuilder();
            String[] row = rows.get(r);
            for (int i = 0; i < row.length; i++) {
                String cell = row[i] == null ? "" : row[i];
                b.append(i == row.length - 1 ? cell : String.format("%-" + width[i] + "s  ", cell));
            }
            String line = b.toString().stripTrailing();
            println(r == 0 ? style("@|bold " + escape(line) + "|@") : line);
        }
    }

    /**
     * Starts a spinner on standard error, on a terminal only.
     *
     * @param message what is being waited for
     * @return the spinner; close it when done
     */
    Spinner spinner(String message) {
        return new Spinner(message);
    }

    /** A spinner on standard error, updated with progress messages. */
    final class Spinner implements AutoCloseable {
        private final Thread thread;
        private volatile String message;
        private volatile boolean running = true;

        private Spinner(String message) {
            this.message = message;
            if (!tty) {
                thread = null;
                return;
            }
            thread = new Thread(() -> {
                int i = 0;
                while (running) {
                    err.print("\r" + FRAMES[i++ % FRAMES.length] + " " + this.message + "\u001b[K");
                    err.flush();
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "spinner");
            thread.setDaemon(true);
            thread.start();
        }

        void update(String text) {
            this.message = text;
        }

        @Override
        public void close() {
            running = false;
            if (thread != null) {
                thread.interrupt();
                try {
                    thread.join(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                err.print("\r\u001b[K");
                err.flush();
            }
        }
    }

    private static String escape(String s) {
        return s.replace("|@", "| @");
    }

    static List<String[]> rows(String... header) {
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        return rows;
    }
}
