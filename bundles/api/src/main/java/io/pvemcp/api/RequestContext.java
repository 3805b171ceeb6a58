package io.pvemcp.api;

import io.pvemcp.api.pve.ProxmoxClient;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What every request from an MCP client carries, whether it calls a tool, reads a resource or gets a
 * prompt. Implemented by the server; valid only while the request runs.
 */
@ProviderType
public interface RequestContext {

    /**
     * @return who is calling; never {@code null} ({@link Caller#ANONYMOUS} when the server runs without
     *         authentication)
     */
    Caller caller();

    /**
     * The Proxmox VE client this request should use.
     *
     * @return the client
     * @throws ToolException if no Proxmox connection is configured; the message says how to configure one
     */
    ProxmoxClient proxmox();

    /**
     * Sends a log message to the client ({@code notifications/message}), if the client asked for messages
     * of this level or above. The message is also written to the server log at a matching level. Never
     * put secrets into it.
     *
     * @param level the level
     * @param message the text
     */
    void log(LogLevel level, String message);

    /** @return the cancellation signal of this request */
    Cancellation cancellation();
}
