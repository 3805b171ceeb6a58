package io.pvemcp.registry.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.security.AuditEvent;
import io.pvemcp.security.AuditLog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a tool call is decided, for every transport (MCP over HTTP and stdio, the REST API), in SPI types:
 * admission by the operator's switches and the caller's scopes (the tool's and those its arguments add), argument
 * validation, the caller's limits, the concurrency limit, the call itself, the check of its result against the
 * output schema, and exactly one audit entry per call, however it ends. Transports adapt its {@link Invocation} to
 * their protocol; none pretends to be another.
 */
final class ToolInvoker {

    private static final Logger LOG = LoggerFactory.getLogger(ToolInvoker.class);

    private final Contributions<Tool, ToolEntry> tools;
    private final Executor workers;
    private final Supplier<ProxmoxClient> proxmox;
    private final Supplier<AuditLog> audit;
    private final Supplier<ToolRegistry.Switches> switches;

    ToolInvoker(Contributions<Tool, ToolEntry> tools, Executor workers, Supplier<ProxmoxClient> proxmox,
            Supplier<AuditLog> audit, Supplier<ToolRegistry.Switches> switches) {
        this.tools = tools;
        this.workers = workers;
        this.proxmox = proxmox;
        this.audit = audit;
        this.switches = switches;
    }

    /**
     * How a call ended.
     *
     * @param outcome {@code ok}, {@code error}, {@code unknown}, {@code denied}, {@code switched-off},
     *        {@code invalid}, {@code busy}, {@code unavailable} or {@code cancelled}
     * @param result the tool's result when it ran and succeeded, checked against its output schema; otherwise
     *        {@code null}
     * @param message what went wrong, for the caller, when {@code result} is {@code null}
     * @param tool the tool, when it exists
     */
    record Invocation(String outcome, ToolResult result, String message, ToolEntry tool) {
        boolean ok() {
            return result != null;
        }
    }

    /**
     * Calls a tool.
     *
     * @param caller who calls, as the transport authenticated it
     * @param name the tool name
     * @param arguments the arguments, JSON-shaped
     * @param channel the client to report progress to and ask
     * @param progressToken the progress token of the request, or {@code null}
     * @param cancellation cancelled by the transport when the client cancels the request
     * @return the invocation, when the call ends; never completes exceptionally
     */
    CompletableFuture<Invocation> invoke(Caller caller, String name, Map<String, Object> arguments,
            ClientChannel channel, Object progressToken, CancellationSignal cancellation) {
        Instant started = Instant.now();
        Map<String, Object> args = arguments == null ? Map.of() : arguments;
        ToolEntry tool = tools.get(name);
        AuditLog log = audit.get();
        if (tool == null) {
            return done(refuse(log, caller, name, args, started, "unknown", null, "Unknown tool: "
                    + McpHandlers.printable(String.valueOf(name)) + ". List the tools you can use."));
        }
        String auditProblem = log == null ? "the audit log is not running" : tool.readOnly ? null : log.failure();
        if (auditProblem != null) {
            LOG.error("Refused tool {} for {}: {}", tool.name, caller.subject(), auditProblem);
            return done(new Invocation("unavailable", null, "The server cannot record tool calls right now ("
                    + auditProblem + "), so it runs none that could change anything. Ask the operator to check the "
                    + "server log.", tool));
        }
        if (!switches.get().allows(tool.bundle, tool.name)) {
            Invocation off = refuse(log, caller, tool.name, args, started, "denied", tool, "The tool " + tool.name
                    + " is switched off on this server by its operator. Use another tool, or ask the operator to "
                    + "switch it on in the admin console.");
            return done(new Invocation("switched-off", null, off.message(), tool));
        }
        String refusal = admission(tool, caller, args);
        if (refusal != null) {
            String outcome = refusal.startsWith("Invalid arguments") ? "invalid" : "denied";
            return done(refuse(log, caller, tool.name, args, started, outcome, tool, refusal));
        }
        List<String> tasks = new CopyOnWriteArrayList<>();
        ToolCallContext call = new ToolCallContext(channel, caller, guarded(caller, tasks), tool.name, args,
                progressToken, cancellation);
        long start = System.nanoTime();
        CompletableFuture<Invocation> running;
        try {
            running = CompletableFuture.supplyAsync(() -> run(tool, call), workers);
        } catch (RejectedExecutionException e) {
            return done(refuse(log, caller, tool.name, args, started, "busy", tool, "The server is busy: too many "
                    + "tool calls are running. Try again in a moment."));
        }
        return running.thenApply(i -> {
            Invocation end = i;
            if (cancellation.isCancelled()) {
                String stopped = tasks.isEmpty() ? "" : " " + stopTasks(tasks);
                end = new Invocation("cancelled", null, "The call was cancelled before " + tool.name + " finished."
                        + stopped, tool);
            }
            LOG.info("tool {} called by {} ({}): {} in {} ms", tool.name, caller.subject(),
                    caller.clientName() == null ? "?" : caller.clientName(), end.outcome(),
                    (System.nanoTime() - start) / 1_000_000);
            record(log, caller, tool.name, args, end.outcome(), end.ok() ? null : end.message(), started, tasks);
            return end;
        });
    }

    /**
     * Stops the Proxmox tasks a cancelled call started and still run ({@code DELETE /nodes/{node}/tasks/{upid}}): a
     * cancelled clone leaves no clone behind, a cancelled shutdown no shutdown under way. The call may stop its own
     * tasks whatever its scopes.
     *
     * @return what became of each task, with its UPID
     */
    private String stopTasks(List<String> tasks) {
        ProxmoxClient client = proxmox.get();
        List<String> report = new java.util.ArrayList<>();
        for (String upid : tasks) {
            String node = io.pvemcp.api.pve.Upid.parse(upid).node();
            Map<String, Object> at = Map.of("node", node, "upid", upid);
            try {
                if (!running(client, at)) {
                    report.add("Its Proxmox task " + upid + " had already ended.");
                    continue;
                }
                client.delete("/nodes/{node}/tasks/{upid}", at).get(10, java.util.concurrent.TimeUnit.SECONDS);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (running(client, at) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                report.add(running(client, at) ? "Its Proxmox task " + upid + " was told to stop but still runs; "
                        + "follow it with proxmox_task_status." : "Its Proxmox task " + upid + " was stopped; check "
                        + "the state it left before you retry.");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                report.add("Its Proxmox task " + upid + " may still run; follow it with proxmox_task_status.");
            } catch (Exception e) {
                LOG.warn("Stopping task {} of a cancelled call failed: {}", upid, e.toString());
                report.add("Its Proxmox task " + upid + " could not be stopped (" + unwrap(e).getMessage()
                        + ") and may still run; follow it with proxmox_task_status.");
            }
        }
        return String.join(" ", report);
    }

    private static boolean running(ProxmoxClient client, Map<String, Object> at) throws Exception {
        Object status = client.get("/nodes/{node}/tasks/{upid}/status", at).get(10,
                java.util.concurrent.TimeUnit.SECONDS);
        return status instanceof Map<?, ?> m && "running".equals(m.get("status"));
    }

    /** @return why the call may not run, or {@code null}: scopes, arguments, limits, in that order */
    private String admission(ToolEntry tool, Caller caller, Map<String, Object> args) {
        if (!caller.hasScope(tool.scope)) {
            return "The tool " + tool.name + " needs the scope " + tool.scope + ", which your credentials do not "
                    + "grant. Ask the operator for a token with that scope.";
        }
        List<String> problems = tool.input.problems(args);
        if (!problems.isEmpty()) {
            return "Invalid arguments for " + tool.name + ": " + String.join("; ", problems) + ". Fix them and call "
                    + "the tool again.";
        }
        String lacking = lackingScopes(tool, caller, args);
        if (lacking != null) {
            return lacking;
        }
        return GuardedProxmoxClient.outsideLimits(caller, args);
    }

    /**
     * @return why the caller may not make this call with these arguments (the tool declares that they ask for a side
     *         effect of another scope), or {@code null}
     */
    private String lackingScopes(ToolEntry tool, Caller caller, Map<String, Object> arguments) {
        Map<String, String> more;
        try {
            more = tool.service.additionalScopes(new Arguments(arguments));
        } catch (RuntimeException | LinkageError e) {
            String ref = reference();
            LOG.error("Tool {} of bundle {} failed to name the scopes of its arguments (reference {})", tool.name,
                    tool.bundle, ref, e);
            return "The tool " + tool.name + " could not say which scopes this call needs (reference " + ref + "), so "
                    + "it was not run. This is a bug in bundle " + tool.bundle + "; please report it.";
        }
        if (more == null) {
            return null;
        }
        for (var e : more.entrySet()) {
            if (Scopes.isKnown(e.getKey()) && !caller.hasScope(e.getKey())) {
                return "This call of " + tool.name + " also needs the scope " + e.getKey() + " (" + e.getValue()
                        + "), which your credentials do not grant. Nothing was done. Call it without that option, or "
                        + "ask the operator for a token with " + e.getKey() + ".";
            }
        }
        return null;
    }

    private Invocation run(ToolEntry tool, ToolCallContext call) {
        call.cancellation.enter();
        try {
            ToolResult result = tool.service.call(call);
            if (result == null) {
                return bug(tool, "returned no result");
            }
            if (result.isError()) {
                return new Invocation("error", null, result.text(), tool);
            }
            if (tool.output != null) {
                Map<String, Object> structured = result.structuredContent();
                if (structured == null) {
                    return bug(tool, "returned no structured content although it declares an output schema");
                }
                List<String> problems = tool.output.problems(structured);
                if (!problems.isEmpty()) {
                    return bug(tool, "returned data that does not match its output schema: "
                            + String.join("; ", problems));
                }
            }
            return new Invocation("ok", result, null, tool);
        } catch (Throwable e) {
            Throwable cause = unwrap(e);
            if (cause instanceof ToolException || cause instanceof ProxmoxException) {
                return new Invocation("error", null, cause.getMessage(), tool);
            }
            if (call.cancellation.isCancelled()
                    && (cause instanceof CancellationException || cause instanceof InterruptedException)) {
                return new Invocation("cancelled", null, "The call was cancelled before " + tool.name + " finished. "
                        + "Anything Proxmox already started keeps running; check its state before you retry.", tool);
            }
            if (cause instanceof TimeoutException) {
                return new Invocation("error", null, tool.name + " timed out: " + cause.getMessage(), tool);
            }
            if (cause instanceof Error err && !(cause instanceof LinkageError)) {
                throw err;
            }
            String ref = reference();
            LOG.error("Tool {} of bundle {} failed (reference {})", tool.name, tool.bundle, ref, cause);
            return new Invocation("error", null, "The tool " + tool.name + " failed unexpectedly (reference " + ref
                    + "). The server log has the details; please report this.", tool);
        } finally {
            call.cancellation.exit();
        }
    }

    /** A result the tool should not have produced: reported as its bug, with a reference into the server log. */
    Invocation bug(ToolEntry tool, String what) {
        String ref = reference();
        LOG.error("Tool {} of bundle {} {} (reference {})", tool.name, tool.bundle, what, ref);
        return new Invocation("error", null, "The tool " + tool.name + " " + what + " (reference " + ref + "). This is "
                + "a bug in bundle " + tool.bundle + "; please report it.", tool);
    }

    /** Refuses a call before it runs, with its audit entry. */
    private static Invocation refuse(AuditLog log, Caller caller, String name, Map<String, Object> args, Instant started,
            String outcome, ToolEntry tool, String message) {
        record(log, caller, name, args, outcome, message, started, List.of());
        return new Invocation(outcome, null, message, tool);
    }

    private static void record(AuditLog log, Caller caller, String tool, Map<String, Object> arguments, String outcome,
            String message, Instant started, List<String> tasks) {
        if (log != null) {
            log.record(new AuditEvent(started, caller, "tools/call", tool, arguments, outcome, message,
                    Duration.between(started, Instant.now()).toMillis(), List.copyOf(tasks)));
        }
    }

    /** The Proxmox client as a caller may use it: its scopes per effect and its token's limits. */
    Supplier<ProxmoxClient> guarded(Caller caller, List<String> tasks) {
        return () -> {
            ProxmoxClient client = proxmox.get();
            return client == null ? null : new GuardedProxmoxClient(client, caller, tasks);
        };
    }

    Supplier<ProxmoxClient> guarded(Caller caller) {
        return guarded(caller, new CopyOnWriteArrayList<>());
    }

    private static CompletableFuture<Invocation> done(Invocation i) {
        return CompletableFuture.completedFuture(i);
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String reference() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
