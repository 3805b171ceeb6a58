package io.pvemcp.tools.api.internal;

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
import io.pvemcp.api.pve.Guests;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.TaskResult;
import io.pvemcp.api.pve.Upid;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.Futures;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code proxmox_api}: any path of the Proxmox VE API that no tool covers, checked against the contract before
 * Proxmox is asked. Its risk is the method's (a GET reads, a DELETE destroys), and so are the confirmation, the dry
 * run and the guard rails of the call; the registry's guarded client holds each request to the scope of its effect as
 * for every tool.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_api", title = "Call the Proxmox VE API", risk = Risk.DESTROY, category = "api",
        scope = Scopes.READ,
        description = "Any Proxmox VE API call no other tool covers, checked against the API contract first. GET reads; "
                + "POST/PUT change; DELETE destroys.")
public final class ApiTool implements Tool {

    static final int DEFAULT_LIMIT = 100;
    /** Parameters the summary a person reads never repeats (passwords, secrets, keys, tickets). */
    private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile(
            "(?i)pass|secret|private|ticket|csrf|cookie|^key$");

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("method", JsonSchema.string().enumValues("GET", "POST", "PUT", "DELETE"))
            .required("path", JsonSchema.string().minLength(1).maxLength(512)
                    .description("Below /api2/json, e.g. /nodes/pve1/qemu/100/firewall/rules"))
            .optional("params", JsonSchema.object().additionalProperties(true)
                    .description("Query or form parameters"))
            .optional("limit", JsonSchema.integer().minimum(1).maximum(1000)
                    .description("Most list items returned (default 100)"))
            .optional("timeout", JsonSchema.integer().minimum(0).maximum(3600)
                    .description("Seconds to wait for a task it starts (default 60; 0: do not wait)"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("method", JsonSchema.string())
            .required("path", JsonSchema.string())
            .required("api", JsonSchema.string().description("Path template and name in the API"))
            .required("permission", JsonSchema.string().description("What Proxmox checks"))
            .optional("data", JsonSchema.anyOfTypes("object", "array", "string", "number", "boolean", "null")
                    .description("Proxmox's answer"))
            .optional("total", JsonSchema.integer().description("List items in the answer, when cut to limit"))
            .optional("task", JsonSchema.object().additionalProperties(true))
            .build();

    @Reference
    ContractSource contract;

    /** For Declarative Services. */
    public ApiTool() {
    }

    ApiTool(ContractSource contract) {
        this.contract = contract;
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
    public Risk risk(Arguments arguments) {
        try {
            return ApiRequest.check(contract.get(), arguments).risk();
        } catch (ToolException e) {
            return null; // the declared class; the preview reports what is wrong
        }
    }

    @Override
    public Map<String, String> additionalScopes(Arguments arguments) {
        Risk risk = risk(arguments);
        String scope = ApiRequest.scope(risk == null ? Risk.DESTROY : risk);
        return scope == null ? Map.of() : Map.of(scope, arguments.string("method").toUpperCase(java.util.Locale.ROOT)
                + " " + arguments.string("path") + " is a " + (risk == null ? Risk.DESTROY : risk).id() + " call");
    }

    @Override
    public Preview preview(ToolCall call) throws Exception {
        ApiRequest r = ApiRequest.check(contract.get(), call.arguments());
        List<Preview.Target> targets = new ArrayList<>();
        String vmid = r.pathParameters().get("vmid");
        if (vmid != null && vmid.matches("\\d{1,9}")) {
            String type = r.method().path().startsWith("/nodes/{node}/lxc/") ? "lxc"
                    : r.method().path().startsWith("/nodes/{node}/qemu/") ? "qemu" : null;
            GuestRef guest = Futures.join(Guests.locate(call.proxmox(), Integer.parseInt(vmid), type,
                    r.pathParameters().get("node")));
            Map<String, Object> config = Json.map(Futures.join(call.proxmox().get(guest.path("/config"), guest.params())));
            targets.add(GuestTool.previewTarget(call.proxmox(), guest, config));
        }
        String pool = r.pathParameters().get("poolid");
        if (pool != null) {
            targets.add(new Preview.Target("pool", null, pool, null, null, List.of(), pool, null, false));
        }
        Map<String, Object> body = r.bodyParameters();
        Map<String, Object> shown = new LinkedHashMap<>(body);
        shown.replaceAll((k, v) -> SECRET.matcher(k).find() ? "(hidden)" : v);
        String summary = r.method().httpMethod() + " " + r.path() + " (" + r.method().name() + ")"
                + (shown.isEmpty() ? "" : " with " + shown) + ". Proxmox requires " + r.permission() + ".";
        Risk risk = r.risk();
        return new Preview(summary, targets, List.of(new Preview.Request(r.method().httpMethod(), r.path(), body)),
                null, risk != Risk.DESTROY, r.interrupts());
    }

    @Override
    public ToolResult call(ToolCall call) throws Exception {
        ApiRequest r = ApiRequest.check(contract.get(), call.arguments());
        ProxmoxClient pve = call.proxmox();
        Object data = Futures.join(pve.request(r.method().httpMethod(), r.method().path(), r.params()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("method", r.method().httpMethod());
        out.put("path", r.path());
        out.put("api", r.method().path() + " (" + r.method().name() + ")");
        out.put("permission", r.permission());
        String what = r.method().httpMethod() + " " + r.path();
        StringBuilder text = new StringBuilder(what);
        long timeout = call.arguments().integer("timeout", 60);
        if (!"GET".equals(r.method().httpMethod()) && Upid.isUpid(data) && timeout > 0) {
            TaskResult task = call.followTask(((String) data).strip(), Duration.ofSeconds(timeout), what);
            out.put("data", data);
            out.put("task", GuestTool.describe(task));
            if (task.running()) {
                text.append(": ").append(GuestTool.stillRunning("Its task", task));
            } else if (task.failed()) {
                throw new ToolException(GuestTool.failure(what, task));
            } else {
                text.append(": its task ended OK after ").append(task.elapsed().toSeconds()).append(" s.");
            }
            return ToolResult.of(text.toString(), out);
        }
        int limit = (int) call.arguments().integer("limit", DEFAULT_LIMIT);
        if (data instanceof List<?> list && list.size() > limit) {
            out.put("data", new ArrayList<>(list.subList(0, limit)));
            out.put("total", list.size());
            text.append(": ").append(list.size()).append(" items, the first ").append(limit)
                    .append(" returned (raise limit for more).");
        } else {
            if (data != null) {
                out.put("data", data);
            }
            text.append(data instanceof List<?> list ? ": " + list.size() + " items." : data == null
                    ? ": done, no data." : ".");
        }
        return ToolResult.of(text.toString(), out);
    }
}
