package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Prompt;
import io.pvemcp.api.PromptArgument;
import io.pvemcp.api.PromptResult;
import io.pvemcp.api.Resource;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.registry.ToolRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** Prompts for MCP (list, get) and completions of prompt arguments and resource template variables. */
final class McpPrompts {

    private static final Logger LOG = LoggerFactory.getLogger(McpPrompts.class);

    private final McpHandlers core;
    private final Contributions<Prompt, PromptEntry> prompts;
    private final Contributions<Resource, ResourceEntry> resources;
    private final ToolInvoker invoker;
    private final Supplier<ToolRegistry.Switches> switches;
    private final Scheduler scheduler;

    McpPrompts(McpHandlers core, Contributions<Prompt, PromptEntry> prompts,
            Contributions<Resource, ResourceEntry> resources, ToolInvoker invoker,
            Supplier<ToolRegistry.Switches> switches, Scheduler scheduler) {
        this.core = core;
        this.prompts = prompts;
        this.resources = resources;
        this.invoker = invoker;
        this.switches = switches;
        this.scheduler = scheduler;
    }

    Mono<McpSchema.CompleteResult> complete(McpAsyncServerExchange exchange, Object params) {
        Map<?, ?> p = params instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> ref = p.get("ref") instanceof Map<?, ?> r ? r : Map.of();
        Map<?, ?> argument = p.get("argument") instanceof Map<?, ?> a ? a : Map.of();
        String name = argument.get("name") instanceof String n ? n : null;
        String value = argument.get("value") == null ? "" : String.valueOf(argument.get("value"));
        if (name == null) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: argument.name is missing").build();
        }
        Caller caller = core.caller(exchange);
        java.util.concurrent.Callable<List<String>> source;
        if ("ref/prompt".equals(ref.get("type"))) {
            PromptEntry prompt = ref.get("name") instanceof String n ? prompts.get(n) : null;
            if (prompt == null || !switches.get().allows(prompt.bundle, null)) {
                throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Unknown prompt: "
                        + McpHandlers.printable(String.valueOf(ref.get("name")))).data("Call prompts/list to see the prompts "
                        + "available.").build();
            }
            if (Clusters.ARGUMENT.equals(name) && invoker.clusters().several()) {
                source = () -> invoker.clusters().reachable(caller).stream().filter(c -> c.startsWith(value)).toList();
            } else {
                CompletionContext ctx = new CompletionContext(new McpChannel(exchange), caller,
                        invoker.guarded(caller), "prompt " + prompt.name);
                source = () -> prompt.service.complete(ctx, name, value);
            }
        } else if ("ref/resource".equals(ref.get("type"))) {
            String uri = ref.get("uri") instanceof String u ? u : "";
            ResourceEntry resource = resources.get(uri);
            if (resource == null || !caller.hasScope(resource.scope) || !switches.get().allows(resource.bundle, null)) {
                throw McpError.RESOURCE_NOT_FOUND.apply(McpHandlers.printable(uri));
            }
            CompletionContext ctx = new CompletionContext(new McpChannel(exchange), caller, invoker.guarded(caller), "resource " + resource.uri);
            source = () -> resource.service.complete(ctx, name, value);
        } else {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Invalid params: ref.type must be ref/prompt or "
                    + "ref/resource").build();
        }
        return Mono.fromCallable(() -> {
            List<String> values;
            try {
                values = source.call();
            } catch (ToolException | ProxmoxException e) {
                LOG.debug("completion found nothing: {}", e.getMessage());
                values = List.of();
            }
            values = values == null ? List.of() : values;
            List<String> first = values.size() > 100 ? values.subList(0, 100) : values;
            return new McpSchema.CompleteResult(new McpSchema.CompleteResult.CompleteCompletion(List.copyOf(first),
                    values.size(), values.size() > 100));
        }).subscribeOn(scheduler);
    }

    /** The context of one completion request. */
    private static final class CompletionContext extends RequestContextBase {
        CompletionContext(ClientChannel channel, Caller caller, Supplier<ProxmoxClient> proxmox, String what) {
            super(channel, caller, proxmox, "completion of " + what);
        }
    }


    Mono<McpSchema.ListPromptsResult> list(McpAsyncServerExchange exchange, Object params) {
        List<McpSchema.Prompt> list = new ArrayList<>();
        List<String> reachable = invoker.clusters().several() ? invoker.clusters().reachable(core.caller(exchange))
                : List.of();
        for (PromptEntry p : prompts.active()) {
            if (switches.get().allows(p.bundle, null)) {
                list.add(reachable.size() < 2 ? p.descriptor : withCluster(p.descriptor, reachable));
            }
        }
        return Mono.just(new McpSchema.ListPromptsResult(list, null));
    }

    /** @return the prompt with the optional argument {@code cluster}, for a caller that reaches several */
    private static McpSchema.Prompt withCluster(McpSchema.Prompt p, List<String> reachable) {
        List<McpSchema.PromptArgument> args = new ArrayList<>(p.arguments() == null ? List.of() : p.arguments());
        args.add(new McpSchema.PromptArgument(Clusters.ARGUMENT, "Cluster: " + String.join(", ", reachable)
                + "; default " + reachable.get(0), false));
        return new McpSchema.Prompt(p.name(), p.title(), p.description(), args);
    }

    Mono<McpSchema.GetPromptResult> get(McpAsyncServerExchange exchange, Object params) {
        McpSchema.GetPromptRequest request = core.convert(params, new TypeRef<>() {
        });
        PromptEntry prompt = request.name() == null ? null : prompts.get(request.name());
        if (prompt == null || !switches.get().allows(prompt.bundle, null)) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("Unknown prompt: " + (request.name() == null
                    ? "(no name)" : McpHandlers.printable(request.name())))
                    .data("Call prompts/list to see the prompts available.").build();
        }
        Map<String, String> args = new LinkedHashMap<>();
        if (request.arguments() != null) {
            request.arguments().forEach((k, v) -> {
                if (v != null) {
                    args.put(k, String.valueOf(v));
                }
            });
        }
        Caller promptCaller = core.caller(exchange);
        Clusters.Cluster cluster = invoker.clusters().defaultFor(promptCaller);
        if (invoker.clusters().several() && args.containsKey(Clusters.ARGUMENT)) {
            Clusters.Choice choice = invoker.clusters().choose(promptCaller, args.remove(Clusters.ARGUMENT));
            if (choice.problem() != null) {
                throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("The prompt " + prompt.name + ": "
                        + choice.problem()).build();
            }
            cluster = choice.cluster();
        }
        Set<String> known = new java.util.HashSet<>();
        for (PromptArgument a : prompt.arguments) {
            known.add(a.name());
            if (a.required() && (args.get(a.name()) == null || args.get(a.name()).isBlank())) {
                throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("The prompt " + prompt.name
                        + " needs the argument '" + a.name() + "'" + (a.description() == null ? "" : ": "
                        + a.description())).build();
            }
        }
        for (String k : args.keySet()) {
            if (!known.contains(k)) {
                throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("The prompt " + prompt.name
                        + " has no argument '" + McpHandlers.printable(k) + "'; it accepts " + known).build();
            }
        }
        PromptRequestContext ctx = new PromptRequestContext(new McpChannel(exchange), promptCaller,
                invoker.guarded(promptCaller, cluster), prompt.name, args);
        return Mono.fromCallable(() -> {
            ctx.cancellation.enter();
            try {
                PromptResult r = prompt.service.get(ctx);
                List<McpSchema.PromptMessage> messages = new ArrayList<>();
                for (PromptResult.Message m : r.messages()) {
                    messages.add(new McpSchema.PromptMessage(m.role().equals("user") ? McpSchema.Role.USER
                            : McpSchema.Role.ASSISTANT, McpTools.toMcp(m.content())));
                }
                return new McpSchema.GetPromptResult(r.description(), messages);
            } catch (Exception e) {
                Throwable cause = ToolInvoker.unwrap(e);
                if (cause instanceof ToolException || cause instanceof ProxmoxException) {
                    throw McpError.builder(ErrorCodes.INVALID_PARAMS).message(cause.getMessage()).build();
                }
                throw e;
            } finally {
                ctx.cancellation.exit();
            }
        }).subscribeOn(scheduler).doOnCancel(ctx.cancellation::cancel);
    }
}
