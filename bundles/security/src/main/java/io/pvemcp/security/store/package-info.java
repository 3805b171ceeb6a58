/**
 * The security files of a Proxmox MCP Server installation, as plain Java usable both inside the OSGi runtime
 * and from the {@code proxmox-mcp} command line, which has no framework: the credentials of MCP clients
 * ({@link io.pvemcp.security.store.Tokens}: JWTs and API keys, their signing keys, their revocation) and the
 * tamper-evident audit trail ({@link io.pvemcp.security.store.AuditTrail}).
 * <p>
 * Every file that holds a secret is written with mode 0600 in a folder with mode 0700
 * ({@link io.pvemcp.security.store.SecureFiles}); no secret is ever written to a log or put into an
 * exception message.
 */
@Version("1.3.0")
@Export
package io.pvemcp.security.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
