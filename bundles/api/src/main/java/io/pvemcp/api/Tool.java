package io.pvemcp.api;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A tool that an MCP client (an AI assistant) can call.
 *
 * <h2>Registration</h2>
 * Register an implementation as an OSGi service of this interface, with the service properties below.
 * With Declarative Services, annotate the component with {@link ToolService}, which sets them:
 *
 * <table>
 * <caption>Service properties read by the registry</caption>
 * <tr><th>property</th><th>type</th><th>meaning</th></tr>
 * <tr><td>{@value #NAME}</td><td>String, required</td><td>unique tool name: letters, digits, {@code _} and {@code -},
 * 1 to 64 characters (what every MCP client accepts); by convention {@code proxmox_<category>_<verb>}</td></tr>
 * <tr><td>{@value #TITLE}</td><td>String</td><td>short human-readable title</td></tr>
 * <tr><td>{@value #DESCRIPTION}</td><td>String, required</td><td>what the tool does, when to use it and
 * what it returns; this is what the model reads to choose the tool</td></tr>
 * <tr><td>{@value #CATEGORY}</td><td>String, required</td><td>e.g. {@code system}, {@code vm},
 * {@code ct}, {@code storage}, {@code cluster}</td></tr>
 * <tr><td>{@value #SCOPE}</td><td>String</td><td>the permission scope a caller needs, one of
 * {@link Scopes}; default {@link Scopes#READ}</td></tr>
 * <tr><td>{@value #RISK}</td><td>String, one of {@code read}, {@code power}, {@code change}, {@code destroy}</td>
 * <td>the tool's {@link Risk}: which calls a human confirms, which accept {@code dry_run}, which guard rails apply,
 * and the read-only and destructive hints clients see. When it is missing (bundles built before 1.5), it follows
 * from the hints: read-only is {@code read}, destructive is {@code destroy}, anything else {@code change}</td></tr>
 * <tr><td>{@value #READ_ONLY}, {@value #DESTRUCTIVE}, {@value #IDEMPOTENT}, {@value #OPEN_WORLD}</td>
 * <td>Boolean</td><td>behaviour hints shown to the client (see {@link ToolService}); read-only and destructive
 * are ignored when {@value #RISK} is set</td></tr>
 * <tr><td>{@code service.ranking}</td><td>Integer</td><td>when two tools share a name, the higher
 * ranking wins; the other is held back and promoted when the winner goes away</td></tr>
 * </table>
 *
 * <h2>Threading and lifecycle</h2>
 * {@link #call(ToolCall)} runs on a worker thread of the registry and may block, for example while it
 * waits for a Proxmox task. Calls may run concurrently, so implementations must be thread-safe; the simplest
 * way is to keep no mutable state. A call should return promptly once
 * {@link RequestContext#cancellation()} reports cancellation.
 * <p>
 * {@link #inputSchema()} and {@link #outputSchema()} are read once, when the registry accepts the service.
 * To change them, re-register the service (update its properties or restart the component).
 *
 * <h2>Errors</h2>
 * Throw {@link ToolException} with a message that tells the model what to fix ("VM 123 does not exist on
 * node pve1; list VMs with proxmox_vm_list"). A {@link io.pvemcp.api.pve.ProxmoxException} from the
 * Proxmox client may simply propagate: the registry turns it into a tool error with the Proxmox message.
 * Any other exception is reported as an internal error with a reference id; its message and stack trace
 * stay in the server log, because they may hold details a client must not see.
 */
@ConsumerType
public interface Tool {

    /** Service property: the tool name. */
    String NAME = "pvemcp.tool.name";
    /** Service property: the human-readable title. */
    String TITLE = "pvemcp.tool.title";
    /** Service property: the description the model reads. */
    String DESCRIPTION = "pvemcp.tool.description";
    /** Service property: the category. */
    String CATEGORY = "pvemcp.tool.category";
    /** Service property: the scope a caller needs. */
    String SCOPE = "pvemcp.tool.scope";
    /**
     * Service property: the tool's {@link Risk}, by its {@link Risk#id()}.
     *
     * @since 1.5
     */
    String RISK = "pvemcp.tool.risk";
    /** Service property: the tool only reads. */
    String READ_ONLY = "pvemcp.tool.readOnly";
    /** Service property: the tool may destroy or interrupt something (only meaningful when not read-only). */
    String DESTRUCTIVE = "pvemcp.tool.destructive";
    /** Service property: calling the tool twice with the same arguments has no further effect. */
    String IDEMPOTENT = "pvemcp.tool.idempotent";
    /** Service property: the tool reaches beyond the Proxmox cluster. */
    String OPEN_WORLD = "pvemcp.tool.openWorld";

    /**
     * The JSON Schema (draft 2020-12) of the tool's arguments. It must describe a JSON object
     * ({@code "type": "object"}). Give every property a description, a type and its constraints
     * (ranges, patterns, enums), so a model fills the arguments right the first time; build it with
     * {@link JsonSchema}.
     *
     * @return the schema as JSON-shaped Java values; never {@code null}
     */
    Map<String, Object> inputSchema();

    /**
     * The JSON Schema of the structured result ({@link ToolResult#structuredContent()}), or {@code null}
     * when the tool returns text only. When present, every successful result must conform to it; the
     * registry checks this and reports a non-conforming result as an error.
     *
     * @return the schema, or {@code null}
     */
    default Map<String, Object> outputSchema() {
        return null;
    }

    /**
     * The scopes a call with these arguments needs besides the tool's own {@value #SCOPE}, because the arguments ask
     * for a side effect of another kind: {@code proxmox_vm_create} with {@code start=true} also powers a guest on,
     * so it also needs {@link Scopes#POWER}. The registry checks them before the call runs and refuses it, naming the
     * reason, when the caller lacks one; nothing has happened then. (Independently, every Proxmox request a call makes
     * is held to the scope of its effect, so a tool that forgets to declare one fails at that request instead.)
     * <p>
     * Called on a worker thread before {@link #call(ToolCall)}, with validated arguments; it must not block.
     *
     * @param arguments the call's arguments
     * @return scope to the reason it is needed (e.g. {@code "start=true starts the VM"}); by default none
     * @since 1.4
     */
    default Map<String, String> additionalScopes(Arguments arguments) {
        return Map.of();
    }

    /**
     * The risk class of a call with these arguments, for a tool whose calls differ in what they can do: the generic
     * {@code proxmox_api} reads with {@code GET} and deletes with {@code DELETE}. The registry confirms, previews and
     * guards the call by this class ({@link Risk#READ}: as a read, without preview or confirmation). It never exceeds
     * the tool's declared {@value #RISK}, which clients see in the tool's hints: a higher class counts as the declared
     * one.
     * <p>
     * Called on a worker thread before {@link #call(ToolCall)}, with validated arguments; it must not block.
     *
     * @param arguments the call's arguments
     * @return the call's risk class; {@code null} (the default) for the tool's declared one
     * @since 2.3
     */
    default Risk risk(Arguments arguments) {
        return null;
    }

    /**
     * Finds out what a call with these arguments would do, without changing anything: the target as it is now, the
     * Proxmox requests the call would make, the state afterwards. The registry calls it for every call of a tool whose
     * {@link Risk} is not {@link Risk#READ}: it answers {@code dry_run: true} with it, shows its summary to the human
     * who confirms the call, and holds its targets against the operator's guard rails, all before
     * {@link #call(ToolCall)} runs. It may read Proxmox (the client refuses anything but reads here) and should fail,
     * like {@code call}, with a {@link ToolException} for arguments that cannot work (a VMID that does not exist), so
     * nobody is asked to confirm a call that would fail.
     * <p>
     * The registry adds {@code dry_run} (and, for tools that can stop a workload, {@code ha}) to the input schema and
     * removes them from the arguments a tool sees.
     *
     * @param call the validated arguments; its Proxmox client only reads
     * @return the preview; {@code null} (the default) when the tool cannot tell: its calls then get a generic summary
     *         naming the tool and its arguments, and {@code dry_run} is refused
     * @throws ToolException when the call cannot work, for a reason the caller can fix
     * @throws Exception any other failure; reported as an internal error
     * @since 1.5
     */
    default Preview preview(ToolCall call) throws Exception {
        return null;
    }

    /**
     * Runs the tool.
     *
     * @param call the validated arguments and everything else the call needs
     * @return the result; never {@code null}
     * @throws ToolException when the call cannot be completed for a reason the caller can fix
     * @throws Exception any other failure; reported to the client as an internal error
     */
    ToolResult call(ToolCall call) throws Exception;
}
