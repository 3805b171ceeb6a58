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
import io.pvemcp.api.pve.Upid;

/** Converts a stopped guest into a template, which can be cloned but never started again. */
public abstract class GuestTemplateTool extends GuestTool {

    private final Map<String, Object> input;

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("vmid", JsonSchema.integer())
            .required("node", JsonSchema.string())
            .required("template", JsonSchema.bool())
            .required("changed", JsonSchema.bool())
            .build();

    /** @param type the guest type */
    protected GuestTemplateTool(GuestType type) {
        super(type);
        this.input = JsonSchema.object()
                .required("vmid", vmidSchema(type))
                .optional("node", guestNodeSchema())
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

    private GuestRef check(ToolCall call) {
        GuestRef guest = locate(call);
        if (guest.template()) {
            return guest;
        }
        checkActionable(guest, "convert");
        if ("running".equals(guest.status())) {
            throw new ToolException(title(guest) + " is running; only a stopped guest becomes a template. Shut it "
                    + "down first (" + type.toolPrefix() + "_shutdown).");
        }
        return guest;
    }

    @Override
    public Preview preview(ToolCall call) {
        GuestRef guest = check(call);
        if (guest.template()) {
            return new Preview("Nothing: " + name(guest) + " is already a template.", List.of(target(call, guest)),
                    List.of(), "Unchanged.", true, false);
        }
        return new Preview("Convert " + name(guest) + " on " + guest.node() + " into a template: it can be cloned "
                + "(" + type.toolPrefix() + "_clone, also linked), but never started again, and this cannot be "
                + "undone.", List.of(target(call, guest)), List.of(new Preview.Request("POST", concretePath(guest,
                        "/template"), Map.of())), title(guest) + " is a template.", false, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        GuestRef guest = check(call);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", guest.vmid());
        out.put("node", guest.node());
        out.put("template", true);
        if (guest.template()) {
            out.put("changed", false);
            return ToolResult.of(title(guest) + " is already a template; nothing to do.", out);
        }
        Object answer = call.proxmox().post(guest.path("/template"), guest.params()).join();
        if (Upid.isUpid(answer)) {
            var task = call.followTask(upid(answer, "Converting " + name(guest)), seconds(call, "timeout", 300),
                    "Converting " + name(guest));
            if (!task.running() && task.failed()) {
                throw new ToolException(failure("Converting " + name(guest), task));
            }
        }
        out.put("changed", true);
        return ToolResult.of(title(guest) + " is now a template. Clone it with " + type.toolPrefix() + "_clone.", out);
    }
}
