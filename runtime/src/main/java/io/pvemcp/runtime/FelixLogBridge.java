package io.pvemcp.runtime;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the framework's own messages to the log (standard error) instead of standard output. */
final class FelixLogBridge extends org.apache.felix.framework.Logger {

    private static final Logger LOG = LoggerFactory.getLogger("org.apache.felix.framework");

    @Override
    protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference sr, int level, String msg,
            Throwable throwable) {
        String text = bundle == null ? msg : bundle.getSymbolicName() + ": " + msg;
        switch (level) {
            case LOG_ERROR -> LOG.error(text, throwable);
            case LOG_WARNING -> LOG.warn(text, throwable);
            case LOG_INFO -> LOG.info(text, throwable);
            default -> LOG.debug(text, throwable);
        }
    }
}
