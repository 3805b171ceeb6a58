package io.pvemcp.tools.ha.internal;

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
import io.pvemcp.api.pve.Guests;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox_ha_set}: puts a guest under HA, or changes its HA settings; the requested state is what the HA
 * manager then makes true (started: it starts the guest and restarts it when it fails; stopped: it shuts it down).
 * A power-class call, as the HA manager may start or stop the guest; asking for {@code ignored} is a change.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_ha_set", title = "Put a guest under HA", risk = Risk.POWER, category = "ha",
        scope = Scopes.ADMIN, idempotent = true,
        description = "Puts a guest under HA or changes its HA settings: requested state (started, stopped, disabled, "
                + "ignored), group, restart limits.")
public final class HaSetTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("vmid", JsonSchema.integer().minimum(100).maximum(999_999_999))
            .optional("state", JsonSchema.string().enumValues("started", "stopped", "disabled", "ignored")
                    .description("Default for a new HA guest: started"))
            .optional("group", JsonSchema.string().pattern("^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$"))
            .optional("max_restart", JsonSchema.integer().minimum(0).maximum(10))
            .optional("max_relocate", JsonSchema.integer().minimum(0).maximum(10))
            .optional("comment", JsonSchema.string().maxLength(4096))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("sid", JsonSchema.string())
            .required("added", JsonSchema.bool())
            .required("requested", JsonSchema.string())
            .build();

    private record Plan(GuestRef guest, Map<String, Object> current, Preview.Request request, String summary) {
    }

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    /**
     * Power, as the HA manager may start or stop the guest (a guest put under HA without a state is started), unless
     * the state asked for is {@code ignored}, which takes HA's hands off it.
     */
    @Override
    public Risk risk(Arguments arguments) {
        return "ignored".equals(arguments.string("state", null)) ? Risk.CHANGE : Risk.POWER;
    }

    @Override
    public Preview preview(ToolCall call) {
        Plan p = plan(call);
        return new Preview(p.summary(), List.of(GuestTool.previewTarget(call.proxmox(), p.guest(), Map.of())),
                p.request() == null ? List.of() : List.of(p.request()), null, true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        Plan p = plan(call);
        ProxmoxClient pve = call.proxmox();
        if (p.request() != null) {
            Futures.join(pve.request(p.request().method(), p.current() == null ? "/cluster/ha/resources"
                    : "/cluster/ha/resources/{sid}", p.request().params()));
        }
        Map<String, Object> now = Ha.resource(pve, p.guest());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sid", Ha.sid(p.guest()));
        out.put("added", p.current() == null);
        out.put("requested", now == null || now.get("state") == null ? "started" : Json.string(now, "state"));
        String text = p.request() == null ? p.summary() : "Done: " + p.summary() + " The HA manager carries it out "
                + "within a minute; proxmox_ha_status shows the state.";
        return ToolResult.of(text, out);
    }

    private static Plan plan(ToolCall call) {
        ProxmoxClient pve = call.proxmox();
        GuestRef guest = Futures.join(Guests.locate(pve, (int) call.arguments().integer("vmid"), null, null));
        if (guest.template()) {
            throw ToolException.invalidArgument("vmid", guest.kind() + " " + guest.vmid() + " is a template, which "
                    + "HA cannot run");
        }
        Map<String, Object> current = Ha.resource(pve, guest);
        String sid = Ha.sid(guest);
        Map<String, Object> params = new LinkedHashMap<>();
        List<String> changes = new ArrayList<>();
        for (String k : List.of("state", "group", "max_restart", "max_relocate", "comment")) {
            Object v = call.arguments().asMap().get(k);
            if (v == null) {
                continue;
            }
            Object was = current == null ? null : current.get(k);
            if (current != null && was != null && String.valueOf(was).equals(String.valueOf(v))
                    || current != null && was == null && "state".equals(k) && "started".equals(v)) {
                continue;
            }
            params.put(k, v);
            changes.add(k + " " + (was == null ? "" : was + " → ") + v);
        }
        if (current != null && params.isEmpty()) {
            return new Plan(guest, current, null, "Nothing: " + sid + " is under HA with these settings already.");
        }
        String name = guest.kind() + " " + guest.vmid() + (guest.name() == null ? "" : " (" + guest.name() + ")");
        String effect = switch (String.valueOf(call.arguments().string("state", current == null ? "started" : ""))) {
            case "started" -> guest.status().equals("running") ? "" : " HA will start it.";
            case "stopped" -> guest.status().equals("running") ? " HA will shut it down." : "";
            case "disabled" -> guest.status().equals("running") ? " HA will stop it and no longer recover it." : "";
            case "ignored" -> " HA will leave it alone (no recovery) until the state changes.";
            default -> "";
        };
        if (current == null) {
            params.put("sid", sid);
            return new Plan(guest, null, new Preview.Request("POST", "/cluster/ha/resources", params), "Put " + name
                    + " under HA" + (changes.isEmpty() ? "" : " with " + String.join(", ", changes)) + "." + effect);
        }
        params.put("sid", sid);
        return new Plan(guest, current, new Preview.Request("PUT", "/cluster/ha/resources/" + sid, params), "Set "
                + String.join(", ", changes) + " for " + name + " under HA." + effect);
    }
}
