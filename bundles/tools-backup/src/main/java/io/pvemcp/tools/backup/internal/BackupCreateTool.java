package io.pvemcp.tools.backup.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.StorageScan;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_backup_create", title = "Back up guests", risk = Risk.CHANGE, category = "backup",
        scope = Scopes.WRITE,
        description = "Backs up guests (VMIDs, all, all VMs or containers, or a pool) with vzdump and waits; reports "
                + "each guest's archive.")
public final class BackupCreateTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("vmid", JsonSchema.array(GuestTool.vmidSchema(null)).minItems(1).maxItems(500))
            .optional("all", JsonSchema.string().enumValues("guests", "vms", "containers").description(
                    "Instead of vmid; not templates"))
            .optional("pool", JsonSchema.string().pattern("^[A-Za-z0-9._/-]{1,64}$").description("Every member"))
            .optional("exclude", JsonSchema.array(GuestTool.vmidSchema(null)).description("With all or pool"))
            .optional("storage", StorageScan.storageSchema("Default: the node's vzdump default"))
            .optional("mode", JsonSchema.string().enumValues("snapshot", "suspend", "stop").defaultValue("snapshot"))
            .optional("compress", JsonSchema.string().enumValues("zstd", "gzip", "lzo", "none").defaultValue("zstd"))
            .optional("notes", JsonSchema.string().maxLength(1024).description("Notes; {{guestname}}, {{vmid}}, "
                    + "{{node}} are filled in"))
            .optional("protected", JsonSchema.bool().description("Protect from deletion and pruning"))
            .optional("timeout", GuestTool.timeoutSchema(1800, "Seconds"))
            .build();

    private static final Map<String, Object> OUTPUT = Vzdump.output().build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    private Vzdump.Plan plan(ToolCall call) {
        var args = call.arguments();
        int ways = (args.has("vmid") ? 1 : 0) + (args.has("all") ? 1 : 0) + (args.has("pool") ? 1 : 0);
        if (ways != 1) {
            throw new ToolException("Say what to back up with exactly one of vmid (a list), all (guests, vms or "
                    + "containers) or pool.");
        }
        if (args.has("exclude") && args.has("vmid")) {
            throw new ToolException("exclude goes with all or pool; with vmid, list only the guests to back up.");
        }
        Map<Long, Map<String, Object>> resources = Vzdump.resources(call);
        List<Long> excluded = ids(args.asMap().get("exclude"));
        List<Long> vmids = new ArrayList<>();
        if (args.has("vmid")) {
            vmids.addAll(ids(args.asMap().get("vmid")));
        } else {
            String all = args.string("all", null);
            String pool = args.string("pool", null);
            if (pool != null && resources.values().stream().noneMatch(r -> pool.equals(r.get("pool")))) {
                throw new ToolException("Pool " + pool + " has no guests (or does not exist).");
            }
            for (Map.Entry<Long, Map<String, Object>> e : resources.entrySet()) {
                Map<String, Object> r = e.getValue();
                boolean wanted = pool != null ? pool.equals(r.get("pool")) : switch (all) {
                    case "vms" -> "qemu".equals(r.get("type"));
                    case "containers" -> "lxc".equals(r.get("type"));
                    default -> true;
                };
                if (wanted && !Json.bool(r, "template", false) && !excluded.contains(e.getKey())) {
                    vmids.add(e.getKey());
                }
            }
            if (vmids.isEmpty()) {
                throw new ToolException("No guests match: nothing to back up.");
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("storage", args.string("storage", null));
        settings.put("mode", args.string("mode", "snapshot"));
        String compress = args.string("compress", "zstd");
        settings.put("compress", compress.equals("none") ? "0" : compress);
        if (args.has("notes")) {
            settings.put("notes-template", args.string("notes"));
        }
        if (args.bool("protected", false)) {
            settings.put("protected", 1);
        }
        return Vzdump.plan(call, resources, vmids, settings);
    }

    static List<Long> ids(Object value) {
        List<Long> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                out.add(((Number) o).longValue());
            }
        }
        return out;
    }

    @Override
    public Preview preview(ToolCall call) {
        return Vzdump.preview(plan(call));
    }

    @Override
    public ToolResult call(ToolCall call) {
        Vzdump.Plan p = plan(call);
        return Vzdump.run(call, p, Duration.ofSeconds(call.arguments().integer("timeout", 1800)), "Backing up "
                + p.guests().size() + " guest" + (p.guests().size() == 1 ? "" : "s"));
    }
}
