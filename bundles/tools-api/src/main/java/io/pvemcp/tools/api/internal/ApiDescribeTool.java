package io.pvemcp.tools.api.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.pve.contract.ApiContract;
import io.pvemcp.pve.contract.ApiMethod;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code proxmox_api_describe}: what the Proxmox VE API contract says of a path (its methods, their parameters,
 * permissions and answers), or which paths lie below a shorter one, so that a model can form a valid
 * {@code proxmox_api} call.
 */
@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_api_describe", title = "Describe a Proxmox VE API path", risk = Risk.READ,
        category = "api", idempotent = true,
        description = "A Proxmox VE API path as its contract states it: methods, parameters, permission, risk, and the "
                + "paths below. For proxmox_api.")
public final class ApiDescribeTool implements Tool {

    static final int MAX_PATHS = 100;

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("path", JsonSchema.string().minLength(1).maxLength(512)
                    .description("e.g. /nodes/pve1/qemu/100/firewall or /nodes/{node}/qemu/{vmid}/firewall"))
            .optional("method", JsonSchema.string().enumValues("GET", "POST", "PUT", "DELETE"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("path", JsonSchema.string())
            .required("methods", JsonSchema.array(JsonSchema.object().additionalProperties(true)))
            .required("below", JsonSchema.array(JsonSchema.string()).description("Paths below it"))
            .optional("more", JsonSchema.integer().description("Further paths below, not listed"))
            .build();

    @Reference
    ContractSource contract;

    /** For Declarative Services. */
    public ApiDescribeTool() {
    }

    ApiDescribeTool(ContractSource contract) {
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
    public ToolResult call(ToolCall call) {
        ApiContract api = contract.get();
        String path = ApiRequest.normalise(call.arguments().string("path"));
        String only = call.arguments().optionalString("method").map(m -> m.toUpperCase(Locale.ROOT)).orElse(null);
        String template = null;
        Map<String, String> pathParameters = Map.of();
        List<Map<String, Object>> methods = new ArrayList<>();
        for (String m : ApiRequest.METHODS) {
            ApiMethod method = api.method(m, path).orElse(null);
            Map<String, String> values = Map.of();
            if (method == null) {
                var found = api.find(m, path);
                if (found.isPresent()) {
                    method = found.get().method();
                    values = found.get().pathParameters();
                }
            }
            if (method == null) {
                continue;
            }
            template = method.path();
            pathParameters = values;
            if (only == null || only.equals(m)) {
                methods.add(describe(method, values));
            }
        }
        String base = template != null ? template : path;
        List<String> below = below(api, base, template == null);
        if (template == null && below.isEmpty()) {
            throw ToolException.invalidArgument("path", "the Proxmox VE " + api.version() + " API has no path " + path
                    + " and none below it; its paths start with " + String.join(", ", below(api, "/", false)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", base);
        out.put("methods", methods);
        out.put("below", below.size() > MAX_PATHS ? below.subList(0, MAX_PATHS) : below);
        if (below.size() > MAX_PATHS) {
            out.put("more", below.size() - MAX_PATHS);
        }
        StringBuilder text = new StringBuilder();
        if (template == null) {
            text.append("No method on ").append(path).append(" itself; ").append(below.size())
                    .append(below.size() == 1 ? " path lies" : " paths lie").append(" below it.");
        } else {
            text.append(base).append(": ");
            List<String> names = new ArrayList<>();
            for (Map<String, Object> m : methods) {
                names.add(m.get("method") + " (" + m.get("name") + ", " + m.get("risk") + ")");
            }
            text.append(methods.isEmpty() ? "no " + only : String.join(", ", names)).append(". ")
                    .append(below.size()).append(below.size() == 1 ? " path" : " paths").append(" below it.");
            if (!pathParameters.isEmpty()) {
                Map<String, String> inOrder = new LinkedHashMap<>();
                for (String part : split(template)) {
                    String name = part.startsWith("{") ? part.substring(1, part.length() - 1) : null;
                    if (name != null && pathParameters.containsKey(name)) {
                        inOrder.put(name, pathParameters.get(name));
                    }
                }
                text.append(" Path values: ").append(inOrder).append('.');
            }
        }
        return ToolResult.of(text.toString(), out);
    }

    private static Map<String, Object> describe(ApiMethod method, Map<String, String> pathParameters) {
        Map<String, Object> m = new LinkedHashMap<>();
        Risk risk = ApiRequest.risk(method.httpMethod(), method.path());
        m.put("method", method.httpMethod());
        m.put("name", method.name());
        m.put("risk", risk.id());
        m.put("permission", Permissions.describe(method.permissions(), pathParameters));
        if (!method.allowToken()) {
            m.put("tokens", "API tokens may not call it");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (var e : method.parameters().entrySet()) {
            params.put(e.getKey(), parameter(e.getValue()));
        }
        m.put("parameters", params);
        m.put("returns", returns(method.returns()));
        return m;
    }

    /** A parameter's schema in one line, e.g. {@code integer 100-999999999, required}. */
    static String parameter(Map<String, Object> schema) {
        List<String> parts = new ArrayList<>();
        String type = String.valueOf(schema.getOrDefault("type", "string"));
        if (schema.get("enum") instanceof List<?> values) {
            parts.add("one of " + String.join("|", values.stream().map(String::valueOf).toList()));
        } else {
            StringBuilder t = new StringBuilder(type);
            Object min = schema.get("minimum");
            Object max = schema.get("maximum");
            if (min != null || max != null) {
                t.append(' ').append(min == null ? "" : number(min)).append("..").append(max == null ? ""
                        : number(max));
            }
            parts.add(t.toString());
        }
        Object format = schema.get("format");
        if (format instanceof Map<?, ?> keys) {
            parts.add("property string of " + String.join(",", keys.keySet().stream().map(String::valueOf).toList()));
        } else if (format != null) {
            parts.add("format " + format);
        }
        if (schema.get("pattern") != null) {
            parts.add("pattern " + schema.get("pattern"));
        }
        if (schema.get("maxLength") != null) {
            parts.add("at most " + number(schema.get("maxLength")) + " chars");
        }
        if (schema.get("default") != null) {
            parts.add("default " + schema.get("default"));
        }
        Object optional = schema.get("optional");
        boolean isOptional = optional instanceof Number n && n.intValue() == 1 || Boolean.TRUE.equals(optional);
        parts.add(isOptional ? "optional" : "required");
        return String.join(", ", parts);
    }

    private static String number(Object n) {
        return n instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : String.valueOf(n);
    }

    private static String returns(Object schema) {
        if (!(schema instanceof Map<?, ?> s)) {
            return "nothing stated";
        }
        String type = String.valueOf(s.get("type"));
        if ("array".equals(type) && s.get("items") instanceof Map<?, ?> items) {
            return "array of " + returns(items);
        }
        if ("object".equals(type) && s.get("properties") instanceof Map<?, ?> props && !props.isEmpty()) {
            List<String> keys = props.keySet().stream().map(String::valueOf).toList();
            return "object (" + String.join(", ", keys.size() > 30 ? keys.subList(0, 30) : keys)
                    + (keys.size() > 30 ? ", ..." : "") + ")";
        }
        return "null".equals(type) ? "nothing" : type;
    }

    /**
     * @param base a template of the contract, or any start of a path (concrete or a template, its last segment
     *        perhaps cut short) when {@code prefix}
     * @param prefix whether base is any start of a path
     * @return for a template, the paths one segment below it; for a start, every path that begins with it
     */
    private static List<String> below(ApiContract api, String base, boolean prefix) {
        Set<String> out = new LinkedHashSet<>();
        String[] want = split(base);
        for (ApiMethod m : api.methods()) {
            String[] have = split(m.path());
            if (prefix ? have.length < want.length || !startsWith(have, want, true)
                    : have.length <= want.length || !startsWith(have, want, false)) {
                continue;
            }
            out.add(prefix ? m.path() : "/" + String.join("/", java.util.Arrays.copyOf(have, want.length + 1)));
        }
        List<String> sorted = new ArrayList<>(out);
        java.util.Collections.sort(sorted);
        return sorted;
    }

    private static boolean startsWith(String[] have, String[] want, boolean prefix) {
        for (int i = 0; i < want.length; i++) {
            boolean variable = have[i].startsWith("{");
            boolean same = have[i].equals(want[i]) || variable && (prefix || want[i].startsWith("{"))
                    || prefix && i == want.length - 1 && have[i].startsWith(want[i]);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static String[] split(String path) {
        return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
