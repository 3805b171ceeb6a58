/**
 * Building blocks for tools that act on Proxmox VE guests, shared by the VM and container tool bundles and
 * open to plugins: extend {@link io.pvemcp.api.guest.GuestListTool}, {@link io.pvemcp.api.guest.GuestPowerTool}
 * or {@link io.pvemcp.api.guest.GuestDeleteTool}, annotate the subclass with
 * {@link io.pvemcp.api.ToolService} and register it as a {@link io.pvemcp.api.Tool} component:
 *
 * <pre>
 * &#64;Component(service = Tool.class)
 * &#64;ToolService(name = "proxmox_vm_start", category = "vm", scope = Scopes.POWER, destructive = false,
 *     description = "Starts a VM and waits until it runs.")
 * public final class VmStartTool extends GuestPowerTool {
 *     public VmStartTool() {
 *         super(GuestType.VM, Action.START);
 *     }
 * }
 * </pre>
 *
 * The base classes find the guest's node from its VMID ({@link io.pvemcp.api.pve.Guests#locate}), check what
 * Proxmox would refuse anyway (templates, locks, offline nodes) with messages that say what to do, follow the
 * Proxmox task to its end with progress for the client ({@link io.pvemcp.api.ToolCall#followTask}), and answer
 * with structured content that conforms to their output schemas.
 */
@Version("1.0.0")
@Export
package io.pvemcp.api.guest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
