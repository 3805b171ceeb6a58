/**
 * The Proxmox VE client API that tools, resources and prompts use: {@link io.pvemcp.api.pve.ProxmoxClient}
 * sends requests to the Proxmox VE REST API ({@code /api2/json}) and fails with a
 * {@link io.pvemcp.api.pve.ProxmoxException} that says what went wrong and what to fix.
 * <p>
 * Paths are written as in the Proxmox VE API contract, with path parameters in braces
 * ({@code /nodes/{node}/qemu/{vmid}/status/start}), and parameters are passed in one map, path parameters
 * included, exactly as the contract lists them. The client fills the path, encodes the rest and checks
 * nothing else: the Proxmox node validates the request.
 * <p>
 * Long-running calls answer with a task id ({@link io.pvemcp.api.pve.Upid}); {@link
 * io.pvemcp.api.pve.ProxmoxClient#awaitTask} follows a task to its end ({@link io.pvemcp.api.pve.TaskResult}),
 * and {@link io.pvemcp.api.pve.Guests#locate} finds the node of a VM or container from its VMID.
 *
 * <h2>Versions</h2>
 * 1.1: {@code awaitTask}, {@code Upid}, {@code TaskResult}, {@code Guests}, {@code GuestRef}.
 * 1.2: {@code awaitTask} is the Proxmox client bundle's to implement (how tasks are followed is no longer code in
 * this package); a provider type, so only clients change.
 * 1.3: {@code uncached()}: the client may cache hot cluster-wide reads for a moment; this bypasses it.
 * 1.4: {@code answer()}: the whole answer, with the attributes Proxmox puts beside {@code data}.
 * 1.5: {@code prepare()}: a connection opened ahead, when an MCP client opens a session.
 */
@Version("1.5.0")
@Export
package io.pvemcp.api.pve;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
