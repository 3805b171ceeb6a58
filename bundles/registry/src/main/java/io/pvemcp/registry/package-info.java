/**
 * The MCP registry's public face: {@link io.pvemcp.registry.ToolRegistry} reports what the server offers,
 * what it refused and why, and who is connected; {@link io.pvemcp.registry.McpContextKeys} names what a
 * transport hands the registry with each request.
 * <p>
 * The registry itself is a whiteboard: it serves every {@link io.pvemcp.api.Tool}, {@link io.pvemcp.api.Resource}
 * and {@link io.pvemcp.api.Prompt} service to the sessions of every MCP transport registered as a
 * {@code McpStreamableServerTransportProvider} (or {@code McpServerTransportProvider}) service.
 * {@link io.pvemcp.registry.JsonRpcMessages} (1.3) reads incoming messages for every transport alike, so that
 * malformed input gets the same JSON-RPC error whichever way it arrives.
 */
@Version("1.7.0")
@Export
package io.pvemcp.registry;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
