package io.pvemcp.runtime;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends java.util.logging records (Apache Felix File Install logs that way) to the launcher's log, so that every
 * message has the same one-line format on standard error.
 */
final class JulBridge extends Handler {

    /** Replaces the root logger's handlers with the bridge. */
    static void install() {
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new JulBridge());
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        String name = record.getLoggerName() == null ? "jul" : record.getLoggerName();
        Logger log = LoggerFactory.getLogger(name.startsWith("org.apache.felix.fileinstall") ? "fileinstall" : name);
        String msg = record.getMessage();
        if (record.getParameters() != null && msg != null) {
            msg = java.text.MessageFormat.format(msg, record.getParameters());
        }
        Throwable thrown = record.getThrown();
        if (thrown instanceof org.osgi.framework.BundleException) {
            // a plugin that does not resolve: the framework's message says what is missing; no stack trace needed
            msg = msg + ": " + thrown.getMessage();
            thrown = null;
        }
        int level = record.getLevel().intValue();
        if (level >= Level.SEVERE.intValue()) {
            log.error(msg, thrown);
        } else if (level >= Level.WARNING.intValue()) {
            log.warn(msg, thrown);
        } else if (level >= Level.INFO.intValue()) {
            log.info(msg, thrown);
        } else {
            log.debug(msg, thrown);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
