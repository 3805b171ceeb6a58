/**
 * The security services of the MCP server, for the transports (HTTP now; REST and the console later) and the
 * registry: the {@link io.pvemcp.security.Gatekeeper} admits or refuses each request from its bearer
 * credential (authentication, the endpoint's scope, rate limits) and describes the server as an OAuth 2.1
 * protected resource (RFC 9728); the {@link io.pvemcp.security.AuditLog} records every tool call.
 * <p>
 * Both are provided by the security bundle; consumers never see keys, tokens or files.
 * <p>
 * 1.1: {@link io.pvemcp.security.Gatekeeper#chargeCall} (tool calls have their own rate) and
 * {@link io.pvemcp.security.Gatekeeper#invalidated} (sessions end with their credentials).
 */
@Version("1.4.0")
@Export
package io.pvemcp.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
