package io.pvemcp.api;

/**
 * A tool call failed for a reason the caller can understand and usually fix. The message goes to the
 * model as a tool error, verbatim: say what was wrong and what to do instead, and never include secrets.
 *
 * <pre>
 * throw new ToolException("VM 123 does not exist. Call proxmox_vm_list to see the VMs you can use.");
 * </pre>
 */
public class ToolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong and what to do about it
     */
    public ToolException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do about it
     * @param cause the underlying failure, kept for the server log only
     */
    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An argument has a value the tool cannot use.
     *
     * @param name the argument name
     * @param problem what is wrong with it, phrased so the caller can fix it
     * @return the exception
     */
    public static ToolException invalidArgument(String name, String problem) {
        return new ToolException("Invalid argument '" + name + "': " + problem);
    }
}
