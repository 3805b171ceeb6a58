/**
 * The Proxmox VE 9.1 API contract, machine-readable: every path, method, parameter, permission and return
 * type a real node has. The simulator checks each request against it, as a node does; the generic API tool
 * ({@code proxmox_api}) checks a call against it before Proxmox is asked; and tests of the
 * Proxmox client use it to prove that every request the client sends exists and is well-formed.
 * <p>
 * The contract is the project's copy of {@code pve-api-9.1.json}, derived from the schema a Proxmox VE
 * node publishes for its API viewer.
 */
@Version("1.0.0")
@Export
package io.pvemcp.pve.contract;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
