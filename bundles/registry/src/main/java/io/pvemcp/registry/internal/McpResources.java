package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Resource;
import io.pvemcp.api.ResourceContents;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.registry.ToolRegistry;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Resources and resource templates for MCP: list, read (with the Proxmox client held to the caller's scopes and
 * limits), subscribe and unsubscribe, and the updates subscribed sessions are told about.
 */
final class McpResources {

    private final McpHandlers core;
    private final Contributions<Resource, ResourceEntry> resources;
    private final ToolInvoker invoker;
    private final Supplier<ToolRegistry.Switches> switches;
    private final Scheduler scheduler;

    McpResources(McpHandlers core, Contributions<Resource, ResourceEntry> resources, ToolInvoker invoker,
            Supplier<ToolRegistry.Switches> switches, Scheduler scheduler) {
        this.core = core;
        this.resources = resources;
        this.invoker = invoker;
        this.switches = switches;
        this.scheduler = scheduler;
    }

    Mono<McpSchema.ListResourcesResult> list(McpAsyncServerExchange exchange, Object params) {
        Caller caller = core.caller(exchange);
        List<McpSchema.Resource> list = new ArrayList<>();
        for (ResourceEntry r : resources.active()) {
            if (!r.template && caller.hasScope(r.scope) && switches.get().allows(r.bundle, null)) {
                list.add(r.resource);
            }
        }
        return Mono.just(new McpSchema.ListResourcesResult(list, null));
    }

    Mono<McpSchema.ListResourceTemplatesResult> templates(McpAsyncServerExchange exchange,
            Object params) {
        Caller caller = core.caller(exchange);
        List<McpSchema.ResourceTemplate> list = new ArrayList<>();
        for (ResourceEntry r : resources.active()) {
            if (r.template && caller.hasScope(r.scope) && switches.get().allows(r.bundle, null)) {
                list.add(r.resourceTemplate);
            }
        }
        return Mono.just(new McpSchema.ListResourceTemplatesResult(list, null));
    }

    Mono<McpSchema.ReadResourceResult> read(McpAsyncServerExchange exchange, Object params) {
        McpSchema.ReadResourceRequest request = core.convert(params, new TypeRef<>() {
        });
        String uri = request.uri();
        if (uri == null) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: the uri is missing").build();
        }
        Caller caller = core.caller(exchange);
        Clusters.Cluster cluster = invoker.clusters().defaultFor(caller);
        int query = uri.indexOf("?" + Clusters.ARGUMENT + "=");
        if (query > 0 && invoker.clusters().several()) {
            // any resource of a server with several clusters: URI?cluster=NAME
            String name = java.net.URLDecoder.decode(uri.substring(query + Clusters.ARGUMENT.length() + 2),
                    java.nio.charset.StandardCharsets.UTF_8);
            Clusters.Choice choice = invoker.clusters().choose(caller, name);
            if (choice.problem() != null) {
                throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: " + choice.problem())
                        .build();
            }
            cluster = choice.cluster();
            uri = uri.substring(0, query);
        }
        Map.Entry<ResourceEntry, Map<String, String>> found = findResource(caller, uri);
        ResourceEntry resource = found.getKey();
        Map<String, String> variables = found.getValue();
        ResourceRequestContext ctx = new ResourceRequestContext(new McpChannel(exchange), caller,
                invoker.guarded(caller, cluster), uri, variables);
        return Mono.fromCallable(() -> {
            ctx.cancellation.enter();
            try {
                ResourceContents c = resource.service.read(ctx);
                if (c == null) {
                    throw new IllegalStateException("resource " + resource.uri + " of " + resource.bundle
                            + " returned nothing");
                }
                return new McpSchema.ReadResourceResult(List.of(toMcp(c, resource.mimeType)));
            } catch (Exception e) {
                Throwable cause = ToolInvoker.unwrap(e);
                if (cause instanceof ToolException || cause instanceof ProxmoxException) {
                    throw McpError.builder(ErrorCodes.INTERNAL_ERROR).message(cause.getMessage()).build();
                }
                throw e;
            } finally {
                ctx.cancellation.exit();
            }
        }).subscribeOn(scheduler).doOnCancel(ctx.cancellation::cancel);
    }

    Map.Entry<ResourceEntry, Map<String, String>> findResource(Caller caller, String uri) {
        ResourceEntry found = resources.get(uri);
        Map<String, String> variables = found == null ? null : Map.of();
        if (found == null) {
            for (ResourceEntry r : resources.active()) {
                Map<String, String> v = r.template ? r.match(uri) : null;
                if (v != null) {
                    found = r;
                    variables = v;
                    break;
                }
            }
        }
        if (found == null || !caller.hasScope(found.scope) || !switches.get().allows(found.bundle, null)) {
            throw McpError.RESOURCE_NOT_FOUND.apply(uri);
        }
        return Map.entry(found, variables);
    }

    Mono<Object> subscribe(McpAsyncServerExchange exchange, Object params, boolean on) {
        Object uri = params instanceof Map<?, ?> m ? m.get("uri") : null;
        if (!(uri instanceof String u) || u.isBlank()) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: the uri is missing").build();
        }
        if (on) {
            findResource(core.caller(exchange), u);
        }
        core.sessions().subscribe(exchange.sessionId(), u, on);
        return Mono.just(Map.of());
    }

    /** Tells subscribed sessions that a resource changed. */
    void updated(String uri) {
        if (core.sessions() != null) {
            core.sessions().updated(uri);
        }
    }

    static McpSchema.ResourceContents toMcp(ResourceContents c, String defaultMime) {
        String mime = c.mimeType() == null ? defaultMime : c.mimeType();
        return c.text() != null ? new McpSchema.TextResourceContents(c.uri(), mime, c.text())
                : new McpSchema.BlobResourceContents(c.uri(), mime, c.blob());
    }

    /** @return the resource a URI names, for a caller who may read it */
    ResourceEntry find(Caller caller, String uri) {
        return findResource(caller, uri).getKey();
    }
}
