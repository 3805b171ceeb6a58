package io.pvemcp.tools.vm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.GuestType;
import io.pvemcp.tools.guest.Sizes;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_vm_agent_info", title = "Ask a VM's guest agent", risk = Risk.READ, category = "vm",
        description = "What the guest agent of a running VM reports: OS, kernel, interfaces with addresses, file "
                + "systems with use.")
public final class VmAgentInfoTool extends GuestTool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("vmid", vmidSchema(GuestType.VM))
            .optional("node", guestNodeSchema())
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("vmid", JsonSchema.integer())
            .optional("os", JsonSchema.object()
                    .optional("name", JsonSchema.string())
                    .optional("version", JsonSchema.string())
                    .optional("kernel", JsonSchema.string())
                    .optional("machine", JsonSchema.string()))
            .required("interfaces", JsonSchema.array(JsonSchema.object()
                    .required("name", JsonSchema.string())
                    .optional("mac", JsonSchema.string())
                    .required("addresses", JsonSchema.array(JsonSchema.string()))))
            .required("filesystems", JsonSchema.array(JsonSchema.object()
                    .required("mountpoint", JsonSchema.string())
                    .required("type", JsonSchema.string())
                    .required("total_bytes", JsonSchema.integer())
                    .required("used_bytes", JsonSchema.integer())
                    .required("used_percent", JsonSchema.number())
                    .required("size", JsonSchema.string())))
            .required("warnings", JsonSchema.array(JsonSchema.string()))
            .build();

    public VmAgentInfoTool() {
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

    private Object ask(ToolCall call, GuestRef guest, String command, List<String> warnings) {
        try {
            return Json.map(call.proxmox().get(guest.path("/agent/" + command), guest.params()).join()).get("result");
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof ProxmoxException p) {
                String m = p.getMessage();
                if (m.contains("not running") || m.contains("No QEMU guest agent configured")) {
                    throw new ToolException(title(guest) + ": " + m + ". The agent answers only in a running VM with "
                            + "agent enabled (proxmox_vm_config) and qemu-guest-agent installed and running inside.");
                }
                warnings.add(command + ": " + m);
                return null;
            }
            throw e;
        }
    }

    @Override
    public ToolResult call(ToolCall call) {
        GuestRef guest = locate(call);
        if (!"running".equals(guest.status())) {
            throw new ToolException(title(guest) + " is " + guest.status() + "; the guest agent answers only while it "
                    + "runs.");
        }
        List<String> warnings = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", guest.vmid());
        StringBuilder text = new StringBuilder(title(guest));
        if (ask(call, guest, "get-osinfo", warnings) instanceof Map<?, ?> os) {
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "name", os.get("pretty-name") != null ? os.get("pretty-name") : os.get("name"));
            put(m, "version", os.get("version"));
            put(m, "kernel", os.get("kernel-release"));
            put(m, "machine", os.get("machine"));
            out.put("os", m);
            text.append(" runs ").append(m.getOrDefault("name", "an unknown OS"))
                    .append(m.containsKey("kernel") ? " (kernel " + m.get("kernel") + ")" : "").append('.');
        }
        List<Map<String, Object>> interfaces = new ArrayList<>();
        if (ask(call, guest, "network-get-interfaces", warnings) instanceof List<?> list) {
            for (Object o : list) {
                Map<String, Object> i = Json.map(o);
                if ("lo".equals(i.get("name"))) {
                    continue;
                }
                List<String> addresses = new ArrayList<>();
                if (i.get("ip-addresses") instanceof List<?> ips) {
                    for (Object a : ips) {
                        Map<String, Object> ip = Json.map(a);
                        addresses.add(ip.get("ip-address") + (ip.get("prefix") == null ? "" : "/" + ip.get("prefix")));
                    }
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", String.valueOf(i.get("name")));
                put(m, "mac", i.get("hardware-address"));
                m.put("addresses", addresses);
                interfaces.add(m);
                text.append("\n- ").append(m.get("name")).append(m.containsKey("mac") ? " " + m.get("mac") : "")
                        .append(": ").append(addresses.isEmpty() ? "no address" : String.join(", ", addresses));
            }
        }
        out.put("interfaces", interfaces);
        List<Map<String, Object>> filesystems = new ArrayList<>();
        if (ask(call, guest, "get-fsinfo", warnings) instanceof List<?> list) {
            for (Object o : list) {
                Map<String, Object> f = Json.map(o);
                long total = Json.longValue(f, "total-bytes", 0);
                long used = Json.longValue(f, "used-bytes", 0);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("mountpoint", String.valueOf(f.get("mountpoint")));
                m.put("type", String.valueOf(f.get("type")));
                m.put("total_bytes", total);
                m.put("used_bytes", used);
                m.put("used_percent", total == 0 ? 0.0 : Math.round(used * 1000.0 / total) / 10.0);
                m.put("size", Sizes.bytes(used) + " of " + Sizes.bytes(total));
                filesystems.add(m);
                text.append("\n- ").append(m.get("mountpoint")).append(" (").append(m.get("type")).append("): ")
                        .append(m.get("size")).append(" used, ").append(m.get("used_percent")).append('%');
            }
        }
        out.put("filesystems", filesystems);
        out.put("warnings", warnings);
        warnings.forEach(w -> text.append("\n(").append(w).append(')'));
        return ToolResult.of(text.toString(), out);
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, String.valueOf(value));
        }
    }
}
