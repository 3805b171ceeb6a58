package io.pvemcp.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares the service properties of a {@link Tool} component. Place it next to {@code @Component}:
 *
 * <pre>
 * &#64;Component(service = Tool.class)
 * &#64;ToolService(name = "proxmox_vm_start", title = "Start VM", category = "vm", scope = Scopes.POWER,
 *     risk = Risk.POWER, idempotent = true,
 *     description = "Starts a QEMU virtual machine and waits until Proxmox reports it running.")
 * </pre>
 *
 * Every tool declares its {@link #risk()}; the read-only and destructive hints clients see follow from it. The
 * behaviour hints follow the MCP tool annotations. Clients use them to decide, for example, whether to ask the
 * user before a call; they are hints, never a security boundary (scopes, confirmations and guard rails are).
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ToolService {

    /** Prefix of the generated property names, see {@link Tool}. */
    String PREFIX_ = "pvemcp.tool.";

    /** @return the unique tool name, e.g. {@code proxmox_vm_list} */
    String name();

    /** @return a short human-readable title, e.g. {@code List VMs} */
    String title() default "";

    /** @return what the tool does, when to use it and what it returns */
    String description();

    /** @return the category, e.g. {@code vm} */
    String category();

    /** @return the scope a caller must hold, one of {@link Scopes} */
    String scope() default Scopes.READ;

    /**
     * @return the tool's risk class, exactly one (an array only so that bundles built before 1.5, which set none,
     *         keep working: the registry then derives it from {@link #readOnly()} and {@link #destructive()})
     * @since 1.5
     */
    Risk[] risk() default {};

    /** @return {@code true} if the tool does not change anything; superseded by {@link #risk()} */
    boolean readOnly() default false;

    /**
     * @return {@code true} if the tool may destroy data or interrupt a running workload (stop, delete,
     *         rollback). As in MCP, the safe assumption is the default: a tool that changes something is
     *         destructive unless it says otherwise. Ignored when {@link #readOnly()} is set.
     */
    boolean destructive() default true;

    /** @return {@code true} if repeating the call with the same arguments has no additional effect */
    boolean idempotent() default false;

    /** @return {@code true} if the tool reaches beyond the Proxmox cluster (the internet, other systems) */
    boolean openWorld() default false;
}
