package io.pvemcp.tools.network.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.api.pve.Upid;
import io.pvemcp.tools.guest.Futures;
import io.pvemcp.tools.guest.GuestTool;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox_network_apply}: applies a node's pending network configuration (a reload of its interfaces, in a
 * task) or reverts it. Applying is a destroy-class call: the question names the node, shows the diff, and warns that
 * a wrong configuration cuts the node off, and this server with it when it reaches Proxmox through that node.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_network_apply", title = "Apply or revert network changes", risk = Risk.DESTROY,
        category = "network", scope = Scopes.ADMIN,
        description = "Applies a node's pending network changes (confirmed; a wrong one cuts the node off), or "
                + "reverts them.")
public final class NetworkApplyTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("node", Net.node())
            .optional("revert", JsonSchema.bool().description("Discard the pending changes instead"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("node", JsonSchema.string())
            .required("applied", JsonSchema.bool())
            .required("reverted", JsonSchema.bool())
            .optional("task", JsonSchema.object().additionalProperties(true))
            .build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    /** Reverting only discards staged changes: a change. Applying them is what can cut a node off. */
    @Override
    public Risk risk(Arguments arguments) {
        return arguments.bool("revert", false) ? Risk.CHANGE : Risk.DESTROY;
    }

    @Override
    public Preview preview(ToolCall call) {
        String node = call.arguments().string("node");
        Net.Config config = Net.read(call.proxmox(), node);
        if (config.changes() == null) {
            return new Preview("Nothing: node " + node + " has no pending network changes.", List.of(), List.of(),
                    null, true, false);
        }
        boolean revert = call.arguments().bool("revert", false);
        if (revert) {
            return new Preview("Discard the pending network changes of node " + node + ":\n" + config.changes(),
                    List.of(Net.target(node, null)), List.of(new Preview.Request("DELETE", "/nodes/" + node
                    + "/network", Map.of("node", node))), "The node's network stays as it runs now.", false, false);
        }
        String own = Net.ownLink(call.proxmox(), config);
        return new Preview("Apply the pending network changes of node " + node + " (its interfaces are reloaded "
                + "now). A wrong configuration cuts " + node + " off the network: its guests, the cluster and SSH"
                + (own == null ? "" : ", and this server, which reaches Proxmox at " + own) + "; fixing it then takes "
                + "the node's console. The changes:\n" + config.changes(), List.of(Net.target(node, null)),
                List.of(new Preview.Request("PUT", "/nodes/" + node + "/network", Map.of("node", node))),
                "The node runs the new configuration.", false, true);
    }

    @Override
    public ToolResult call(ToolCall call) {
        String node = call.arguments().string("node");
        boolean revert = call.arguments().bool("revert", false);
        Net.Config config = Net.read(call.proxmox(), node);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", node);
        if (config.changes() == null) {
            out.put("applied", false);
            out.put("reverted", false);
            return ToolResult.of("Nothing: node " + node + " has no pending network changes.", out);
        }
        if (revert) {
            Futures.join(call.proxmox().delete("/nodes/{node}/network", Map.of("node", node)));
            out.put("applied", false);
            out.put("reverted", true);
            return ToolResult.of("Discarded the pending network changes of " + node + "; it runs as before.", out);
        }
        Object upid = Futures.join(call.proxmox().put("/nodes/{node}/network", Map.of("node", node)));
        out.put("reverted", false);
        if (!Upid.isUpid(upid)) {
            out.put("applied", true);
            return ToolResult.of("Applied the network changes of " + node + ".", out);
        }
        TaskResult task = call.followTask(upid.toString(), Duration.ofSeconds(120), "Reloading the network of "
                + node);
        out.put("task", GuestTool.describe(task));
        if (task.failed()) {
            throw new ToolException(GuestTool.failure("Reloading the network of " + node, task)
                    + " Check the node's console; proxmox_network_list shows what is pending.");
        }
        out.put("applied", !task.running());
        return ToolResult.of(task.running() ? GuestTool.stillRunning("Reloading the network of " + node, task)
                : "Applied the network changes of " + node + " (reloaded in " + task.elapsed().toMillis()
                + " ms):\n" + config.changes(), out);
    }
}
