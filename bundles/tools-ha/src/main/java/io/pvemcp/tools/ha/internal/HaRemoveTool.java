package io.pvemcp.tools.ha.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.Guests;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** {@code proxmox_ha_remove}: takes a guest out of HA; it keeps running as it is, without recovery. */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ha_remove", title = "Take a guest out of HA", risk = Risk.CHANGE, category = "ha",
        scope = Scopes.ADMIN, idempotent = true,
        description = "Takes a guest out of HA: it keeps its power state but is no longer restarted or moved when "
                + "its node fails.")
public final class HaRemoveTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("vmid", JsonSchema.integer().minimum(100).maximum(999_999_999))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("sid", JsonSchema.string())
            .required("removed", JsonSchema.bool())
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
    public Preview preview(ToolCall call) {
        GuestRef guest = Futures.join(Guests.locate(call.proxmox(), (int) call.arguments().integer("vmid"), null, null));
        String sid = Ha.sid(guest);
        Preview.Target target = GuestTool.previewTarget(call.proxmox(), guest, Map.of());
        if (Ha.resource(call.proxmox(), guest) == null) {
            return new Preview("Nothing: " + sid + " is not under HA.", List.of(target), List.of(), null, true, false);
        }
        return new Preview("Take " + sid + (guest.name() == null ? "" : " (" + guest.name() + ")") + " out of HA; it "
                + "stays " + guest.status() + " on " + guest.node() + ".", List.of(target), List.of(
                        new Preview.Request("DELETE", "/cluster/ha/resources/" + sid, Map.of())),
                "HA no longer restarts or moves it.", true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        GuestRef guest = Futures.join(Guests.locate(call.proxmox(), (int) call.arguments().integer("vmid"), null, null));
        String sid = Ha.sid(guest);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sid", sid);
        if (Ha.resource(call.proxmox(), guest) == null) {
            out.put("removed", false);
            return ToolResult.of(sid + " is not under HA; nothing was changed.", out);
        }
        Futures.join(call.proxmox().delete("/cluster/ha/resources/{sid}", Map.of("sid", sid)));
        out.put("removed", true);
        return ToolResult.of("Took " + sid + " out of HA; it stays " + guest.status() + " on " + guest.node() + ".",
                out);
    }
}
