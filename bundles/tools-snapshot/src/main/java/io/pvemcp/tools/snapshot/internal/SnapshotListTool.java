package io.pvemcp.tools.snapshot.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.GuestRef;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_snapshot_list", title = "List snapshots", risk = Risk.READ, category = "snapshot",
        description = "Snapshots of a VM or container as a tree (parent, date, description, RAM) and the one it "
                + "follows now.")
public final class SnapshotListTool extends SnapshotTool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("vmid", vmidSchema(null))
            .optional("node", guestNodeSchema())
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("vmid", JsonSchema.integer())
            .required("type", JsonSchema.string().enumValues("qemu", "lxc"))
            .required("node", JsonSchema.string())
            .optional("current_parent", JsonSchema.string().description("The snapshot the current state follows"))
            .required("snapshots", JsonSchema.array(JsonSchema.object()
                    .required("name", JsonSchema.string())
                    .optional("parent", JsonSchema.string())
                    .optional("taken", JsonSchema.string().description("ISO 8601, UTC"))
                    .optional("age", JsonSchema.string())
                    .required("description", JsonSchema.string())
                    .required("ram", JsonSchema.bool().description("holds the RAM state of a running VM"))
                    .required("current", JsonSchema.bool().description("the current state follows it"))
                    .required("depth", JsonSchema.integer().minimum(0))).description("Tree order, oldest first"))
            .build();

    public SnapshotListTool() {
        super();
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
        GuestRef guest = locate(call);
        Tree tree = tree(call, guest);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", guest.vmid());
        out.put("type", guest.type());
        out.put("node", guest.node());
        if (tree.current() != null) {
            out.put("current_parent", tree.current());
        }
        List<Map<String, Object>> list = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<Snap, Integer> e : tree.ordered()) {
            Snap s = e.getKey();
            Map<String, Object> m = s.describe(tree.current());
            m.put("depth", e.getValue());
            list.add(m);
            lines.append('\n').append("  ".repeat(e.getValue())).append("- ").append(s.name()).append(" (")
                    .append(s.when()).append(s.ram() ? ", with RAM" : "").append(')')
                    .append(s.description().isEmpty() ? "" : ": " + firstLine(s.description()))
                    .append(s.name().equals(tree.current()) ? "  ← current state" : "");
        }
        out.put("snapshots", list);
        String text;
        if (list.isEmpty()) {
            text = title(guest) + " on " + guest.node() + " has no snapshots. Take one with proxmox_snapshot_create.";
        } else {
            text = title(guest) + " on " + guest.node() + " has " + list.size() + " snapshot"
                    + (list.size() == 1 ? "" : "s") + (tree.current() == null ? "; its current state follows none."
                            : "; its current state follows '" + tree.current() + "'.") + lines;
        }
        return ToolResult.of(text, out);
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 80 ? line.substring(0, 79) + "…" : line;
    }
}
