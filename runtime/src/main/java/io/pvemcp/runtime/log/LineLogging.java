package io.pvemcp.runtime.log;

import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The server's log: every event is one line on standard error ({@code time [thread] LEVEL Logger - message}), and
 * whatever the message holds, it stays one line ({@link LogLines#neutralise}), so that a client cannot forge log
 * entries with line breaks in what it sends. Stack traces follow their line, with their messages made safe too.
 * <p>
 * Levels come from system properties with the keys slf4j-simple uses, so {@code conf/logging.properties} reads as it
 * always did: {@code org.slf4j.simpleLogger.defaultLogLevel} and {@code org.slf4j.simpleLogger.log.<logger prefix>}.
 */
public final class LineLogging implements SLF4JServiceProvider, ILoggerFactory {

    static final String PREFIX = "org.slf4j.simpleLogger.";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return this;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to set up: each event goes to the standard error of the moment
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new LineLogger(this, n, threshold(n)));
    }

    /** The level for a logger: the longest configured prefix of its name, or the default. */
    static int threshold(String name) {
        String n = name;
        while (true) {
            String v = System.getProperty(PREFIX + "log." + n);
            if (v != null) {
                return level(v);
            }
            int dot = n.lastIndexOf('.');
            if (dot < 0) {
                break;
            }
            n = n.substring(0, dot);
        }
        return level(System.getProperty(PREFIX + "defaultLogLevel", "info"));
    }

    private static int level(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE.toInt();
            case "debug" -> Level.DEBUG.toInt();
            case "warn" -> Level.WARN.toInt();
            case "error" -> Level.ERROR.toInt();
            case "off" -> Integer.MAX_VALUE;
            default -> Level.INFO.toInt();
        };
    }

    void write(Level level, String logger, String message, Throwable thrown) {
        StringBuilder line = new StringBuilder(128);
        line.append(TIME.format(ZonedDateTime.now())).append(" [").append(LogLines.neutralise(Thread.currentThread()
                .getName())).append("] ").append(level.name()).append(' ').append(logger).append(" - ")
                .append(LogLines.neutralise(message)).append('\n');
        if (thrown != null) {
            LogLines.stackTrace(thrown, line);
        }
        PrintStream err = System.err;
        err.print(line);
        err.flush();
    }
}
