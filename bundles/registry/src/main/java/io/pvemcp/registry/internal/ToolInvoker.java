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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Elicitation;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
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
    private final Clusters clusters;
    private final Supplier<AuditLog> audit;
    private final Supplier<ToolRegistry.Switches> switches;
    private final ToolMetrics metrics = new ToolMetrics();

    private volatile Toolsets toolsets = Toolsets.all();
    /** Places for calls on their callers' threads (see {@link #callersMayRun(int)}); none until set. */
    private volatile Semaphore callerSlots = new Semaphore(0);

    /** @param sets which toolsets callers see, as the operator configured them */
    void toolsets(Toolsets sets) {
        this.toolsets = sets;
    }

    Toolsets toolsets() {
        return toolsets;
    }

    ToolInvoker(Contributions<Tool, ToolEntry> tools, Executor workers, Clusters clusters,
            Supplier<AuditLog> audit, Supplier<ToolRegistry.Switches> switches) {
        this.tools = tools;
        this.workers = workers;
        this.clusters = clusters;
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
     * @param cluster the cluster the call went to, when the server has several and the result should name it
     */
    record Invocation(String outcome, ToolResult result, String message, ToolEntry tool, Map<String, Object> details,
            Map<String, Object> confirmation, String cluster) {
        Invocation(String outcome, ToolResult result, String message, ToolEntry tool) {
            this(outcome, result, message, tool, null, null, null);
        }

        Invocation(String outcome, ToolResult result, String message, ToolEntry tool, Map<String, Object> details,
                Map<String, Object> confirmation) {
            this(outcome, result, message, tool, details, confirmation, null);
        }

        boolean ok() {
            return result != null;
        }

        Invocation confirmed(Map<String, Object> by) {
            return new Invocation(outcome, result, message, tool, details, by, cluster);
        }

        Invocation in(String name) {
            return new Invocation(outcome, result, message, tool, details, confirmation, name);
        }
    }

    /** @return the clusters calls go to */
    Clusters clusters() {
        return clusters;
    }

    /** What a person answers when asked to confirm a call through elicitation. */
    private static final Map<String, Object> CONFIRM_SCHEMA = Map.of("type", "object", "properties", Map.of("confirm",
            Map.of("type", "boolean", "title", "Yes, do it", "description", "Check to go ahead; leave unchecked or "
                    + "decline to stop", "default", false)), "required", List.of("confirm"));

    private final Safety safety = new Safety();
    private volatile java.util.function.BooleanSupplier approvers = () -> true;

    private volatile java.util.function.Function<Caller, String> invalidated = caller -> null;

    /** @param check why a caller's credentials are no longer valid, or {@code null} while they are */
    void credentials(java.util.function.Function<Caller, String> check) {
        this.invalidated = check;
    }

    /** @param present whether a page runs where people approve held calls */
    void approvers(java.util.function.BooleanSupplier present) {
        this.approvers = present;
    }
    private volatile Approvals approvals = new Approvals(null);

    Safety safety() {
        return safety;
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
        return invoke(caller, name, arguments, channel, progressToken, cancellation, null, false);
    }

    /**
     * Calls a tool, as {@link #invoke(Caller, String, Map, ClientChannel, Object, CancellationSignal)}, on the calling
     * thread when {@code here} and a place is free among those set by {@link #callersMayRun(int)}: a request thread
     * that waits for the answer anyway saves the hand-over to a worker and back.
     */
    CompletableFuture<Invocation> invoke(Caller caller, String name, Map<String, Object> arguments,
            ClientChannel channel, Object progressToken, CancellationSignal cancellation, boolean here) {
        return invoke(caller, name, arguments, channel, progressToken, cancellation, null, here);
    }

    /**
     * @param slots how many calls may run on their callers' threads at once (those beyond go to the workers); as many
     *        as there are workers, so that callers' threads add no more to what Proxmox sees than a second pool would
     */
    void callersMayRun(int slots) {
        this.callerSlots = new Semaphore(Math.max(0, slots));
    }

    /**
     * Calls a tool, as {@link #invoke(Caller, String, Map, ClientChannel, Object, CancellationSignal)}, that a person
     * may already have confirmed.
     *
     * @param confirmed who confirmed it, how and when, for the audit log; {@code null} if nobody did yet
     */
    CompletableFuture<Invocation> invoke(Caller caller, String name, Map<String, Object> arguments,
            ClientChannel channel, Object progressToken, CancellationSignal cancellation, Map<String, Object> confirmed) {
        return invoke(caller, name, arguments, channel, progressToken, cancellation, confirmed, false);
    }

    private CompletableFuture<Invocation> invoke(Caller caller, String name, Map<String, Object> arguments,
            ClientChannel channel, Object progressToken, CancellationSignal cancellation, Map<String, Object> confirmed,
            boolean here) {
        long t0 = System.nanoTime();
        return unmeasured(caller, name, arguments, channel, progressToken, cancellation, confirmed, here).whenComplete(
                (i, e) -> metrics.called(i != null && i.tool() != null ? i.tool().name : ToolMetrics.UNKNOWN,
                        i != null ? i.outcome() : "error", System.nanoTime() - t0));
    }

    /** @return whether a tool of this name is registered now */
    boolean has(String name) {
        return name != null && tools.get(name) != null;
    }

    /** @return the figures of the calls made so far */
    ToolMetrics metrics() {
        return metrics;
    }

    private CompletableFuture<Invocation> unmeasured(Caller caller, String name, Map<String, Object> arguments,
            ClientChannel channel, Object progressToken, CancellationSignal cancellation, Map<String, Object> confirmed,
            boolean here) {
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
        String hidden = toolsets.refusal(caller, tool.name, tool.category);
        if (hidden != null) {
            return done(refuse(log, caller, tool.name, args, started, "denied", tool, hidden));
        }
        if (!switches.get().allows(tool.bundle, tool.name)) {
            Invocation off = refuse(log, caller, tool.name, args, started, "denied", tool, "The tool " + tool.name
                    + " is switched off on this server by its operator. Use another tool, or ask the operator to "
                    + "switch it on in the admin console.");
            return done(new Invocation("switched-off", null, off.message(), tool));
        }
        Map<String, Object> toolArgs = args;
        boolean dryRun = false;
        boolean allowHa = false;
        if (!tool.readOnly) {
            String bad = safetyArgument(args, Safety.DRY_RUN);
            bad = bad != null || !tool.haArgument ? bad : safetyArgument(args, Safety.ALLOW_HA);
            if (bad != null) {
                return done(refuse(log, caller, tool.name, args, started, "invalid", tool, "Invalid arguments for "
                        + tool.name + ": " + bad + ". Fix it and call the tool again."));
            }
            dryRun = Boolean.TRUE.equals(args.get(Safety.DRY_RUN));
            allowHa = Boolean.TRUE.equals(args.get(Safety.ALLOW_HA));
            toolArgs = new java.util.LinkedHashMap<>(args);
            toolArgs.remove(Safety.DRY_RUN);
            if (tool.haArgument) {
                toolArgs.remove(Safety.ALLOW_HA);
            }
        }
        Clusters.Cluster cluster = null;
        if (tool.proxmox) {
            Clusters.Choice choice = clusters.choose(caller, args.get(Clusters.ARGUMENT));
            if (choice.problem() != null) {
                return done(refuse(log, caller, tool.name, args, started, choice.denied() ? "denied" : "invalid", tool,
                        choice.denied() ? choice.problem() : "Invalid arguments for " + tool.name + ": "
                                + choice.problem() + ". Fix it and call the tool again."));
            }
            cluster = choice.cluster();
            if (args.containsKey(Clusters.ARGUMENT)) {
                toolArgs = toolArgs == args ? new java.util.LinkedHashMap<>(args) : toolArgs;
                toolArgs.remove(Clusters.ARGUMENT);
            } else if (cluster != null && clusters.several()) {
                // the audit trail and a held call name the cluster the call went to
                args = new java.util.LinkedHashMap<>(args);
                args.put(Clusters.ARGUMENT, cluster.name());
            }
        }
        // what the caller may do in that cluster: its grant there narrows its scopes and limits
        Caller who = cluster == null ? caller : caller.inCluster(cluster.name());
        String refusal = admission(tool, who, toolArgs);
        if (refusal != null && who != caller && !refusal.startsWith("Invalid arguments")) {
            refusal += " On cluster " + cluster.name() + " your credentials grant " + String.join(" ", who.scopes())
                    + (who.limits().isNone() ? "" : ", limited to " + who.limits().inCluster(cluster.name()).describe())
                    + ".";
        }
        if (refusal != null) {
            String outcome = refusal.startsWith("Invalid arguments") ? "invalid" : "denied";
            return done(refuse(log, who, tool.name, args, started, outcome, tool, refusal));
        }
        List<String> tasks = new CopyOnWriteArrayList<>();
        Clusters.Cluster target = cluster;
        String named = cluster != null && clusters.several() ? cluster.name() : null;
        ToolCallContext call = new ToolCallContext(channel, who, guarded(who, tasks, target), tool.name,
                toolArgs, progressToken, cancellation);
        long start = System.nanoTime();
        CompletableFuture<Invocation> running;
        boolean preview = dryRun;
        boolean ha = allowHa;
        Map<String, Object> held = args;
        Semaphore slots = callerSlots;
        Risk risk = tool.readOnly ? Risk.READ : callRisk(tool, call.arguments());
        Supplier<Invocation> work = () -> risk == Risk.READ && !preview ? run(tool, call)
                : gated(tool, risk, call, preview, ha, confirmed, held, target);
        try {
            if (here && slots.tryAcquire()) {
                try {
                    running = CompletableFuture.completedFuture(work.get());
                } catch (Throwable e) {
                    // as a worker's future would end
                    running = CompletableFuture.failedFuture(e);
                } finally {
                    slots.release();
                }
            } else {
                running = CompletableFuture.supplyAsync(work, workers);
            }
        } catch (RejectedExecutionException e) {
            return done(refuse(log, who, tool.name, args, started, "busy", tool, "The server is busy: too many "
                    + "tool calls are running. Try again in a moment."));
        }
        Map<String, Object> audited = args;
        return running.thenApply(i -> {
            Invocation end = named == null ? i : i.in(named);
            if (cancellation.isCancelled()) {
                String stopped = tasks.isEmpty() ? "" : " " + stopTasks(tasks, target);
                end = new Invocation("cancelled", null, "The call was cancelled before " + tool.name + " finished."
                        + stopped, tool);
            }
            // every call is in the audit trail; the log names those that did not end well, and all at debug level
            if (!end.ok() || LOG.isDebugEnabled()) {
                String line = "tool {} called by {} ({}): {} in {} ms";
                Object[] values = {tool.name, who.subject(), who.clientName() == null ? "?" : who.clientName(),
                        end.outcome(), (System.nanoTime() - start) / 1_000_000};
                if (end.ok()) {
                    LOG.debug(line, values);
                } else {
                    LOG.info(line, values);
                }
            }
            record(log, who, tool.name, audited, end.outcome(), end.ok() ? null : end.message(), started, tasks,
                    end.confirmation());
            return end;
        });
    }

    /** @return the risk class of this call: the tool's answer for these arguments, at most its declared class */
    private static Risk callRisk(ToolEntry tool, io.pvemcp.api.Arguments arguments) {
        Risk r;
        try {
            r = tool.service.risk(arguments);
        } catch (RuntimeException e) {
            LOG.warn("{} could not tell the risk of a call; taking its declared {}", tool.name, tool.risk.id(), e);
            return tool.risk;
        }
        return r == null || r.compareTo(tool.risk) > 0 ? tool.risk : r;
    }

    /** @return what is wrong with a safety argument, or {@code null} */
    private static String safetyArgument(Map<String, Object> args, String name) {
        Object v = args.get(name);
        return v == null || v instanceof Boolean ? null : name + " must be true or false";
    }

    /**
     * The safety gates of a call that changes something, on the worker thread: its preview, the operator's guard
     * rails and blast-radius limit, a dry run's answer, a person's confirmation (asked through the client, or held
     * for the admin console), then the call itself.
     */
    private Invocation gated(ToolEntry tool, Risk risk, ToolCallContext call, boolean dryRun, boolean allowHa,
            Map<String, Object> confirmed, Map<String, Object> args, Clusters.Cluster cluster) {
        Caller caller = call.caller();
        ToolCallContext look = new ToolCallContext(call.channel, caller, () -> cluster == null ? null
                : new GuardedProxmoxClient(cluster.client(), caller, new CopyOnWriteArrayList<>(), true),
                tool.name, call.arguments().asMap(), null, call.cancellation);
        Preview preview;
        try {
            preview = tool.service.preview(look);
        } catch (Throwable e) {
            return failed(tool, call, e, "preview");
        }
        if (preview == null) {
            if (dryRun) {
                return new Invocation("invalid", null, tool.name + " cannot preview its calls (its bundle does not "
                        + "support dry_run), so nothing was done. Check the target with the read tools instead.", tool);
            }
            preview = generic(tool, risk, call.arguments().asMap());
        } else if (preview.requests().isEmpty()) {
            // nothing to change (a stopped guest asked to stop): no question, no guard rail, no count
            return dryRun ? new Invocation("ok", ToolResult.of(Safety.previewText(tool, preview, false, null),
                    Map.of(Safety.DRY_RUN, Safety.previewResult(tool, risk, preview, false, null))), null, tool)
                    : run(tool, call);
        }
        Safety.Policy policy = safety.policy();
        boolean confirm = confirmed == null && policy.needsConfirmation(caller, risk);
        String refusal = safety.guardRails(tool, risk, preview, allowHa);
        if (refusal == null && risk == Risk.DESTROY) {
            refusal = safety.blastRadius(caller, false);
        }
        if (dryRun) {
            return new Invocation("ok", ToolResult.of(Safety.previewText(tool, preview, confirm, refusal),
                    Map.of(Safety.DRY_RUN, Safety.previewResult(tool, risk, preview, confirm, refusal))), null, tool);
        }
        if (refusal != null) {
            return new Invocation("denied", null, refusal, tool);
        }
        Map<String, Object> confirmation = confirmed;
        if (confirm) {
            String question = Safety.question(tool, preview);
            if (call.channel.canElicit()) {
                try {
                    Elicitation answer = call.channel.elicit(tool.name, question + "\nDo you want this?",
                            CONFIRM_SCHEMA, call.cancellation);
                    Map<String, Object> how = confirmation(caller, "elicitation", null);
                    if (!(answer.accepted() && Boolean.TRUE.equals(answer.content().get("confirm")))) {
                        String said = answer.accepted() ? "answered no" : answer.action().equals("decline")
                                ? "declined" : "cancelled the question";
                        how = new java.util.LinkedHashMap<>(how);
                        how.put("answer", said);
                        return new Invocation("declined", null, "The user " + said + " when asked to confirm "
                                + tool.name + ", so nothing was done. Do not try again unless the user asks for it.",
                                tool, null, how);
                    }
                    confirmation = how;
                } catch (java.util.concurrent.CancellationException e) {
                    return new Invocation("cancelled", null, "The call was cancelled while the user was asked to "
                            + "confirm it; nothing was done.", tool);
                } catch (ToolException e) {
                    LOG.info("{} could not be confirmed through the client ({}); holding it for approval", tool.name,
                            e.getMessage());
                }
            }
            if (confirmation == null && !approvers.getAsBoolean()) {
                return new Invocation("denied", null, "This " + risk.id() + " call needs a person's yes, but this "
                        + "client cannot ask its user (it declared no elicitation) and no admin console runs on this "
                        + "server to approve it in, so nothing was done. Use a client that supports elicitation, or "
                        + "ask the operator (see docs/safety.md: MCP_CONFIRM, token create --confirm).", tool);
            }
            if (confirmation == null) {
                return hold(tool, risk, caller, args, question, policy);
            }
        }
        if (risk == Risk.DESTROY) {
            String over = safety.blastRadius(caller, true);
            if (over != null) {
                return new Invocation("denied", null, over, tool, null, confirmation);
            }
        }
        return run(tool, call).confirmed(confirmation);
    }

    private static Map<String, Object> confirmation(Caller caller, String how, String by) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("by", by != null ? by : "the user of " + (caller.clientName() == null ? "the client" : caller.clientName())
                + (caller.sessionId() == null ? "" : " (session " + caller.sessionId() + ")"));
        m.put("how", how);
        m.put("at", Instant.now().toString());
        return m;
    }

    /** A preview for a tool that gives none: its name and arguments, and the guest it names, if any. */
    private static Preview generic(ToolEntry tool, Risk risk, Map<String, Object> args) {
        List<Preview.Target> targets = new java.util.ArrayList<>();
        Object vmid = args.get("vmid");
        if (vmid instanceof Number n) {
            targets.add(new Preview.Target(null, n.longValue(), null, args.get("node") instanceof String s ? s : null,
                    null, List.of(), null, null, false));
        }
        return new Preview("Call " + tool.name + " (" + risk.id() + ") with " + args + ".", targets, List.of(),
                null, risk != Risk.DESTROY, risk == Risk.DESTROY);
    }

    /** Holds a call for a person's approval in the admin console, or tells the caller how its held one stands. */
    private Invocation hold(ToolEntry tool, Risk risk, Caller caller, Map<String, Object> args, String question,
            Safety.Policy policy) {
        Map.Entry<Approvals.Held, Boolean> entry;
        try {
            entry = approvals.hold(tool.name, risk.id(), question, args, caller, policy.approvalLife());
        } catch (IllegalStateException e) {
            return new Invocation("busy", null, "The call needs a person's approval, but " + e.getMessage()
                    + "; nothing was done. Try again later.", tool);
        }
        Approvals.Held h = entry.getKey();
        ToolRegistry.Approval a = h.view();
        Approvals.Held picked = entry.getValue() ? null : approvals.pickUp(h.id());
        if (picked != null) {
            a = picked.view();
            String said = switch (a.state()) {
                case "done" -> "was approved by " + a.decidedBy() + " and done: " + a.result();
                case "failed" -> "was approved by " + a.decidedBy() + " but failed: " + a.result();
                case "rejected" -> "was rejected by " + a.decidedBy() + "; nothing was done. Do not try again unless "
                        + "the user asks for it.";
                default -> "expired before anyone approved it; nothing was done.";
            };
            String text = "This call (approval " + a.id() + ") " + said;
            ToolResult done = "done".equals(a.state()) ? (a.structuredContent() == null ? ToolResult.text(text)
                    : ToolResult.of(text, a.structuredContent())) : null;
            return new Invocation("done".equals(a.state()) ? "approved" : a.state(), done, text, tool, details(a),
                    null);
        }
        String where = policy.consoleUrl().isEmpty() ? "the admin console of this server (page MCP approvals, "
                + "/system/console/mcp-approvals)" : policy.consoleUrl();
        return new Invocation("pending", null, "This " + risk.id() + " call needs a person's approval, and this "
                + "client cannot ask its user, so nothing was done yet. Approval id " + a.id() + ": ask a person to "
                + "approve or reject it in " + where + " before " + java.time.Instant.ofEpochMilli(a.expires())
                + "; then proxmox_approval_status with approval_id " + a.id() + " tells the outcome. What they will "
                + "see: " + question, tool, details(a), null);
    }

    private static Map<String, Object> details(ToolRegistry.Approval a) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("approval_id", a.id());
        m.put("state", a.state());
        m.put("expires", java.time.Instant.ofEpochMilli(a.expires()).toString());
        return m;
    }

    List<ToolRegistry.Approval> approvals() {
        return approvals.list();
    }

    /** Shares held calls with the other replicas through the state database's documents. */
    void shareApprovals(io.pvemcp.security.store.Documents docs) {
        approvals = new Approvals(docs);
    }

    ToolRegistry.Approval approval(String id) {
        Approvals.Held h = approvals.get(id);
        return h == null ? null : h.view();
    }

    /** Approves (and runs, as its caller, through every gate but the confirmation) or rejects a held call. */
    ToolRegistry.Approval decide(String id, boolean approve, String by) {
        Approvals store = approvals;
        Approvals.Held h = store.decide(id, approve, by);
        Map<String, Object> how = confirmation(h.caller(), "console", by);
        String revoked = approve ? invalidated.apply(h.caller()) : null;
        if (revoked != null) {
            store.finish(id, false, "Not run: the credentials of the caller that made this call are no longer valid ("
                    + revoked + ").", null);
            Map<String, Object> refused = new java.util.LinkedHashMap<>(how);
            refused.put("answer", "approved, but the caller's credentials had ended");
            record(audit.get(), h.caller(), h.tool(), h.arguments(), "denied", "Approved in the admin console by " + by
                    + ", not run: " + revoked, Instant.now(), List.of(), refused);
            return store.get(id).view();
        }
        if (!approve) {
            AuditLog log = audit.get();
            Map<String, Object> rejected = new java.util.LinkedHashMap<>(how);
            rejected.put("answer", "rejected");
            record(log, h.caller(), h.tool(), h.arguments(), "rejected", "Rejected in the admin console by " + by,
                    Instant.now(), List.of(), rejected);
            return h.view();
        }
        LOG.info("approval {} of {} for {} approved by {}", id, h.tool(), h.caller().subject(), by);
        invoke(h.caller(), h.tool(), h.arguments(), ClientChannel.NONE, null, new CancellationSignal(), how)
                .thenAccept(i -> store.finish(id, i.ok(), i.ok() ? i.result().text() : i.message(),
                        i.ok() ? i.result().structuredContent() : null));
        return h.view();
    }

    /**
     * Stops the Proxmox tasks a cancelled call started and still run ({@code DELETE /nodes/{node}/tasks/{upid}}): a
     * cancelled clone leaves no clone behind, a cancelled shutdown no shutdown under way. The call may stop its own
     * tasks whatever its scopes.
     *
     * @return what became of each task, with its UPID
     */
    private String stopTasks(List<String> tasks, Clusters.Cluster cluster) {
        ProxmoxClient client = cluster == null ? null : cluster.client();
        if (client == null) {
            return "Its Proxmox tasks " + tasks + " may still run; follow them with proxmox_task_status.";
        }
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

    private Invocation failed(ToolEntry tool, ToolCallContext call, Throwable e, String stage) {
        Throwable cause = unwrap(e);
        if (cause instanceof ToolException || cause instanceof ProxmoxException) {
            return new Invocation("error", null, cause.getMessage(), tool);
        }
        if (cause instanceof Error err && !(cause instanceof LinkageError)) {
            throw err;
        }
        String ref = reference();
        LOG.error("Tool {} of bundle {} failed in its {} (reference {})", tool.name, tool.bundle, stage, ref, cause);
        return new Invocation("error", null, "The tool " + tool.name + " failed unexpectedly in its " + stage
                + " (reference " + ref + "); nothing was changed. The server log has the details; please report this.",
                tool);
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
                List<String> problems = tool.checksFully() ? tool.output.problems(structured)
                        : tool.missingRequired(structured);
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
        record(log, caller, tool, arguments, outcome, message, started, tasks, null);
    }

    private static void record(AuditLog log, Caller caller, String tool, Map<String, Object> arguments, String outcome,
            String message, Instant started, List<String> tasks, Map<String, Object> confirmation) {
        if (log != null) {
            log.record(new AuditEvent(started, caller, "tools/call", tool, arguments, outcome, message,
                    Duration.between(started, Instant.now()).toMillis(), List.copyOf(tasks), confirmation));
        }
    }

    /** The Proxmox client of a cluster as a caller may use it: its scopes per effect and its token's limits. */
    static Supplier<ProxmoxClient> guarded(Caller caller, List<String> tasks, Clusters.Cluster cluster) {
        return () -> cluster == null ? null : new GuardedProxmoxClient(cluster.client(), caller, tasks);
    }

    /** The client of the caller's default cluster (for resources, prompts and completions that name none). */
    Supplier<ProxmoxClient> guarded(Caller caller) {
        return guarded(caller, clusters.defaultFor(caller));
    }

    /** The client of a cluster, for resources, prompts and completions, as the caller may use it there. */
    Supplier<ProxmoxClient> guarded(Caller caller, Clusters.Cluster cluster) {
        return guarded(cluster == null ? caller : caller.inCluster(cluster.name()), new CopyOnWriteArrayList<>(),
                cluster);
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
