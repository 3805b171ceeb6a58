package io.pvemcp.registry.internal;

import java.util.function.Supplier;

import io.pvemcp.api.Caller;
import io.pvemcp.api.Cancellation;
import io.pvemcp.api.LogLevel;
import io.pvemcp.api.RequestContext;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.pve.ProxmoxClient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every request context shares: the caller, the Proxmox client, logging to the client, cancellation. */
abstract class RequestContextBase implements RequestContext {

    private static final Logger LOG = LoggerFactory.getLogger("io.pvemcp.tools");
    final ClientChannel channel;
    private final Caller caller;
    private final Supplier<ProxmoxClient> proxmox;
    final CancellationSignal cancellation;
    private final String loggerName;

    RequestContextBase(ClientChannel channel, Caller caller, Supplier<ProxmoxClient> proxmox, String loggerName) {
        this(channel, caller, proxmox, loggerName, new CancellationSignal());
    }

    RequestContextBase(ClientChannel channel, Caller caller, Supplier<ProxmoxClient> proxmox, String loggerName,
            CancellationSignal cancellation) {
        this.channel = channel;
        this.cancellation = cancellation;
        this.caller = caller;
        this.proxmox = proxmox;
        this.loggerName = loggerName;
    }

    @Override
    public Caller caller() {
        return caller;
    }

    @Override
    public ProxmoxClient proxmox() {
        ProxmoxClient client = proxmox.get();
        if (client == null) {
            throw new ToolException("No Proxmox VE client is available: the pve-client bundle is not running. "
                    + "Ask the operator to start it.");
        }
        return client;
    }

    @Override
    public void log(LogLevel level, String message) {
        switch (level) {
            case DEBUG -> LOG.debug("{}: {}", loggerName, message);
            case INFO, NOTICE -> LOG.info("{}: {}", loggerName, message);
            case WARNING -> LOG.warn("{}: {}", loggerName, message);
            default -> LOG.error("{}: {}", loggerName, message);
        }
        channel.log(level, loggerName, message);
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }
}
