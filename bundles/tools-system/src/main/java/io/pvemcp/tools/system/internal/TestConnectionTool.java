package io.pvemcp.tools.system.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.ProxmoxException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_test_connection", title = "Test the Proxmox connection", risk = Risk.READ,
        category = "system",
        idempotent = true,
        description = "Checks the Proxmox connection step by step (config, network, TLS, login, version, privileges). "
                + "Use it when tools fail.")
public final class TestConnectionTool implements Tool {

    private static final long STEP_TIMEOUT_SECONDS = 20;

    private static final Map<String, Object> INPUT = JsonSchema.object().build();

    private static final Map<String, Object> OUTPUT = JsonSchema.object()
            .required("ok", JsonSchema.bool().description("true if Proxmox VE answered with the configured credentials"))
            .optional("stage", JsonSchema.string().enumValues("configuration", "network", "tls", "authentication",
                    "authorization", "api").description("The step that failed"))
            .optional("error", JsonSchema.string().description("What failed and what to fix"))
            .optional("url", JsonSchema.anyOfTypes("string", "null"))
            .required("authMethod", JsonSchema.string().description("token, ticket or none"))
            .optional("principal", JsonSchema.anyOfTypes("string", "null")
                    .description("The Proxmox user or API token the server acts as"))
            .required("tls", JsonSchema.string().description("verified, ca-file, fingerprint or insecure"))
            .optional("latencyMs", JsonSchema.integer().minimum(0))
            .optional("version", JsonSchema.string())
            .optional("release", JsonSchema.string())
            .optional("pveCluster", JsonSchema.object().description("The Proxmox VE cluster as its nodes report it")
                    .optional("name", JsonSchema.anyOfTypes("string", "null"))
                    .optional("quorate", JsonSchema.bool())
                    .optional("nodes", JsonSchema.integer())
                    .optional("nodesOnline", JsonSchema.integer()))
            .optional("privileges", JsonSchema.array(JsonSchema.string())
                    .description("Privileges the account holds on the path '/'"))
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
    public ToolResult call(ToolCall call) throws Exception {
        ProxmoxClient client = call.proxmox();
        ConnectionInfo info = client.connection();
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        out.put("ok", false);
        out.put("url", info.baseUrl());
        out.put("authMethod", info.authMethod());
        out.put("principal", info.principal());
        out.put("tls", info.tlsMode());
        out.put("warnings", warnings);
        if ("insecure".equals(info.tlsMode())) {
            warnings.add("TLS certificate verification is switched off: anyone on the network path could impersonate "
                    + "the node. Trust its CA (PROXMOX_CA_FILE) or pin its fingerprint (PROXMOX_FINGERPRINT) instead.");
        }
        if (!info.configured() || "none".equals(info.authMethod())) {
            return failed(out, "configuration", "No Proxmox VE connection is configured: set PROXMOX_HOST and an API "
                    + "token (PROXMOX_TOKEN_ID, PROXMOX_TOKEN_SECRET) or a user and password (PROXMOX_USERNAME, "
                    + "PROXMOX_PASSWORD).");
        }
        call.progress(0, 3.0, "Connecting to " + info.baseUrl());
        long start = System.nanoTime();
        Map<String, Object> version;
        try {
            version = Json.map(client.get("/version", Map.of()).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProxmoxException pe) {
                return failed(out, stage(pe), pe.getMessage());
            }
            throw e;
        } catch (TimeoutException e) {
            return failed(out, "network", "Proxmox VE at " + info.baseUrl() + " did not answer within "
                    + STEP_TIMEOUT_SECONDS + " s.");
        }
        out.put("latencyMs", (System.nanoTime() - start) / 1_000_000);
        out.put("version", Json.string(version, "version"));
        out.put("release", Json.string(version, "release"));
        out.put("ok", true);
        call.cancellation().throwIfCancelled();

        call.progress(1, 3.0, "Reading the cluster status");
        Map<String, Object> cluster = new LinkedHashMap<>();
        try {
            List<Object> status = Json.list(client.get("/cluster/status", Map.of()).get(STEP_TIMEOUT_SECONDS,
                    TimeUnit.SECONDS));
            int nodes = 0;
            int online = 0;
            for (Object o : status) {
                Map<String, Object> m = Json.map(o);
                if ("cluster".equals(m.get("type"))) {
                    cluster.put("name", Json.string(m, "name"));
                    cluster.put("quorate", Json.bool(m, "quorate", false));
                } else if ("node".equals(m.get("type"))) {
                    nodes++;
                    if (Json.bool(m, "online", false)) {
                        online++;
                    }
                }
            }
            if (!cluster.containsKey("name")) {
                cluster.put("name", null);
                cluster.put("quorate", online > 0);
            }
            cluster.put("nodes", nodes);
            cluster.put("nodesOnline", online);
            out.put("pveCluster", cluster);
        } catch (ExecutionException | TimeoutException e) {
            warnings.add("The cluster status could not be read: " + message(e)
                    + " Tools that list nodes or guests may fail for the same reason.");
        }
        call.cancellation().throwIfCancelled();

        call.progress(2, 3.0, "Reading the account's privileges");
        try {
            Map<String, Object> perms = Json.map(client.get("/access/permissions", Map.of("path", "/"))
                    .get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            Object root = perms.get("/");
            List<String> privileges = new ArrayList<>(root instanceof Map<?, ?> m
                    ? new TreeSet<>(Json.map(m).keySet()) : new TreeSet<String>());
            out.put("privileges", privileges);
            if (privileges.isEmpty()) {
                warnings.add("The account holds no privileges on '/': it can log in but most tools will be refused. "
                        + "Grant it a role (e.g. PVEAuditor to read, PVEVMAdmin to manage guests) on '/' or on the "
                        + "paths it should manage.");
            }
        } catch (ExecutionException | TimeoutException e) {
            warnings.add("The account's privileges could not be read: " + message(e));
        }
        call.progress(3, 3.0, "Done");
        return ToolResult.of(summary(out, cluster), out);
    }

    private static String stage(ProxmoxException e) {
        return switch (e.kind()) {
            case NOT_CONFIGURED -> "configuration";
            case CONNECTION, TIMEOUT -> "network";
            case TLS -> "tls";
            case AUTHENTICATION -> "authentication";
            case PERMISSION -> "authorization";
            default -> "api";
        };
    }

    private static String message(Exception e) {
        Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return c instanceof ProxmoxException ? c.getMessage() : "no answer within " + STEP_TIMEOUT_SECONDS + " s.";
    }

    private static ToolResult failed(Map<String, Object> out, String stage, String error) {
        out.put("stage", stage);
        out.put("error", error);
        return ToolResult.of("Connection FAILED at the " + stage + " stage: " + error, out);
    }

    private static String summary(Map<String, Object> out, Map<String, Object> cluster) {
        StringBuilder sb = new StringBuilder("Connected to Proxmox VE ").append(out.get("version")).append(" at ")
                .append(out.get("url")).append(" as ").append(out.get("principal")).append(" (")
                .append("token".equals(out.get("authMethod")) ? "API token" : "ticket login").append(", TLS ")
                .append(out.get("tls")).append(") in ").append(out.get("latencyMs")).append(" ms.");
        if (!cluster.isEmpty()) {
            sb.append(' ').append(cluster.get("name") == null ? "The node" : "Cluster '" + cluster.get("name") + "'")
                    .append(Boolean.TRUE.equals(cluster.get("quorate")) ? " is quorate" : " has NO quorum")
                    .append(", ").append(cluster.get("nodesOnline")).append(" of ").append(cluster.get("nodes"))
                    .append(" nodes online.");
        }
        Object privileges = out.get("privileges");
        if (privileges instanceof List<?> l) {
            sb.append(" The account holds ").append(l.size()).append(" privileges on '/'.");
        }
        List<?> warnings = (List<?>) out.get("warnings");
        if (!warnings.isEmpty()) {
            sb.append(" Warnings: ").append(String.join(" ", warnings.stream().map(String::valueOf).toList()));
        }
        return sb.toString();
    }
}
