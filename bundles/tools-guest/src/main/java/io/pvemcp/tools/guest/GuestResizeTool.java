package io.pvemcp.tools.guest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.TaskResult;

/** Grows a disk of a guest, by an amount ({@code +10G}) or to a size ({@code 64G}); Proxmox cannot shrink one. */
public abstract class GuestResizeTool extends GuestTool {

    private static final Pattern SIZE = Pattern.compile("(\\+)?(\\d+(?:\\.\\d+)?)([KMGT])");

    private final Map<String, Object> input;

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("vmid", JsonSchema.integer())
            .required("disk", JsonSchema.string())
            .required("old_size", JsonSchema.string())
            .required("new_size", JsonSchema.string())
            .required("old_bytes", JsonSchema.integer())
            .required("new_bytes", JsonSchema.integer())
            .optional("task", taskSchema())
            .build();

    /** @param type the guest type */
    protected GuestResizeTool(GuestType type) {
        super(type);
        this.input = JsonSchema.object()
                .required("vmid", vmidSchema(type))
                .required("size", JsonSchema.string().pattern("^\\+?\\d+(\\.\\d+)?[KMGT]$").description("+10G to grow "
                        + "by, 64G to grow to (K, M, G, T)"))
                .optional("disk", JsonSchema.string().pattern(type == GuestType.VM
                        ? "^(scsi|virtio|sata|ide|efidisk|tpmstate)\\d+$" : "^(rootfs|mp\\d+)$").description("Default: "
                                + (type == GuestType.VM ? "the boot disk" : "rootfs")))
                .optional("node", guestNodeSchema())
                .optional("timeout", timeoutSchema(300, "Seconds"))
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

    private record Plan(GuestRef guest, String disk, String volume, long from, long to, String size) {
    }

    private Plan plan(ToolCall call) {
        GuestRef guest = locate(call);
        checkActionable(guest, "resize a disk of");
        Map<String, Object> config = Json.map(call.proxmox().get(guest.path("/config"), guest.params()).join());
        String disk = call.arguments().string("disk", null);
        if (disk == null) {
            disk = bootDisk(config);
        }
        Object line = config.get(disk);
        if (line == null || String.valueOf(line).contains("media=cdrom")) {
            throw new ToolException(title(guest) + " has no disk " + disk + ". Its disks: " + String.join(", ",
                    config.keySet().stream().filter(k -> k.matches("(scsi|virtio|sata|ide|efidisk|tpmstate|mp)\\d+|rootfs")
                            && !String.valueOf(config.get(k)).contains("media=cdrom")).toList()) + ".");
        }
        Map<String, String> parsed = PropertyStrings.parse(line, type == GuestType.VM ? "file" : "volume");
        long from = PropertyStrings.bytes(parsed.get("size"));
        String size = call.arguments().string("size");
        Matcher m = SIZE.matcher(size);
        if (!m.matches()) {
            throw new ToolException("Size '" + size + "' is not +<amount> or <amount> with K, M, G or T, e.g. +10G.");
        }
        long amount = (long) (Double.parseDouble(m.group(2)) * (1L << switch (m.group(3)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 40;
        }));
        long to = m.group(1) != null ? from + amount : amount;
        if (from >= 0 && to <= from) {
            throw new ToolException("Proxmox cannot shrink a disk: " + disk + " of " + name(guest) + " is "
                    + Sizes.bytes(from) + " and " + size + " is not more. To grow it, give a larger size or +<amount>.");
        }
        return new Plan(guest, disk, parsed.get(type == GuestType.VM ? "file" : "volume"), from, to, size);
    }

    /** @return the disk a VM boots from (its {@code boot order} or first disk), or {@code rootfs} */
    private String bootDisk(Map<String, Object> config) {
        if (type == GuestType.CONTAINER) {
            return "rootfs";
        }
        String boot = Json.string(config, "boot");
        if (boot != null && boot.startsWith("order=")) {
            for (String key : boot.substring(6).split(";")) {
                if (config.get(key) != null && !String.valueOf(config.get(key)).contains("media=cdrom")) {
                    return key;
                }
            }
        }
        for (String key : List.of("scsi0", "virtio0", "sata0", "ide0")) {
            if (config.get(key) != null && !String.valueOf(config.get(key)).contains("media=cdrom")) {
                return key;
            }
        }
        throw new ToolException("The VM has no disk to grow; give disk.");
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        return new Preview("Grow " + p.disk + " (" + p.volume + ") of " + name(p.guest) + " from " + Sizes.bytes(p.from)
                + " to " + Sizes.bytes(p.to) + ". It cannot be shrunk again" + (type == GuestType.VM
                        ? "; the partition and file system inside the VM must be grown there." : "."),
                List.of(target(call, p.guest)), List.of(new Preview.Request("PUT", concretePath(p.guest, "/resize"),
                        Map.of("disk", p.disk, "size", p.size))), p.disk + " is " + Sizes.bytes(p.to) + ".", false,
                false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        String what = "Growing " + p.disk + " of " + name(p.guest);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("disk", p.disk);
        params.put("size", p.size);
        Object answer = call.proxmox().put(p.guest.path("/resize"), p.guest.params(params)).join();
        TaskResult task = null;
        if (answer != null) {
            task = call.followTask(upid(answer, what), seconds(call, "timeout", 300), what);
            if (!task.running() && task.failed()) {
                throw new ToolException(failure(what, task));
            }
        }
        Map<String, Object> config = Json.map(call.proxmox().get(p.guest.path("/config"), p.guest.params()).join());
        long now = PropertyStrings.bytes(PropertyStrings.parse(config.get(p.disk), "file").get("size"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", p.guest.vmid());
        out.put("disk", p.disk);
        out.put("old_size", Sizes.bytes(p.from));
        out.put("new_size", Sizes.bytes(now));
        out.put("old_bytes", p.from);
        out.put("new_bytes", now);
        if (task != null) {
            out.put("task", describe(task));
            if (task.running()) {
                return ToolResult.of(stillRunning(what, task), out);
            }
        }
        return ToolResult.of(p.disk + " of " + name(p.guest) + " grew from " + Sizes.bytes(p.from) + " to "
                + Sizes.bytes(now) + "." + (type == GuestType.VM ? " Grow the partition and file system inside the VM "
                        + "to use the space (e.g. growpart and resize2fs; cloud-init images do it at boot)." : ""),
                out);
    }
}
