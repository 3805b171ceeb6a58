package io.pvemcp.tools.guest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.GuestRef;

/**
 * Changes a guest's configuration and answers with the difference, old → new, and what waits for the next start
 * (Proxmox keeps changes it cannot apply to a running guest as pending). Subclasses name the settings their guest
 * type has and turn the arguments into configuration keys; this class adds what both have (cores, memory,
 * description, tags, start at boot, start order, protection, detaching) and does the rest.
 */
public abstract class GuestConfigTool extends GuestTool {

    private final Map<String, Object> input;

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("vmid", JsonSchema.integer())
            .required("node", JsonSchema.string())
            .required("changes", ConfigDiff.schema())
            .required("pending", JsonSchema.array(JsonSchema.string()).description("keys applied at the next start"))
            .build();

    /**
     * What a call changes.
     *
     * @param set keys to set, with their values as Proxmox takes them
     * @param delete keys to remove (a detached disk stays as {@code unusedN})
     */
    protected record Change(Map<String, Object> set, List<String> delete) {
    }

    /**
     * @param type the guest type
     * @param own adds the settings of this guest type to the input schema, before the shared ones
     */
    protected GuestConfigTool(GuestType type, java.util.function.Consumer<JsonSchema> own) {
        super(type);
        JsonSchema in = JsonSchema.object().required("vmid", vmidSchema(type));
        own.accept(in);
        in.optional("cores", JsonSchema.integer().minimum(1).maximum(512))
                .optional("memory_mb", JsonSchema.integer().minimum(16).maximum(4_194_304))
                .optional("description", JsonSchema.string().maxLength(8192))
                .optional("tags", JsonSchema.array(JsonSchema.string().pattern("^[a-zA-Z0-9_][a-zA-Z0-9_+.-]*$")
                        .maxLength(64)).maxItems(20).description("Replaces the tags"))
                .optional("onboot", JsonSchema.bool().description("Start when the node boots"))
                .optional("startup_order", JsonSchema.integer().minimum(0).maximum(9999))
                .optional("startup_delay", JsonSchema.integer().minimum(0).maximum(3600).description(
                        "Seconds before the next guest starts"))
                .optional("protection", JsonSchema.bool().description("Refuse deletion while on"))
                .optional("detach", JsonSchema.array(JsonSchema.string().pattern("^[a-z]+\\d+$")).maxItems(20)
                        .description("Keys to remove, e.g. net1; a disk becomes unusedN"))
                .optional("node", guestNodeSchema());
        this.input = in.build();
    }

    @Override
    public Map<String, Object> inputSchema() {
        return input;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    /**
     * Turns the arguments of this guest type into configuration changes.
     *
     * @param call the call
     * @param guest the guest
     * @param config its configuration now (pending values applied)
     * @param set where to put keys to set
     */
    protected abstract void own(ToolCall call, GuestRef guest, Map<String, Object> config, Map<String, Object> set);

    /**
     * @param config a configuration
     * @param set keys about to be set
     * @param prefix a key prefix, e.g. {@code net}
     * @return the first free key with it, e.g. {@code net1}
     */
    protected static String free(Map<String, Object> config, Map<String, Object> set, String prefix) {
        for (int i = 0; i < 32; i++) {
            if (!config.containsKey(prefix + i) && !set.containsKey(prefix + i)) {
                return prefix + i;
            }
        }
        throw new ToolException("Every " + prefix + " slot is taken.");
    }

    private Change change(ToolCall call, GuestRef guest, Map<String, Object> config) {
        Arguments args = call.arguments();
        Map<String, Object> set = new LinkedHashMap<>();
        own(call, guest, config, set);
        if (args.has("cores")) {
            set.put("cores", args.integer("cores"));
        }
        if (args.has("memory_mb")) {
            set.put("memory", args.integer("memory_mb"));
        }
        if (args.has("description")) {
            set.put("description", args.string("description"));
        }
        if (args.has("tags")) {
            set.put("tags", String.join(";", args.strings("tags")));
        }
        if (args.has("onboot")) {
            set.put("onboot", args.bool("onboot", false) ? 1 : 0);
        }
        if (args.has("startup_order") || args.has("startup_delay")) {
            Map<String, String> startup = PropertyStrings.parse(config.get("startup"), "order");
            if (args.has("startup_order")) {
                startup.put("order", Long.toString(args.integer("startup_order")));
            }
            if (args.has("startup_delay")) {
                startup.put("up", Long.toString(args.integer("startup_delay")));
            }
            set.put("startup", PropertyStrings.format(startup));
        }
        if (args.has("protection")) {
            set.put("protection", args.bool("protection", false) ? 1 : 0);
        }
        List<String> delete = new ArrayList<>();
        for (String key : args.has("detach") ? args.strings("detach") : List.<String>of()) {
            if (!config.containsKey(key)) {
                throw new ToolException(title(guest) + " has no " + key + " to detach. It has: " + String.join(", ",
                        config.keySet().stream().filter(k -> k.matches("(net|scsi|virtio|sata|ide|mp|unused)\\d+"))
                                .toList()) + ".");
            }
            if (key.equals("rootfs")) {
                throw new ToolException("A container's rootfs cannot be detached.");
            }
            delete.add(key);
        }
        set.entrySet().removeIf(e -> String.valueOf(e.getValue()).equals(String.valueOf(config.get(e.getKey()))));
        if (set.isEmpty() && delete.isEmpty()) {
            return null;
        }
        return new Change(set, delete);
    }

    private Map<String, Object> config(ToolCall call, GuestRef guest) {
        return Json.map(call.proxmox().get(guest.path("/config"), guest.params()).join());
    }

    private static Map<String, Object> expected(Map<String, Object> config, Change c) {
        Map<String, Object> after = new LinkedHashMap<>(config);
        after.putAll(c.set());
        c.delete().forEach(after::remove);
        return after;
    }

    @Override
    public Preview preview(ToolCall call) {
        GuestRef guest = locate(call);
        checkActionable(guest, "change");
        Map<String, Object> config = config(call, guest);
        Change c = change(call, guest, config);
        if (c == null) {
            return new Preview("Nothing: " + name(guest) + " already has these settings.", List.of(target(call, guest)),
                    List.of(), "Unchanged.", true, false);
        }
        List<ConfigDiff.Change> diff = ConfigDiff.between(config, expected(config, c));
        Map<String, Object> params = new LinkedHashMap<>(c.set());
        if (!c.delete().isEmpty()) {
            params.put("delete", String.join(",", c.delete()));
        }
        return new Preview("Change " + name(guest) + ": " + ConfigDiff.summary(diff, 10) + "." + ("running".equals(
                guest.status()) ? " It runs, so what cannot change live waits for its next start." : ""),
                List.of(target(call, guest, config)), List.of(new Preview.Request("PUT", concretePath(guest, "/config"),
                        params)), title(guest) + " has the new settings.", true, false);
    }

    @Override
    public ToolResult call(ToolCall call) {
        GuestRef guest = locate(call);
        checkActionable(guest, "change");
        Map<String, Object> before = config(call, guest);
        Change c = change(call, guest, before);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("vmid", guest.vmid());
        out.put("node", guest.node());
        if (c == null) {
            out.put("changes", List.of());
            out.put("pending", List.of());
            return ToolResult.of(title(guest) + " already has these settings; nothing changed.", out);
        }
        Map<String, Object> params = new LinkedHashMap<>(c.set());
        if (!c.delete().isEmpty()) {
            params.put("delete", String.join(",", c.delete()));
        }
        if (before.get("digest") != null) {
            params.put("digest", before.get("digest"));
        }
        call.proxmox().put(guest.path("/config"), guest.params(params)).join();
        Map<String, Object> after = config(call, guest);
        List<ConfigDiff.Change> diff = ConfigDiff.between(before, after);
        List<String> pending = new ArrayList<>();
        for (Object o : Json.list(call.proxmox().get(guest.path("/pending"), guest.params()).join())) {
            Map<String, Object> p = Json.map(o);
            if (p.containsKey("pending") || Json.bool(p, "delete", false)) {
                pending.add(Json.string(p, "key"));
            }
        }
        out.put("changes", ConfigDiff.describe(diff));
        out.put("pending", pending);
        return ToolResult.of("Changed " + name(guest) + ": " + ConfigDiff.summary(diff, 12) + "." + (pending.isEmpty()
                ? "" : " Waiting for its next start (" + type.toolPrefix() + "_reboot): " + String.join(", ", pending)
                        + "."), out);
    }
}
