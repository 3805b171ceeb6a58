package io.pvemcp.tools.ct.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Listing;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.GuestType;
import io.pvemcp.tools.guest.Placement;
import io.pvemcp.tools.guest.PropertyStrings;
import io.pvemcp.tools.guest.Sizes;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ct_create", title = "Create a container", risk = Risk.CHANGE, category = "ct",
        scope = Scopes.WRITE,
        description = "Creates an LXC container from a template (volid or a name such as debian-13; see "
                + "proxmox_template_list) and waits.")
public final class CtCreateTool extends GuestTool {

    private static final int DEFAULT_TIMEOUT = 300;
    private static final String VOLID = "^" + PropertyStrings.STORAGE_ID + ":vztmpl/[A-Za-z0-9._+@-]+$";

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("hostname", JsonSchema.string().pattern("^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$").maxLength(63)
                    .description("DNS name, e.g. dns02"))
            .required("template", JsonSchema.string().minLength(2).maxLength(255).description(
                    "Volid, or a name such as debian-13 (proxmox_template_list)"))
            .optional("node", nodeSchema("Default: the one with most free memory"))
            .optional("vmid", vmidSchema(GuestType.CONTAINER).description("Default: the next free"))
            .optional("disk_gb", JsonSchema.integer().minimum(1).maximum(65_536).description("Default 8"))
            .optional("storage", JsonSchema.string().pattern("^[a-zA-Z][a-zA-Z0-9._-]*[a-zA-Z0-9]$").description(
                    "Default: local-lvm, else the roomiest"))
            .optional("cores", JsonSchema.integer().minimum(1).maximum(512).description("Default 1"))
            .optional("memory_mb", JsonSchema.integer().minimum(16).maximum(4_194_304).description("Default 512"))
            .optional("swap_mb", JsonSchema.integer().minimum(0).maximum(4_194_304).description("Default 512"))
            .optional("password", JsonSchema.string().minLength(5).maxLength(128).description("Root password"))
            .optional("ssh_keys", JsonSchema.string().minLength(20).maxLength(16_384)
                    .description("Root's SSH keys, one per line"))
            .optional("bridge", JsonSchema.string().pattern("^[a-zA-Z][a-zA-Z0-9_.-]*$").maxLength(20)
                    .description("Default vmbr0"))
            .optional("ip", JsonSchema.string().pattern("^(dhcp|\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2})$")
                    .description("dhcp (default) or CIDR, e.g. 10.0.0.5/24"))
            .optional("gateway", JsonSchema.string().pattern("^\\d{1,3}(\\.\\d{1,3}){3}$")
                    .description("With a static ip"))
            .optional("vlan", JsonSchema.integer().minimum(1).maximum(4094).description("NIC's VLAN tag"))
            .optional("unprivileged", JsonSchema.bool().defaultValue(true).description("Safer"))
            .optional("nesting", JsonSchema.bool().description(
                    "Needed by recent systemd; default: on if unprivileged"))
            .optional("description", JsonSchema.string().maxLength(8192).description("Notes"))
            .optional("tags", JsonSchema.array(JsonSchema.string().pattern("^[a-zA-Z0-9_][a-zA-Z0-9_+.-]*$")
                    .maxLength(64)).maxItems(20).description("e.g. [\"dns\"]"))
            .optional("pool", JsonSchema.string().pattern("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+){0,2}$")
                    .description("Pool to add it to"))
            .optional("start", JsonSchema.bool().defaultValue(false).description("Start it afterwards"))
            .optional("timeout", timeoutSchema(DEFAULT_TIMEOUT, "Seconds"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("vmid", JsonSchema.integer())
            .required("hostname", JsonSchema.string())
            .required("node", JsonSchema.string())
            .required("status", JsonSchema.string())
            .required("template", JsonSchema.string().description("The template volume used"))
            .required("cores", JsonSchema.integer())
            .required("memory_mb", JsonSchema.integer())
            .required("rootfs", JsonSchema.string())
            .required("networks", JsonSchema.array(JsonSchema.string()))
            .required("unprivileged", JsonSchema.bool())
            .required("task", taskSchema())
            .build();

    public CtCreateTool() {
        super(GuestType.CONTAINER);
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
    public Map<String, String> additionalScopes(Arguments arguments) {
        return arguments.bool("start", false) ? Map.of(Scopes.POWER, "start=true starts the container") : Map.of();
    }

    /** What a call creates: the request it sends, worked out from the arguments and the cluster as it is. */
    private record Plan(String node, int vmid, String hostname, String template, Map<String, Object> params) {
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan plan = plan(call);
        Arguments args = call.arguments();
        String from = plan.template.substring(plan.template.indexOf('/') + 1);
        return new Preview("Create container " + plan.vmid + " (" + plan.hostname + ") on " + plan.node + " from "
                + from + ": " + plan.params.get("cores") + " core(s), " + plan.params.get("memory") + " MiB RAM, root "
                + "disk " + plan.params.get("rootfs") + " GiB" + (args.bool("start", false) ? ", and start it." : "."),
                List.of(), List.of(new Preview.Request("POST", "/nodes/" + plan.node + "/lxc", plan.params)),
                "Container " + plan.vmid + " exists on " + plan.node + ", " + (args.bool("start", false) ? "running"
                        : "stopped") + (args.has("vmid") ? "" : " (the VMID is the next free one now)") + ".",
                true, false);
    }

    private Plan plan(ToolCall call) {
        Arguments args = call.arguments();
        ProxmoxClient pve = call.proxmox();
        if (args.has("gateway") && "dhcp".equals(args.string("ip", "dhcp"))) {
            throw new ToolException("A gateway goes with a static ip (such as 10.0.0.5/24), not with DHCP.");
        }
        String hostname = args.string("hostname");
        String node = Placement.node(pve, args.string("node", null));
        String template = template(pve, node, args.string("template"));
        int vmid = Placement.vmid(pve, args.optionalInteger("vmid").orElse(null));
        String storage = Placement.storage(pve, node, "rootdir", args.string("storage", null));
        boolean unprivileged = args.bool("unprivileged", true);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("node", node);
        p.put("vmid", vmid);
        p.put("hostname", hostname);
        p.put("ostemplate", template);
        p.put("rootfs", PropertyStrings.value("storage", storage) + ":" + args.integer("disk_gb", 8));
        p.put("cores", args.integer("cores", 1));
        p.put("memory", args.integer("memory_mb", 512));
        p.put("swap", args.integer("swap_mb", 512));
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("name", "eth0");
        net.put("bridge", args.string("bridge", "vmbr0"));
        net.put("ip", args.string("ip", "dhcp"));
        net.put("gw", args.string("gateway", null));
        net.put("tag", args.optionalInteger("vlan").orElse(null));
        p.put("net0", PropertyStrings.format(net));
        p.put("unprivileged", unprivileged ? 1 : 0);
        if (args.bool("nesting", unprivileged)) {
            p.put("features", "nesting=1");
        }
        if (args.has("password")) {
            p.put("password", args.string("password"));
        }
        if (args.has("ssh_keys")) {
            p.put("ssh-public-keys", args.string("ssh_keys").strip() + "\n");
        }
        if (args.has("description")) {
            p.put("description", args.string("description"));
        }
        if (args.has("tags")) {
            p.put("tags", String.join(";", args.strings("tags")));
        }
        if (args.has("pool")) {
            p.put("pool", args.string("pool"));
        }
        if (args.bool("start", false)) {
            p.put("start", 1);
        }
        return new Plan(node, vmid, hostname, template, p);
    }

    @Override
    public ToolResult call(ToolCall call) throws Exception {
        Plan plan = plan(call);
        ProxmoxClient pve = call.proxmox();
        String node = plan.node;
        int vmid = plan.vmid;
        String hostname = plan.hostname;
        String template = plan.template;
        Map<String, Object> p = plan.params;
        String what = "Creating container " + vmid + " (" + hostname + ") on " + node;
        Duration timeout = seconds(call, "timeout", DEFAULT_TIMEOUT);
        TaskResult task = call.followTask(upid(pve.post("/nodes/{node}/lxc", p).join(), what), timeout, what);
        if (task.running()) {
            throw new ToolException(stillRunning(what, task));
        }
        if (task.failed()) {
            return ToolResult.error(failure(what, task));
        }
        Map<String, Object> target = Map.of("node", node, "vmid", vmid);
        Map<String, Object> config = Json.map(pve.get("/nodes/{node}/lxc/{vmid}/config", target).join());
        String status = Json.string(Json.map(pve.get("/nodes/{node}/lxc/{vmid}/status/current", target).join()),
                "status");
        List<String> nets = new ArrayList<>();
        for (var e : config.entrySet()) {
            if (e.getKey().matches("net\\d+")) {
                nets.add(e.getKey() + ": " + e.getValue());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", vmid);
        out.put("hostname", hostname);
        out.put("node", node);
        out.put("status", status);
        out.put("template", template);
        out.put("cores", Json.longValue(config, "cores", 1));
        out.put("memory_mb", Json.longValue(config, "memory", 512));
        out.put("rootfs", String.valueOf(config.get("rootfs")));
        out.put("networks", nets);
        out.put("unprivileged", Json.bool(config, "unprivileged", false));
        out.put("task", describe(task));
        return ToolResult.of("Container " + vmid + " (" + hostname + ") exists on " + node + " and is " + status + ": "
                + out.get("cores") + ((Long) out.get("cores") == 1 ? " core, " : " cores, ") + Sizes.bytes((Long) out.get("memory_mb") << 20) + " RAM, root disk "
                + out.get("rootfs") + ", from " + template.substring(template.indexOf('/') + 1)
                + (Json.bool(config, "unprivileged", false) ? ", unprivileged" : ", privileged") + ".", out);
    }

    /** Resolves a template name to the volume id of a template on the node; a volume id is taken as it is. */
    static String template(ProxmoxClient pve, String node, String wanted) {
        if (wanted.matches(VOLID)) {
            return wanted;
        }
        if (wanted.contains(":")) {
            return PropertyStrings.volumeId("template", wanted, "vztmpl");
        }
        List<String> available = new ArrayList<>();
        for (Object o : Json.list(pve.get("/nodes/{node}/storage", Map.of("node", node, "content", "vztmpl",
                "enabled", 1)).join())) {
            String storage = Json.string(Json.map(o), "storage");
            for (Object v : Json.list(pve.get("/nodes/{node}/storage/{storage}/content", Map.of("node", node,
                    "storage", storage, "content", "vztmpl")).join())) {
                available.add(Json.string(Json.map(v), "volid"));
            }
        }
        available.sort(null);
        List<String> matching = available.stream()
                .filter(v -> Listing.matches(wanted.contains("*") || wanted.contains("?") ? wanted : "*" + wanted + "*",
                        v.substring(v.indexOf('/') + 1))).toList();
        if (matching.isEmpty()) {
            throw new ToolException("No container template on node " + node + " matches '" + wanted + "'. "
                    + (available.isEmpty() ? "The node has no templates; download one in Proxmox (storage > CT "
                    + "Templates) first." : "Templates there: " + String.join(", ", available.subList(0,
                            Math.min(20, available.size()))) + "."));
        }
        return matching.get(matching.size() - 1);
    }
}
