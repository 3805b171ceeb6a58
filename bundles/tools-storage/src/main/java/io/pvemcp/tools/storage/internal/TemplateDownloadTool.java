package io.pvemcp.tools.storage.internal;

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
@ToolService(name = "proxmox_template_download", title = "Download a container template", risk = Risk.CHANGE,
        category = "storage", scope = Scopes.WRITE, idempotent = true,
        description = "Downloads a container template from the appliance index (proxmox_template_list) to a storage, "
                + "SHA-512 checked.")
public final class TemplateDownloadTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("template", JsonSchema.string().minLength(2).maxLength(255).description(
                    "Name in the index, or its unique start, e.g. debian-13"))
            .optional("storage", StorageScan.storageSchema("Target storage").defaultValue("local"))
            .optional("node", GuestTool.nodeSchema("Downloading node (local storage: only it sees the file)"))
            .optional("timeout", GuestTool.timeoutSchema(600, "Seconds"))
            .build();

    private static final Map<String, Object> OUTPUT = Downloads.output().build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    private Downloads.Plan plan(ToolCall call) {
        var args = call.arguments();
        String storage = args.string("storage", "local");
        StorageScan.Place place = StorageScan.placeOf(call, storage, args.string("node", null));
        if (!place.content().contains("vztmpl")) {
            throw new ToolException("Storage " + storage + " does not hold container templates (it holds "
                    + String.join(", ", place.content()) + "); choose one that does, e.g. local.");
        }
        String wanted = args.string("template");
        List<String> matches = new ArrayList<>();
        for (Object o : Json.list(call.proxmox().get("/nodes/{node}/aplinfo", Map.of("node", place.node())).join())) {
            String t = Json.string(Json.map(o), "template");
            if (t == null) {
                continue;
            }
            if (t.equals(wanted)) {
                matches = List.of(t);
                break;
            }
            if (t.startsWith(wanted)) {
                matches.add(t);
            }
        }
        if (matches.isEmpty()) {
            throw new ToolException("The appliance index has no template '" + wanted + "'. proxmox_template_list "
                    + "shows what it offers.");
        }
        if (matches.size() > 1) {
            throw new ToolException("'" + wanted + "' fits " + matches.size() + " templates: " + String.join(", ",
                    matches) + ". Give the whole name.");
        }
        String template = matches.get(0);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("storage", storage);
        params.put("template", template);
        String note = place.shared() ? "" : " Only containers on " + place.node() + " can use it (local storage).";
        return new Downloads.Plan(place, storage + ":vztmpl/" + template, "template " + template,
                "/nodes/{node}/aplinfo", params, note);
    }

    private static boolean present(ToolCall call, Downloads.Plan p) {
        return StorageScan.content(call, p.place(), "vztmpl", null).stream()
                .anyMatch(v -> p.volid().equals(v.get("volid")));
    }

    @Override
    public Preview preview(ToolCall call) {
        Downloads.Plan p = plan(call);
        if (present(call, p)) {
            return new Preview("Nothing: " + p.volid() + " is already there.", List.of(), List.of(), "Unchanged.",
                    true, false);
        }
        return p.preview();
    }

    @Override
    public ToolResult call(ToolCall call) {
        Downloads.Plan p = plan(call);
        if (present(call, p)) {
            return ToolResult.of(p.volid() + " is already on " + p.place().storage() + (p.place().shared() ? ""
                    : " of " + p.place().node()) + "; nothing to download. Use it as the template of "
                    + "proxmox_ct_create.", Downloads.result(p, false, null));
        }
        return Downloads.run(call, p, (int) call.arguments().integer("timeout", 600));
    }
}
