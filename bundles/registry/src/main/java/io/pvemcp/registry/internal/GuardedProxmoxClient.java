package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import io.pvemcp.api.Caller;
import io.pvemcp.api.Limits;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.Upid;

/**
 * The Proxmox client one tool call sees. It notes the tasks the call starts (for the audit log) and holds the
 * caller to its credentials' {@link Limits}: a request on a node, guest or task outside them is refused before
 * it reaches Proxmox, a write outside any node is refused, and lists of nodes, guests and tasks come back
 * without what the caller may not see. Tools need not know.
 */
final class GuardedProxmoxClient implements ProxmoxClient {

    /** Lists guests (GET) and creates them (POST). */
    private static final Pattern GUESTS = Pattern.compile("/nodes/\\{node}/(qemu|lxc)");
    private static final Pattern TASK_LIST = Pattern.compile("/(cluster|nodes/\\{node})/tasks");
    private static final Set<String> READS = Set.of("GET");

    private final ProxmoxClient delegate;
    private final Caller caller;
    private final Limits limits;
    private final String who;
    private final List<String> tasks;
    private final boolean readOnly;

    GuardedProxmoxClient(ProxmoxClient delegate, Caller caller, List<String> tasks) {
        this(delegate, caller, tasks, false);
    }

    /** @param readOnly refuse every request but reads (for previews) */
    GuardedProxmoxClient(ProxmoxClient delegate, Caller caller, List<String> tasks, boolean readOnly) {
        this.readOnly = readOnly;
        this.delegate = delegate;
        this.caller = caller;
        this.limits = caller.limits();
        this.who = who(caller);
        this.tasks = tasks;
    }

    @Override
    public ConnectionInfo connection() {
        return delegate.connection();
    }

    @Override
    public ProxmoxClient uncached() {
        ProxmoxClient direct = delegate.uncached();
        return direct == delegate ? this : new GuardedProxmoxClient(direct, caller, tasks, readOnly);
    }

    @Override
    public CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
        CompletableFuture<Void> admitted = admit(method, path, params);
        if (admitted == null) {
            return delegate.request(method, path, params).thenApply(this::noteTask);
        }
        return admitted.thenCompose(v -> delegate.request(method, path, params)).thenApply(this::noteTask)
                .thenCompose(data -> READS.contains(method) ? filter(path, data) : CompletableFuture.completedFuture(data));
    }

    /** The same checks as {@link #request}; the limits filter the answer's {@code data}. */
    @Override
    public CompletableFuture<Map<String, Object>> answer(String method, String path, Map<String, ?> params) {
        CompletableFuture<Void> admitted = admit(method, path, params);
        CompletableFuture<Map<String, Object>> sent = (admitted == null ? CompletableFuture.<Void>completedFuture(null)
                : admitted).thenCompose(v -> delegate.answer(method, path, params));
        return sent.thenCompose(whole -> {
            Object data = noteTask(whole.get("data"));
            CompletableFuture<Object> kept = admitted != null && READS.contains(method) ? filter(path, data)
                    : CompletableFuture.completedFuture(data);
            return kept.thenApply(d -> {
                Map<String, Object> out = new java.util.LinkedHashMap<>(whole);
                out.put("data", d);
                return out;
            });
        });
    }

    /**
     * @return {@code null} when the caller has no limits and the request may go (only scopes and the preview's
     *         read-only rule apply); otherwise what must complete before it goes, failed with the refusal
     */
    private CompletableFuture<Void> admit(String method, String path, Map<String, ?> params) {
        if (readOnly && !READS.contains(method)) {
            return CompletableFuture.failedFuture(new IllegalStateException("a preview may only read, but it asked for "
                    + method + " " + path));
        }
        for (String scope : new String[] {EffectScopes.of(method, path, params), EffectScopes.also(method, path, params)}) {
            if (scope != null && !caller.hasScope(scope)) {
                return CompletableFuture.failedFuture(new ToolException(EffectScopes.refusal(who, scope, method, path)));
            }
        }
        if (limits.isNone()) {
            return null;
        }
        String refusal = refusal(method, path, params);
        if (refusal != null) {
            return CompletableFuture.failedFuture(new ToolException(refusal));
        }
        CompletableFuture<Void> poolCheck = CompletableFuture.completedFuture(null);
        long guest = path.contains("{vmid}") ? number(params.get("vmid")) : path.contains("{upid}")
                && Upid.isUpid(params.get("upid")) ? number(Upid.parse((String) params.get("upid")).id()) : -1;
        if (!limits.pools().isEmpty() && guest > 0 && !tasks.contains(String.valueOf(params.get("upid")))) {
            long vmid = guest;
            poolCheck = pools().thenAccept(pools -> {
                if (!limits.allowsPool(pools.get(vmid))) {
                    throw new ToolException(outside("guest " + vmid + (pools.get(vmid) == null ? " (in no pool)"
                            : " (pool " + pools.get(vmid) + ")")));
                }
            });
        }
        return poolCheck;
    }

    /**
     * Checks a tool's arguments against the caller's limits before the tool runs, so that a guest or node outside
     * them is refused with the limits named, rather than reported as not found.
     *
     * @return the refusal, or {@code null}
     */
    /**
     * Follows a task as the caller may: its status is read once through this client (scopes, limits, a preview's
     * read-only rule), then the Proxmox client follows it.
     */
    @Override
    public CompletableFuture<io.pvemcp.api.pve.TaskResult> awaitTask(String upid, java.time.Duration timeout,
            java.util.function.Consumer<io.pvemcp.api.pve.TaskResult> progress) {
        if (!Upid.isUpid(upid)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a task id (UPID): " + upid));
        }
        return get("/nodes/{node}/tasks/{upid}/status", Map.of("node", Upid.parse(upid).node(), "upid", upid))
                .thenCompose(first -> delegate.awaitTask(upid, timeout, progress));
    }

    static String outsideLimits(Caller caller, Map<String, Object> arguments) {
        Limits limits = caller.limits();
        if (limits.isNone()) {
            return null;
        }
        String who = who(caller);
        Object node = arguments.get("node");
        if (node instanceof String n && !limits.allowsNode(n)) {
            return outside(who, limits, "node " + n);
        }
        Object vmid = arguments.get("vmid");
        if (vmid instanceof Number || vmid instanceof String) {
            long id = number(vmid);
            if (id > 0 && !limits.allowsVmid(id)) {
                return outside(who, limits, "guest " + id);
            }
        }
        return null;
    }

    private Object noteTask(Object data) {
        if (Upid.isUpid(data)) {
            tasks.add((String) data);
        }
        return data;
    }

    private String refusal(String method, String path, Map<String, ?> params) {
        if (path.contains("{node}") && !limits.allowsNode(str(params.get("node")))) {
            return outside("node " + params.get("node"));
        }
        if (path.contains("{vmid}") && !limits.allowsVmid(number(params.get("vmid")))) {
            return outside("guest " + params.get("vmid"));
        }
        if (path.contains("{upid}")) {
            Object upid = params.get("upid");
            if (Upid.isUpid(upid)) {
                Upid u = Upid.parse((String) upid);
                if (!limits.allowsNode(u.node())) {
                    return outside("node " + u.node());
                }
                long id = number(u.id());
                if (id > 0 && !limits.allowsVmid(id)) {
                    return outside("guest " + id);
                }
                if (id <= 0 && limitsGuests() && !tasks.contains(upid)) {
                    return outside("task " + u.type() + " on " + u.node() + ", which belongs to no guest,");
                }
            } else if (upid != null) {
                return "'" + String.valueOf(upid).replaceAll("\\p{Cntrl}", "?") + "' is not a Proxmox task id (UPID)";
            }
        }
        if (!READS.contains(method)) {
            if (GUESTS.matcher(path).matches() || path.endsWith("/clone")) {
                Object newId = params.get(path.endsWith("/clone") ? "newid" : "vmid");
                if (newId != null && !limits.allowsVmid(number(newId))) {
                    return outside("VMID " + newId);
                }
                if (!limits.pools().isEmpty() && !limits.allowsPool(str(params.get("pool")))) {
                    return who + " may only create guests in the pools " + String.join(", ", limits.pools())
                            + "; give one of them as the pool";
                }
            }
            if (!path.startsWith("/nodes/{node}")) {
                return who + " is limited (" + limits.describe() + "), so it may not change cluster-wide settings ("
                        + method + " " + path + ")";
            }
        }
        return null;
    }

    /** @return {@code true} if the caller may see some guests only (by VMID or pool), not whole nodes */
    private boolean limitsGuests() {
        return limits.limitsVmids() || !limits.pools().isEmpty();
    }

    private String outside(String what) {
        return outside(who, limits, what);
    }

    private static String outside(String who, Limits limits, String what) {
        return who + " is limited to " + limits.describe() + "; " + what + " is outside those limits. Ask the operator "
                + "for a token that covers it.";
    }

    private static String who(Caller caller) {
        return caller.tokenName() != null ? "token '" + caller.tokenName() + "'" : "your token";
    }

    private CompletableFuture<Map<Long, String>> pools() {
        return delegate.get("/cluster/resources", Map.of("type", "vm")).thenApply(data -> {
            Map<Long, String> out = new HashMap<>();
            if (data instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> m && m.get("vmid") != null) {
                        out.put(number(m.get("vmid")), str(m.get("pool")));
                    }
                }
            }
            return out;
        });
    }

    private CompletableFuture<Object> filter(String path, Object data) {
        if (!(data instanceof List<?> list)) {
            return CompletableFuture.completedFuture(data);
        }
        boolean guests = GUESTS.matcher(path).matches() || path.equals("/cluster/resources")
                || TASK_LIST.matcher(path).matches();
        if (guests && !limits.pools().isEmpty()) {
            return pools().thenApply(pools -> keep(path, list, pools));
        }
        return CompletableFuture.completedFuture(keep(path, list, Map.of()));
    }

    private Object keep(String path, List<?> list, Map<Long, String> pools) {
        boolean guestList = GUESTS.matcher(path).matches();
        boolean taskList = TASK_LIST.matcher(path).matches();
        boolean nodeList = path.equals("/nodes") || path.equals("/cluster/status");
        boolean resources = path.equals("/cluster/resources");
        if (!guestList && !taskList && !nodeList && !resources) {
            return list;
        }
        List<Object> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) {
                out.add(o);
                continue;
            }
            if (visible(m, pools, guestList, taskList, nodeList)) {
                out.add(o);
            }
        }
        return out;
    }

    private boolean visible(Map<?, ?> m, Map<Long, String> pools, boolean guestList, boolean taskList, boolean nodeList) {
        if (nodeList) {
            if ("cluster".equals(str(m.get("type")))) {
                return true;
            }
            return limits.allowsNode(str(m.get("node") != null ? m.get("node") : m.get("name")));
        }
        if (taskList) {
            long id = number(m.get("id"));
            if (!limits.allowsNode(str(m.get("node")))) {
                return false;
            }
            if (id <= 0) {
                return !limitsGuests() || tasks.contains(str(m.get("upid")));
            }
            return limits.allowsVmid(id) && (limits.pools().isEmpty() || limits.allowsPool(pools.get(id)));
        }
        Object node = m.get("node");
        if (node != null && !limits.allowsNode(str(node))) {
            return false;
        }
        if (m.get("vmid") != null) {
            long vmid = number(m.get("vmid"));
            return limits.allowsVmid(vmid) && (limits.pools().isEmpty() || limits.allowsPool(pools.get(vmid)));
        }
        return !guestList;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static long number(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        try {
            return o == null ? -1 : Long.parseLong(o.toString().strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
