package io.pvemcp.tools.vm.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Arguments;
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
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.GuestType;
import io.pvemcp.api.pve.Guests;
import io.pvemcp.tools.guest.Placement;
import io.pvemcp.tools.guest.PropertyStrings;
import io.pvemcp.tools.guest.Sizes;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_vm_create", title = "Create a VM", risk = Risk.CHANGE, category = "vm",
        scope = Scopes.WRITE,
        description = "Creates a VM and waits: empty with a disk (optionally an ISO), or cloned from a template with "
                + "cloud-init.")
public final class VmCreateTool extends GuestTool {

    private static final int DEFAULT_TIMEOUT = 300;

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("name", JsonSchema.string().pattern("^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$").maxLength(63)
                    .description("DNS name, e.g. web02"))
            .optional("node", nodeSchema("Default: the template's, else the one with most free memory"))
            .optional("vmid", vmidSchema(GuestType.VM).description("Default: the next free"))
            .optional("template", vmidSchema(GuestType.VM).description(
                    "Template VMID to clone; leave out for an empty VM"))
            .optional("full_clone", JsonSchema.bool().defaultValue(true).description(
                    "With template: false for a linked clone"))
            .optional("iso", JsonSchema.string().pattern("^" + PropertyStrings.STORAGE_ID + ":iso/[A-Za-z0-9._+@-]+$")
                    .maxLength(255).description(
                    "ISO volid to boot (proxmox_template_list)"))
            .optional("cores", JsonSchema.integer().minimum(1).maximum(512).description("Default 2, or the "
                    + "template's"))
            .optional("sockets", JsonSchema.integer().minimum(1).maximum(4).description("Default 1"))
            .optional("memory_mb", JsonSchema.integer().minimum(64).maximum(4_194_304).description("Default 2048, or "
                    + "the template's"))
            .optional("disk_gb", JsonSchema.integer().minimum(1).maximum(65_536).description("System disk "
                    + "(default 32); with template: grows it to this"))
            .optional("storage", JsonSchema.string().pattern("^[a-zA-Z][a-zA-Z0-9._-]*[a-zA-Z0-9]$").description(
                    "Default: local-lvm, else the roomiest"))
            .optional("os_type", JsonSchema.string().enumValues("l26", "l24", "win11", "win10", "win8", "win7",
                    "w2k8", "wvista", "w2k3", "wxp", "w2k", "solaris", "other").description("Default l26 (Linux)"))
            .optional("bridge", JsonSchema.string().pattern("^[a-zA-Z][a-zA-Z0-9_.-]*$").maxLength(20)
                    .description("Default vmbr0"))
            .optional("vlan", JsonSchema.integer().minimum(1).maximum(4094).description("NIC's VLAN tag"))
            .optional("network_model", JsonSchema.string().enumValues("virtio", "e1000", "e1000e", "rtl8139",
                    "vmxnet3").description("Default virtio"))
            .optional("ci_user", JsonSchema.string().pattern("^[a-z_][a-z0-9_-]*$").maxLength(32)
                    .description("Cloud-init user"))
            .optional("ci_password", JsonSchema.string().minLength(5).maxLength(128)
                    .description("Its password"))
            .optional("ssh_keys", JsonSchema.string().minLength(20).maxLength(16_384)
                    .description("Cloud-init SSH keys, one per line"))
            .optional("ip_config", JsonSchema.string().pattern(
                    "^(dhcp|ip=\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}(,gw=\\d{1,3}(\\.\\d{1,3}){3})?)$").description(
                    "Cloud-init: dhcp or ip=10.0.0.5/24,gw=10.0.0.1"))
            .optional("description", JsonSchema.string().maxLength(8192).description("Notes"))
            .optional("tags", JsonSchema.array(JsonSchema.string().pattern("^[a-zA-Z0-9_][a-zA-Z0-9_+.-]*$")
                    .maxLength(64)).maxItems(20).description("e.g. [\"web\"]"))
            .optional("pool", JsonSchema.string().pattern("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+){0,2}$")
                    .description("Pool to add it to"))
            .optional("start", JsonSchema.bool().defaultValue(false).description("Start it afterwards"))
            .optional("timeout", timeoutSchema(DEFAULT_TIMEOUT, "Seconds"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("vmid", JsonSchema.integer())
            .required("name", JsonSchema.string())
            .required("node", JsonSchema.string())
            .required("status", JsonSchema.string())
            .required("created_from", JsonSchema.string().enumValues("template", "iso", "empty"))
            .optional("template", JsonSchema.integer())
            .required("cores", JsonSchema.integer())
            .required("memory_mb", JsonSchema.integer())
            .required("disks", JsonSchema.array(JsonSchema.string()).description("Disk configuration lines"))
            .required("networks", JsonSchema.array(JsonSchema.string()))
            .required("tasks", JsonSchema.array(taskSchema()))
            .build();

    public VmCreateTool() {
        super(GuestType.VM);
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
        return arguments.bool("start", false) ? Map.of(Scopes.POWER, "start=true starts the VM") : Map.of();
    }

    @Override
    public Preview preview(ToolCall call) {
        Arguments args = call.arguments();
        ProxmoxClient pve = call.proxmox();
        GuestRef template = template(call);
        String name = args.string("name");
        String node = Placement.node(pve, args.string("node", template != null ? template.node() : null));
        int vmid = Placement.vmid(pve, args.optionalInteger("vmid").orElse(null));
        boolean start = args.bool("start", false);
        Preview.Request request;
        String what;
        if (template != null) {
            request = new Preview.Request("POST", "/nodes/" + template.node() + "/qemu/" + template.vmid() + "/clone",
                    cloneParams(call, template, node, vmid, name));
            what = (args.bool("full_clone", true) ? "a full" : "a linked") + " clone of template " + template.vmid()
                    + " (" + template.name() + "), then set what the arguments change";
        } else {
            Map<String, Object> p = emptyParams(call, node, vmid, name);
            request = new Preview.Request("POST", "/nodes/" + node + "/qemu", p);
            what = p.get("cores") + " core(s), " + p.get("memory") + " MiB RAM, disk " + p.get("scsi0")
                    + (args.has("iso") ? ", installing from " + args.string("iso") : "");
        }
        return new Preview("Create VM " + vmid + " (" + name + ") on " + node + ": " + what
                + (start ? ", and start it." : "."), List.of(), List.of(request), "VM " + vmid + " exists on " + node
                + ", " + (start ? "running" : "stopped") + (args.has("vmid") ? "" : " (the VMID is the next free one "
                + "now)") + ".", true, false);
    }

    private static GuestRef template(ToolCall call) {
        Arguments args = call.arguments();
        if (args.has("template") && args.has("iso")) {
            throw new ToolException("Give either template (to clone) or iso (to install from), not both.");
        }
        if (!args.has("template")) {
            return null;
        }
        GuestRef template = Guests.locate(call.proxmox(), (int) args.integer("template"), "qemu", null).join();
        if (!template.template()) {
            throw new ToolException("VM " + template.vmid() + " (" + template.name() + ") is not a template. "
                    + "Name a template (list them with proxmox_vm_list templates=only), or install from an iso.");
        }
        return template;
    }

    @Override
    public ToolResult call(ToolCall call) throws Exception {
        Arguments args = call.arguments();
        ProxmoxClient pve = call.proxmox();
        Duration timeout = seconds(call, "timeout", DEFAULT_TIMEOUT);
        String name = args.string("name");
        GuestRef template = template(call);
        String node = Placement.node(pve, args.string("node", template != null ? template.node() : null));
        int vmid = Placement.vmid(pve, args.optionalInteger("vmid").orElse(null));
        List<Map<String, Object>> tasks = new ArrayList<>();
        if (template != null) {
            cloneTemplate(call, template, node, vmid, name, timeout, tasks);
        } else {
            createEmpty(call, node, vmid, name, timeout, tasks);
        }
        Map<String, Object> config = Json.map(pve.get("/nodes/{node}/qemu/{vmid}/config",
                Map.of("node", node, "vmid", vmid)).join());
        String status = Json.string(Json.map(pve.get("/nodes/{node}/qemu/{vmid}/status/current",
                Map.of("node", node, "vmid", vmid)).join()), "status");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", vmid);
        out.put("name", name);
        out.put("node", node);
        out.put("status", status);
        out.put("created_from", template != null ? "template" : args.has("iso") ? "iso" : "empty");
        if (template != null) {
            out.put("template", template.vmid());
        }
        out.put("cores", Json.longValue(config, "cores", 1));
        out.put("memory_mb", Long.parseLong(PropertyStrings.parse(config.getOrDefault("memory", "512"), "current")
                .getOrDefault("current", "512")));
        List<String> disks = new ArrayList<>();
        List<String> nets = new ArrayList<>();
        for (var e : config.entrySet()) {
            if (VmGetInfoTool.DISK.matcher(e.getKey()).matches()) {
                disks.add(e.getKey() + ": " + e.getValue());
            } else if (e.getKey().matches("net\\d+")) {
                nets.add(e.getKey() + ": " + e.getValue());
            }
        }
        out.put("disks", disks);
        out.put("networks", nets);
        out.put("tasks", tasks);
        return ToolResult.of("VM " + vmid + " (" + name + ") exists on " + node + " and is " + status + ": "
                + out.get("cores") + ((Long) out.get("cores") == 1 ? " core, " : " cores, ") + Sizes.bytes((Long) out.get("memory_mb") << 20) + " RAM, "
                + String.join("; ", disks) + (template != null ? ", cloned from template " + template.vmid() : "")
                + ".", out);
    }

    private void createEmpty(ToolCall call, String node, int vmid, String name, Duration timeout,
            List<Map<String, Object>> tasks) {
        Map<String, Object> p = emptyParams(call, node, vmid, name);
        String what = "Creating VM " + vmid + " (" + name + ") on " + node;
        TaskResult task = call.followTask(upid(call.proxmox().post("/nodes/{node}/qemu", p).join(), what), timeout,
                what);
        finish(what, task, tasks);
    }

    private static Map<String, Object> emptyParams(ToolCall call, String node, int vmid, String name) {
        Arguments args = call.arguments();
        ProxmoxClient pve = call.proxmox();
        String storage = Placement.storage(pve, node, "images", args.string("storage", null));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("node", node);
        p.put("vmid", vmid);
        p.put("name", name);
        p.put("cores", args.integer("cores", 2));
        p.put("sockets", args.integer("sockets", 1));
        p.put("memory", Long.toString(args.integer("memory_mb", 2048)));
        p.put("ostype", args.string("os_type", "l26"));
        p.put("scsihw", "virtio-scsi-single");
        p.put("scsi0", PropertyStrings.value("storage", storage) + ":" + args.integer("disk_gb", 32) + ",iothread=1");
        p.put("net0", nic(args, null));
        p.put("agent", "1");
        boolean cloudInit = cloudInit(args, p);
        if (args.has("iso")) {
            p.put("ide2", PropertyStrings.volumeId("iso", args.string("iso"), "iso") + ",media=cdrom");
            if (cloudInit) {
                p.put("ide0", PropertyStrings.value("storage", storage) + ":cloudinit");
            }
            p.put("boot", "order=scsi0;ide2;net0");
        } else {
            if (cloudInit) {
                p.put("ide2", PropertyStrings.value("storage", storage) + ":cloudinit");
            }
            p.put("boot", "order=scsi0;net0");
        }
        common(args, p);
        if (args.bool("start", false)) {
            p.put("start", 1);
        }
        return p;
    }

    private void cloneTemplate(ToolCall call, GuestRef template, String node, int vmid, String name, Duration timeout,
            List<Map<String, Object>> tasks) {
        Arguments args = call.arguments();
        ProxmoxClient pve = call.proxmox();
        Map<String, Object> p = cloneParams(call, template, node, vmid, name);
        String what = "Cloning template " + template.vmid() + " to VM " + vmid + " (" + name + ") on " + node;
        TaskResult task = call.followTask(upid(pve.post(template.path("/clone"), p).join(), what), timeout, what);
        finish(what, task, tasks);
        afterClone(call, node, vmid, timeout, tasks);
    }

    private static Map<String, Object> cloneParams(ToolCall call, GuestRef template, String node, int vmid,
            String name) {
        Arguments args = call.arguments();
        ProxmoxClient pve = call.proxmox();
        boolean full = args.bool("full_clone", true);
        Map<String, Object> p = new LinkedHashMap<>(template.params());
        p.put("newid", vmid);
        p.put("name", name);
        p.put("full", full ? 1 : 0);
        if (!node.equals(template.node())) {
            p.put("target", node);
        }
        if (args.has("storage")) {
            if (!full) {
                throw new ToolException("A linked clone keeps its disk on the template's storage; leave storage out "
                        + "or set full_clone=true.");
            }
            p.put("storage", Placement.storage(pve, node, "images", args.string("storage")));
        }
        if (args.has("pool")) {
            p.put("pool", args.string("pool"));
        }
        if (args.has("description")) {
            p.put("description", args.string("description"));
        }
        return p;
    }

    private void afterClone(ToolCall call, String node, int vmid, Duration timeout, List<Map<String, Object>> tasks) {
        Arguments args = call.arguments();
        ProxmoxClient pve = call.proxmox();
        Map<String, Object> target = Map.of("node", node, "vmid", vmid);
        Map<String, Object> config = Json.map(pve.get("/nodes/{node}/qemu/{vmid}/config", target).join());
        Map<String, Object> update = new LinkedHashMap<>(target);
        if (args.has("cores")) {
            update.put("cores", args.integer("cores"));
        }
        if (args.has("sockets")) {
            update.put("sockets", args.integer("sockets"));
        }
        if (args.has("memory_mb")) {
            update.put("memory", Long.toString(args.integer("memory_mb")));
        }
        if (args.has("os_type")) {
            update.put("ostype", args.string("os_type"));
        }
        if (args.has("bridge") || args.has("vlan") || args.has("network_model")) {
            update.put("net0", nic(args, config.get("net0")));
        }
        cloudInit(args, update);
        if (args.has("tags")) {
            update.put("tags", String.join(";", args.strings("tags")));
        }
        if (update.size() > 2) {
            pve.put("/nodes/{node}/qemu/{vmid}/config", update).join();
        }
        if (args.has("disk_gb")) {
            String disk = bootDisk(config);
            long have = PropertyStrings.bytes(PropertyStrings.parse(config.get(disk), "file").get("size"));
            long want = args.integer("disk_gb") << 30;
            if (disk != null && want > have) {
                String grow = "Growing " + disk + " of VM " + vmid + " to " + args.integer("disk_gb") + " GiB";
                Map<String, Object> resize = new LinkedHashMap<>(target);
                resize.put("disk", disk);
                resize.put("size", args.integer("disk_gb") + "G");
                finish(grow, call.followTask(upid(pve.put("/nodes/{node}/qemu/{vmid}/resize", resize).join(), grow),
                        timeout, grow), tasks);
            }
        }
        if (args.bool("start", false)) {
            String start = "Starting VM " + vmid;
            finish(start, call.followTask(upid(pve.post("/nodes/{node}/qemu/{vmid}/status/start", target).join(),
                    start), timeout, start), tasks);
        }
    }

    /** Records a task; a failed or unfinished one ends the call with what happened so far. */
    private static void finish(String what, TaskResult task, List<Map<String, Object>> tasks) {
        tasks.add(describe(task));
        if (task.running()) {
            throw new ToolException(stillRunning(what, task));
        }
        if (task.failed()) {
            throw new ToolException(failure(what, task));
        }
    }

    private static String bootDisk(Map<String, Object> config) {
        String boot = String.valueOf(config.getOrDefault("boot", ""));
        if (boot.startsWith("order=")) {
            for (String dev : boot.substring(6).split("[;,]")) {
                if (config.containsKey(dev) && !String.valueOf(config.get(dev)).contains("media=cdrom")) {
                    return dev;
                }
            }
        }
        for (String key : List.of("scsi0", "virtio0", "sata0", "ide0")) {
            if (config.containsKey(key) && !String.valueOf(config.get(key)).contains("media=cdrom")) {
                return key;
            }
        }
        return null;
    }

    /** The NIC: model (with the existing MAC when changing a cloned VM's NIC), bridge, VLAN. */
    private static String nic(Arguments args, Object existing) {
        Map<String, String> old = PropertyStrings.parse(existing, "model");
        String model = args.string("network_model", null);
        String mac = null;
        for (var e : old.entrySet()) {
            if (VmGetInfoTool.MODELS.contains(e.getKey())) {
                model = model != null ? model : e.getKey();
                mac = e.getValue().isEmpty() ? null : e.getValue();
            }
        }
        Map<String, Object> nic = new LinkedHashMap<>();
        nic.put("bridge", args.string("bridge", old.getOrDefault("bridge", "vmbr0")));
        if (args.has("vlan")) {
            nic.put("tag", args.integer("vlan"));
        } else if (old.get("tag") != null) {
            nic.put("tag", old.get("tag"));
        }
        if (old.get("firewall") != null) {
            nic.put("firewall", old.get("firewall"));
        }
        String head = (model != null ? model : "virtio") + (mac != null ? "=" + mac : "");
        return head + "," + PropertyStrings.format(nic);
    }

    /** Adds the cloud-init settings that were given; returns whether there were any. */
    static boolean cloudInit(Arguments args, Map<String, Object> p) {
        boolean any = false;
        if (args.has("ci_user")) {
            p.put("ciuser", args.string("ci_user"));
            any = true;
        }
        if (args.has("ci_password")) {
            p.put("cipassword", args.string("ci_password"));
            any = true;
        }
        if (args.has("ssh_keys")) {
            p.put("sshkeys", URLEncoder.encode(args.string("ssh_keys").strip() + "\n", StandardCharsets.UTF_8)
                    .replace("+", "%20"));
            any = true;
        }
        if (args.has("ip_config")) {
            String ip = args.string("ip_config");
            p.put("ipconfig0", ip.equals("dhcp") ? "ip=dhcp" : ip);
            any = true;
        }
        return any;
    }

    private static void common(Arguments args, Map<String, Object> p) {
        if (args.has("description")) {
            p.put("description", args.string("description"));
        }
        if (args.has("tags")) {
            p.put("tags", String.join(";", args.strings("tags")));
        }
        if (args.has("pool")) {
            p.put("pool", args.string("pool"));
        }
    }
}
