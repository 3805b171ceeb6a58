package io.pvemcp.tools.guest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.Guests;
import io.pvemcp.api.pve.TaskResult;

/**
 * Clones a guest or template: a full copy, or a linked clone of a template that shares its disks, on the same or
 * another node, under the next free VMID unless one is given.
 */
public abstract class GuestCloneTool extends GuestTool {

    private final Map<String, Object> input;

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("vmid", JsonSchema.integer())
            .required("name", JsonSchema.string())
            .required("node", JsonSchema.string())
            .required("source", JsonSchema.integer())
            .required("full", JsonSchema.bool())
            .required("status", JsonSchema.string())
            .optional("task", taskSchema())
            .build();

    /** @param type the guest type */
    protected GuestCloneTool(GuestType type) {
        super(type);
        this.input = JsonSchema.object()
                .required("vmid", vmidSchema(type).description("The " + type.noun() + " or template to clone"))
                .optional("name", JsonSchema.string().pattern("^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$").maxLength(63)
                        .description("DNS name"))
                .optional("newid", vmidSchema(type).description("Default: the next free"))
                .optional("full", JsonSchema.bool().description("Default true; false (linked) for templates"))
                .optional("target_node", nodeSchema("Default: the source's"))
                .optional("storage", StorageScan.storageSchema("For a full clone's disks"))
                .optional("snapshot", snapshotNameSchema("From this snapshot"))
                .optional("pool", JsonSchema.string().pattern("^[A-Za-z0-9._/-]{1,64}$"))
                .optional("timeout", timeoutSchema(900, "Seconds"))
                .build();
    }

    @Override
    public Map<String, Object> inputSchema() {
        return input;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    private record Plan(GuestRef source, int newid, String node, boolean full, Map<String, Object> params) {
    }

    private Plan plan(ToolCall call) {
        var args = call.arguments();
        GuestRef source = locate(call);
        checkActionable(source, "clone");
        boolean full = args.bool("full", !source.template());
        if (!full && !source.template()) {
            throw new ToolException("A linked clone needs a template; " + name(source) + " is not one. Clone it in "
                    + "full (leave out full), or make it a template first.");
        }
        if (!full && args.has("storage")) {
            throw new ToolException("A linked clone keeps its disks on the template's storage; leave out storage, or "
                    + "make a full clone.");
        }
        String node = Placement.node(call.proxmox(), args.string("target_node", source.node()));
        int newid = Placement.vmid(call.proxmox(), args.has("newid") ? args.integer("newid") : null);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("newid", newid);
        if (args.has("name")) {
            params.put(type == GuestType.VM ? "name" : "hostname", args.string("name"));
        }
        params.put("full", full ? 1 : 0);
        if (!node.equals(source.node())) {
            params.put("target", node);
        }
        if (args.has("storage")) {
            params.put("storage", Placement.storage(call.proxmox(), node, type == GuestType.VM ? "images" : "rootdir",
                    args.string("storage")));
        }
        if (args.has("snapshot")) {
            params.put("snapname", args.string("snapshot"));
        }
        if (args.has("pool")) {
            params.put("pool", args.string("pool"));
        }
        return new Plan(source, newid, node, full, params);
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        return new Preview("Make a " + (p.full ? "full" : "linked") + " clone of " + name(p.source) + " as "
                + type.noun() + " " + p.newid + (p.params.containsKey("name") || p.params.containsKey("hostname")
                        ? " (" + p.params.getOrDefault("name", p.params.get("hostname")) + ")" : "") + " on " + p.node
                + (p.full ? "" : ", sharing the template's disks") + (call.arguments().has("snapshot")
                        ? ", from snapshot '" + call.arguments().string("snapshot") + "'" : "") + ".",
                List.of(target(call, p.source)), List.of(new Preview.Request("POST", concretePath(p.source, "/clone"),
                        p.params)), type.noun() + " " + p.newid + " exists on " + p.node + ", stopped.", true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        String what = "Cloning " + name(p.source) + " to " + p.newid;
        Object answer = call.proxmox().post(p.source.path("/clone"), p.source.params(p.params)).join();
        TaskResult task = call.followTask(upid(answer, what), seconds(call, "timeout", 900), what);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", p.newid);
        out.put("source", p.source.vmid());
        out.put("full", p.full);
        out.put("node", p.node);
        out.put("task", describe(task));
        if (task.running()) {
            out.put("name", "");
            out.put("status", "cloning");
            return ToolResult.of(stillRunning(what, task), out);
        }
        if (task.failed()) {
            throw new ToolException(failure(what, task));
        }
        GuestRef clone = Guests.locate(call.proxmox(), p.newid, type.api(), null).join();
        out.put("name", clone.name() == null ? "" : clone.name());
        out.put("node", clone.node());
        out.put("status", clone.status());
        return ToolResult.of(title(clone) + " is a " + (p.full ? "full" : "linked") + " clone of " + name(p.source)
                + " on " + clone.node() + ", " + clone.status() + " (" + Math.round(task.elapsed().toMillis() / 100.0)
                        / 10.0 + " s). Start it with " + type.toolPrefix() + "_start.", out);
    }
}
