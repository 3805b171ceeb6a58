package io.pvemcp.tools.storage.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.StorageScan;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_template_list", title = "List templates", risk = Risk.READ, category = "storage",
        description = "What guests are made from: container templates and ISOs on storage, VM templates, and the "
                + "appliance index.")
public final class TemplateListTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("name", JsonSchema.string().maxLength(64).description("Only names containing this, e.g. debian"))
            .optional("node", GuestTool.nodeSchema("Only this node's storage"))
            .optional("index", JsonSchema.bool().defaultValue(true).description("Include the appliance index"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("container_templates", JsonSchema.array(StorageScan.volumeSchema()))
            .required("isos", JsonSchema.array(StorageScan.volumeSchema()))
            .required("vm_templates", JsonSchema.array(JsonSchema.object()
                    .required("vmid", JsonSchema.integer())
                    .required("name", JsonSchema.string())
                    .required("node", JsonSchema.string())))
            .required("available", JsonSchema.array(JsonSchema.object()
                    .required("template", JsonSchema.string())
                    .required("os", JsonSchema.string())
                    .required("version", JsonSchema.string())
                    .required("section", JsonSchema.string())
                    .required("headline", JsonSchema.string())
                    .required("downloaded", JsonSchema.bool())))
            .required("warnings", JsonSchema.array(JsonSchema.string()))
            .build();

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
        var args = call.arguments();
        String name = args.string("name", "").toLowerCase(Locale.ROOT);
        String node = args.string("node", null);
        Set<String> offline = new LinkedHashSet<>();
        List<String> warnings = new ArrayList<>();
        List<Map<String, Object>> templates = new ArrayList<>();
        List<Map<String, Object>> isos = new ArrayList<>();
        String online = null;
        for (StorageScan.Place p : StorageScan.places(call, node, null, null, offline)) {
            if (!p.available()) {
                continue;
            }
            online = online == null ? p.node() : online;
            for (String content : List.of("vztmpl", "iso")) {
                if (!p.content().contains(content)) {
                    continue;
                }
                try {
                    for (Map<String, Object> v : StorageScan.content(call, p, content, null)) {
                        if (((String) v.get("volid")).toLowerCase(Locale.ROOT).contains(name)) {
                            (content.equals("iso") ? isos : templates).add(v);
                        }
                    }
                } catch (ProxmoxException e) {
                    warnings.add("Storage " + p.storage() + " on " + p.node() + " could not be read: "
                            + e.getMessage());
                }
            }
        }
        offline.forEach(n -> warnings.add("Node " + n + " is offline: its local storage is not listed."));
        Comparator<Map<String, Object>> byVolid = Comparator.comparing(m -> (String) m.get("volid"));
        templates.sort(byVolid);
        isos.sort(byVolid);
        List<Map<String, Object>> vms = new ArrayList<>();
        for (Object o : Json.list(call.proxmox().get("/cluster/resources", Map.of("type", "vm")).join())) {
            Map<String, Object> r = Json.map(o);
            String vmName = r.get("name") == null ? "" : Json.string(r, "name");
            if ("qemu".equals(r.get("type")) && Json.bool(r, "template", false)
                    && (node == null || node.equals(r.get("node")))
                    && (vmName.toLowerCase(Locale.ROOT).contains(name) || String.valueOf(r.get("vmid")).equals(name))) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("vmid", Json.longValue(r, "vmid", 0));
                m.put("name", vmName);
                m.put("node", Json.string(r, "node"));
                vms.add(m);
            }
        }
        vms.sort(Comparator.comparingLong(m -> (Long) m.get("vmid")));
        List<Map<String, Object>> available = new ArrayList<>();
        if (args.bool("index", true) && online != null) {
            Set<String> local = new LinkedHashSet<>();
            templates.forEach(t -> local.add(((String) t.get("volid")).replaceFirst("^[^:]+:vztmpl/", "")));
            for (Object o : Json.list(call.proxmox().get("/nodes/{node}/aplinfo", Map.of("node", online)).join())) {
                Map<String, Object> a = Json.map(o);
                String template = Json.string(a, "template");
                if (template == null || !template.toLowerCase(Locale.ROOT).contains(name)
                        && !String.valueOf(a.get("os")).toLowerCase(Locale.ROOT).contains(name)) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("template", template);
                m.put("os", String.valueOf(a.getOrDefault("os", "")));
                m.put("version", String.valueOf(a.getOrDefault("version", "")));
                m.put("section", String.valueOf(a.getOrDefault("section", "")));
                m.put("headline", String.valueOf(a.getOrDefault("headline", "")));
                m.put("downloaded", local.contains(template));
                available.add(m);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("container_templates", templates);
        out.put("isos", isos);
        out.put("vm_templates", vms);
        out.put("available", available);
        out.put("warnings", warnings);
        return ToolResult.of(text(templates, isos, vms, available, warnings), out);
    }

    private static String text(List<Map<String, Object>> templates, List<Map<String, Object>> isos,
            List<Map<String, Object>> vms, List<Map<String, Object>> available, List<String> warnings) {
        StringBuilder t = new StringBuilder();
        t.append("Container templates on storage (template of proxmox_ct_create): ").append(templates.isEmpty()
                ? "none" : String.join(", ", templates.stream().map(v -> v.get("volid") + " (" + v.get("size") + ")")
                        .distinct().toList())).append('.');
        t.append("\nVM templates (template of proxmox_vm_create, cloned): ").append(vms.isEmpty() ? "none"
                : String.join(", ", vms.stream().map(v -> v.get("vmid") + " " + v.get("name") + " on " + v.get("node"))
                        .toList())).append('.');
        t.append("\nISOs (iso of proxmox_vm_create): ").append(isos.isEmpty() ? "none" : String.join(", ",
                isos.stream().map(v -> v.get("volid") + " (" + v.get("size") + ")").distinct().toList())).append('.');
        List<Map<String, Object>> missing = available.stream().filter(a -> !(Boolean) a.get("downloaded")).toList();
        if (!missing.isEmpty()) {
            t.append("\nIn the appliance index, not downloaded yet (proxmox_template_download): ").append(
                    String.join(", ", missing.stream().limit(12).map(a -> (String) a.get("template")).toList()))
                    .append(missing.size() > 12 ? " and " + (missing.size() - 12) + " more." : ".");
        }
        warnings.forEach(w -> t.append(' ').append(w));
        return t.toString();
    }
}
