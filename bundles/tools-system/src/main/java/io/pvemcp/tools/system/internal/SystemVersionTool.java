package io.pvemcp.tools.system.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_system_version", title = "Proxmox VE version", risk = Risk.READ, category = "system",
        idempotent = true,
        description = "Proxmox VE version, release and repository id of the cluster, or of one node.")
public final class SystemVersionTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .optional("node", Schemas.node().description("e.g. pve1 (default: the one connected to)"))
            .build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("version", JsonSchema.string().description("Full version, e.g. 9.1.1"))
            .required("release", JsonSchema.string().description("Major release, e.g. 9.1"))
            .required("repoid", JsonSchema.string().description("Git repository id of the build"))
            .optional("node", JsonSchema.string().description("The node that answered, when one was asked for"))
            .additionalProperties(true)
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
    public ToolResult call(ToolCall call) throws Exception {
        String node = call.arguments().string("node", null);
        Object data = node == null ? call.proxmox().get("/version", Map.of()).get()
                : call.proxmox().get("/nodes/{node}/version", Map.of("node", node)).get();
        Map<String, Object> v = Json.map(data);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", Json.string(v, "version"));
        out.put("release", Json.string(v, "release"));
        out.put("repoid", Json.string(v, "repoid"));
        if (node != null) {
            out.put("node", node);
        }
        if (v.get("console") != null) {
            out.put("console", Json.string(v, "console"));
        }
        String text = "Proxmox VE " + out.get("version") + " (release " + out.get("release") + ", repository "
                + out.get("repoid") + ")" + (node == null ? "" : " on node " + node) + ".";
        return ToolResult.of(text, out);
    }
}
