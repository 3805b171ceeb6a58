/**
 * Building blocks for tools that act on Proxmox VE guests, shared by the VM and container tool bundles and
 * open to plugins. A support library of its own (bundle {@code io.pvemcp.tools.guest}), not part of the SPI: a fix
 * here is no version event of {@code io.pvemcp.api}, and a plugin may ship with a newer version of it.
 * Extend {@link io.pvemcp.tools.guest.GuestListTool}, {@link io.pvemcp.tools.guest.GuestPowerTool}
 * or {@link io.pvemcp.tools.guest.GuestDeleteTool}, annotate the subclass with
 * {@link io.pvemcp.api.ToolService} and register it as a {@link io.pvemcp.api.Tool} component:
 *
 * <pre>
 * &#64;Component(service = Tool.class)
 * &#64;ToolService(name = "proxmox_vm_start", category = "vm", scope = Scopes.POWER, risk = Risk.POWER,
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
 * with structured content that conforms to their output schemas. Each implements {@link io.pvemcp.api.Tool#preview}
 * (what a call would do, for dry runs, confirmations and guard rails) from the guest as it is now.
 * <p>
 * 1.3: {@link io.pvemcp.tools.guest.GuestTool#previewTarget} (a guest as a preview's target, for tools that are not
 * guest tools) and {@link io.pvemcp.tools.guest.Futures}.
 */
@Version("1.3.0")
@Export
package io.pvemcp.tools.guest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
