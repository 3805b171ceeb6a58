package io.pvemcp.registry.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.registry.ToolRegistry;

/**
 * How a call held for a person's approval stands, for the caller that made it, and its outcome once it ran. The
 * registry registers it itself ({@link #properties()}), as it serves the approvals.
 */
final class ApprovalStatusTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("approval_id", JsonSchema.string().pattern("^ap-[0-9a-f-]{1,40}$").description(
                    "From the held call, e.g. ap-1f2e3d4c"))
            .build();
    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("approval_id", JsonSchema.string())
            .required("tool", JsonSchema.string())
            .required("state", JsonSchema.string().description("pending, approved (running), done, failed, rejected "
                    + "or expired"))
            .required("summary", JsonSchema.string())
            .required("expires", JsonSchema.string())
            .optional("decided_by", JsonSchema.string())
            .optional("decided", JsonSchema.string())
            .optional("result", JsonSchema.string())
            .optional("structured_result", JsonSchema.object().additionalProperties(true))
            .build();

    private final java.util.function.Function<String, ToolRegistry.Approval> approvals;

    ApprovalStatusTool(java.util.function.Function<String, ToolRegistry.Approval> approvals) {
        this.approvals = approvals;
    }

    /** @return its service properties */
    static java.util.Dictionary<String, Object> properties() {
        java.util.Hashtable<String, Object> p = Properties.readTool("proxmox_approval_status", "Follow an approval",
                Toolsets.REGISTRY, "How a call held for a person's approval stands: pending, rejected, expired, or done "
                        + "with its result.");
        p.put(Tool.IDEMPOTENT, true);
        return p;
    }

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    @Override
    public ToolResult call(ToolCall call) {
        String id = call.arguments().string("approval_id");
        ToolRegistry.Approval a = approvals.apply(id);
        if (a == null || !(a.owner().equals(Approvals.identity(call.caller())) || call.caller().hasScope(Scopes.ADMIN))) {
            throw new ToolException("There is no approval " + id + " of yours (an approval is forgotten an hour after "
                    + "it is decided). Check the id the held call returned.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("approval_id", a.id());
        out.put("tool", a.tool());
        out.put("state", a.state());
        out.put("summary", a.summary());
        out.put("expires", Instant.ofEpochMilli(a.expires()).toString());
        if (a.decidedBy() != null) {
            out.put("decided_by", a.decidedBy());
        }
        if (a.decided() > 0) {
            out.put("decided", Instant.ofEpochMilli(a.decided()).toString());
        }
        if (a.result() != null) {
            out.put("result", a.result());
        }
        if (a.structuredContent() != null) {
            out.put("structured_result", a.structuredContent());
        }
        String text = switch (a.state()) {
            case "pending" -> "Approval " + id + " of " + a.tool() + " is still pending; nothing was done yet. A person "
                    + "decides in the admin console before " + out.get("expires") + ".";
            case "approved" -> "Approval " + id + " was approved by " + a.decidedBy() + "; " + a.tool() + " is running.";
            case "done" -> "Approval " + id + " was approved by " + a.decidedBy() + " and " + a.tool() + " is done: "
                    + a.result();
            case "failed" -> "Approval " + id + " was approved by " + a.decidedBy() + " but " + a.tool() + " failed: "
                    + a.result();
            case "rejected" -> "Approval " + id + " was rejected by " + a.decidedBy() + "; nothing was done. Do not try "
                    + "again unless the user asks for it.";
            default -> "Approval " + id + " expired before anyone decided; nothing was done.";
        };
        return ToolResult.of(text, out);
    }
}
