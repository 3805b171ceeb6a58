/**
 * The tool SPI of Proxmox MCP Server: how a bundle contributes tools, resources and prompts to the
 * MCP server.
 *
 * <h2>The model</h2>
 * A contribution is an OSGi service. A tool bundle registers {@link io.pvemcp.api.Tool} services
 * (usually Declarative Services components annotated with {@link io.pvemcp.api.ToolService}); the
 * registry bundle discovers them as they come and go (whiteboard pattern) and publishes them to every
 * connected MCP client, which is told with {@code notifications/tools/list_changed}. Resources and
 * prompts work the same way ({@link io.pvemcp.api.Resource} with {@link io.pvemcp.api.ResourceService},
 * {@link io.pvemcp.api.Prompt} with {@link io.pvemcp.api.PromptService}).
 *
 * <pre>
 * &#64;Component(service = Tool.class)
 * &#64;ToolService(name = "proxmox_system_version", category = "system", readOnly = true, idempotent = true,
 *     description = "Returns the Proxmox VE version of the configured cluster.")
 * public final class VersionTool implements Tool {
 *     public Map&lt;String, Object&gt; inputSchema() { return JsonSchema.object().build(); }
 *     public ToolResult call(ToolCall call) throws Exception {
 *         Map&lt;String, Object&gt; v = Json.map(call.proxmox().get("/version", Map.of()).get());
 *         return ToolResult.of("Proxmox VE " + v.get("version"), v);
 *     }
 * }
 * </pre>
 *
 * <h2>Rules</h2>
 * <ul>
 * <li>Tool bundles import this package and {@link io.pvemcp.api.pve} only. They never see MCP SDK
 * types, so an SDK upgrade touches the registry bundle alone.</li>
 * <li>Values that travel as JSON are plain Java values: {@code Map<String, Object>},
 * {@code List<Object>}, {@code String}, {@code Number}, {@code Boolean} and {@code null}.
 * {@link io.pvemcp.api.Json} and {@link io.pvemcp.api.Arguments} read them safely.</li>
 * <li>A contribution that is invalid (bad name, bad schema, missing description, an exception while
 * the registry reads it) is rejected with a reason the operator can read; it never disturbs the others.</li>
 * </ul>
 *
 * <h2>Versioning</h2>
 * This package follows OSGi semantic versioning. Interfaces marked {@code @ConsumerType} are implemented by
 * tool bundles; those marked {@code @ProviderType} are implemented by the server only.
 * <ul>
 * <li>1.1: {@link io.pvemcp.api.ToolCall#followTask} (wait for a Proxmox task with progress and cancellation),
 * {@link io.pvemcp.api.Listing} (patterns, limits).</li>
 * <li>1.2: {@link io.pvemcp.api.Limits} and {@link io.pvemcp.api.Caller#limits()}, {@link io.pvemcp.api.Caller#tokenId()}
 * (per-token limits and the credentials behind a call).</li>
 * <li>1.3: {@link io.pvemcp.api.Content} (text, image, audio, embedded resources), sampling and elicitation on
 * {@link io.pvemcp.api.ToolCall}, completions, {@link io.pvemcp.api.ResourceUpdates}.</li>
 * <li>1.4: {@link io.pvemcp.api.Tool#additionalScopes} (arguments that ask for a side effect of another scope),
 * {@code complete(RequestContext, ...)} on {@link io.pvemcp.api.Prompt} and {@link io.pvemcp.api.Resource}
 * (completions that read Proxmox as the caller sees it).</li>
 * <li>1.5: {@link io.pvemcp.api.Risk} ({@link io.pvemcp.api.Tool#RISK}, {@link io.pvemcp.api.ToolService#risk()}),
 * {@link io.pvemcp.api.Tool#preview} and {@link io.pvemcp.api.Preview} (dry runs, confirmations, guard rails),
 * {@link io.pvemcp.api.Scopes#DESTROY}, {@link io.pvemcp.api.Limits#confirm()} (which risk classes a token's calls
 * confirm).</li>
 * <li>2.0: a thin contract. {@link io.pvemcp.api.Limits} is a value ({@link io.pvemcp.api.Limits#of},
 * {@link io.pvemcp.api.Limits.VmidRange}); how limits are written moved to the security bundle
 * ({@code io.pvemcp.security.LimitsFormat}). The guest base classes left for the support library
 * {@code io.pvemcp.tools.guest} (in 1.5 already).</li>
 * <li>2.1: the toolsets a token may use ({@link io.pvemcp.api.Limits}).</li>
 * <li>2.2: {@link io.pvemcp.api.Scopes#METRICS}, the scope of {@code /metrics}.</li>
 * <li>2.3: {@link io.pvemcp.api.Tool#risk(Arguments)}, the risk class of one call (a tool whose calls differ);
 * {@link io.pvemcp.api.ToolResult#of(String, java.util.Map, java.util.List)}, structured content with an image.</li>
 * <li>2.4: {@link io.pvemcp.api.Limits#withClusters(java.util.Set)}, the clusters credentials may reach (a tenant).
 * A tool sees the cluster a call is for through {@link io.pvemcp.api.RequestContext#proxmox()}: the registry
 * chooses it from the call's {@code cluster} argument, which it adds to every tool's schema when the server has more
 * than one cluster; tools do nothing for it.</li>
 * </ul>
 */
@Version("2.4.0")
@Export
package io.pvemcp.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
