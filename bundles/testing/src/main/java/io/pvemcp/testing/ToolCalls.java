package io.pvemcp.testing;

import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.ProxmoxClient;

/**
 * Calls tools as a test does against a simulated cluster: arguments checked against the input schema, the result
 * against the output schema, a failed result or a missing refusal reported as an {@link AssertionError}.
 */
public final class ToolCalls {

    private final ProxmoxClient client;

    /** @param client the Proxmox client the calls use */
    public ToolCalls(ProxmoxClient client) {
        this.client = client;
    }

    /**
     * @param tool the tool
     * @param args its arguments, which must conform to its input schema
     * @return its result, which must be no error and conform to its output schema
     * @throws Exception what the tool throws
     */
    public ToolResult call(Tool tool, Map<String, Object> args) throws Exception {
        check("arguments", JsonSchemas.problems(tool.inputSchema(), args), args);
        ToolResult r = tool.call(new RecordingToolCall(args, client));
        if (r.isError()) {
            throw new AssertionError("the call failed: " + r.text());
        }
        check("result", JsonSchemas.problems(tool.outputSchema(), r.structuredContent()), r.text());
        return r;
    }

    /**
     * @param tool the tool
     * @param args its arguments
     * @return what it would do
     * @throws Exception what its preview throws
     */
    public Preview preview(Tool tool, Map<String, Object> args) throws Exception {
        return tool.preview(new RecordingToolCall(args, client));
    }

    /**
     * @param type what the tool must throw
     * @param tool the tool
     * @param args its arguments (not checked against the schema: a refusal may be about them)
     * @return what it threw
     */
    public <T extends Throwable> T refusal(Class<T> type, Tool tool, Map<String, Object> args) {
        try {
            ToolResult r = tool.call(new RecordingToolCall(args, client));
            throw new AssertionError("expected " + type.getSimpleName() + ", but the call answered: " + r.text());
        } catch (Throwable e) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
            if (e instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError("expected " + type.getSimpleName() + ", but it threw " + e, e);
        }
    }

    /**
     * @param node the node
     * @param type {@code qemu} or {@code lxc}
     * @param vmid the guest
     * @return its configuration, pending changes applied, as Proxmox answers it
     */
    public Map<String, Object> config(String node, String type, int vmid) {
        return Json.map(client.get("/nodes/{node}/" + type + "/{vmid}/config", Map.of("node", node, "vmid", vmid))
                .join());
    }

    private static void check(String what, List<String> problems, Object context) {
        if (!problems.isEmpty()) {
            throw new AssertionError("schema problems in the " + what + ": " + problems + " (" + context + ")");
        }
    }
}
