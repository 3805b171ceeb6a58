package io.pvemcp.registry.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.pvemcp.api.Caller;
import io.pvemcp.api.Limits;
import io.pvemcp.api.Listing;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;

/**
 * The operator's safety policy and the checks that follow from it, for every transport: which risk classes a human
 * confirms, the guests the operator protects (by tag, VMID range and pool), the explicit {@code allow_ha} an
 * HA-managed guest needs before it is stopped or deleted, and the number of destroying calls a session may make per
 * minute. It also adds the arguments the registry handles for every changing tool ({@code dry_run}, {@code allow_ha})
 * to the schemas clients see.
 */
final class Safety {

    static final String DRY_RUN = "dry_run";
    static final String ALLOW_HA = "allow_ha";
    private static final Duration WINDOW = Duration.ofMinutes(1);
    /** Parameters a preview never repeats: passwords, secrets, keys of clouds and tokens. */
    private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile(
            "(?i)pass|secret|token|cipassword|private");

    /**
     * The operator's policy.
     *
     * @param confirm the risk classes a human confirms, unless a token says otherwise
     * @param protectedTags tags (shell patterns) that protect a guest from destroy and power calls
     * @param protectedVmids VMID ranges protected alike (as {@link Limits} reads them)
     * @param protectedPools pools protected alike
     * @param destroyPerMinute destroy calls a session may make per minute; 0 for no limit
     * @param approvalLife how long a held call waits for a person
     * @param consoleUrl where a person approves held calls, as the model is told
     */
    record Policy(Set<Risk> confirm, Set<String> protectedTags, Limits protectedVmids, Set<String> protectedPools,
            int destroyPerMinute, Duration approvalLife, String consoleUrl) {

        static final Policy DEFAULT = new Policy(EnumSet.of(Risk.DESTROY), Set.of(), Limits.NONE, Set.of(), 5,
                Duration.ofMinutes(15), "");

        /** @throws IllegalArgumentException saying which setting is wrong and how */
        static Policy of(String confirm, String tags, String vmids, String pools, int destroyPerMinute,
                int approvalMinutes, String consoleUrl) {
            Set<Risk> c = risks(confirm);
            Limits v;
            try {
                v = io.pvemcp.security.LimitsFormat.parse(null, vmids, null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("protected.vmids: " + e.getMessage());
            }
            return new Policy(c, list(tags), v, list(pools), Math.max(0, destroyPerMinute),
                    Duration.ofMinutes(Math.max(1, approvalMinutes)), consoleUrl == null ? "" : consoleUrl.strip());
        }

        /** @return the risk classes in a comma-separated list; {@code none} or empty for none */
        static Set<Risk> risks(String list) {
            return io.pvemcp.security.LimitsFormat.risks(list, "confirm");
        }

        private static Set<String> list(String s) {
            Set<String> out = new LinkedHashSet<>();
            if (s != null) {
                for (String p : s.split(",")) {
                    if (!p.isBlank()) {
                        out.add(p.strip());
                    }
                }
            }
            return Set.copyOf(out);
        }

        /** @return whether a call of this risk by this caller needs a person's yes */
        boolean needsConfirmation(Caller caller, Risk risk) {
            Set<Risk> token = caller.limits().confirm();
            return risk != Risk.READ && (token != null ? token : confirm).contains(risk);
        }
    }

    private volatile Policy policy = Policy.DEFAULT;
    private final Map<String, Deque<Long>> destroys = new ConcurrentHashMap<>();

    Policy policy() {
        return policy;
    }

    void policy(Policy p) {
        this.policy = p;
    }

    /**
     * @return why the operator's guard rails refuse this call, or {@code null}: a protected target of a destroy or
     *         power call, an HA-managed target of a call that stops or removes it without {@code allow_ha}
     */
    String guardRails(ToolEntry tool, Risk risk, Preview preview, boolean allowHa) {
        if (risk != Risk.DESTROY && risk != Risk.POWER) {
            return null;
        }
        Policy p = policy;
        for (Preview.Target t : preview.targets()) {
            String what = describe(t);
            String why = protectedBy(p, t);
            if (why != null) {
                return what + " is protected by the operator of this server (" + why + "), so " + tool.name
                        + " is refused and nothing was done. If it really should be done, ask the operator to lift the "
                        + "protection (see docs/safety.md).";
            }
            if (t.ha() != null && (risk == Risk.DESTROY || preview.interrupts()) && !allowHa) {
                return what + " is managed by HA (state " + t.ha() + "), which may start it again or move it, so "
                        + tool.name + " needs allow_ha: true to act on it. Nothing was done. Check with the user that "
                        + "this HA guest should be " + (risk == Risk.DESTROY ? "stopped or deleted" : "stopped")
                        + ", then call again with allow_ha: true.";
            }
        }
        return null;
    }

    private static String protectedBy(Policy p, Preview.Target t) {
        for (String tag : t.tags()) {
            for (String pattern : p.protectedTags()) {
                if (Listing.matches(pattern, tag)) {
                    return "tag " + tag;
                }
            }
        }
        if (t.vmid() != null && p.protectedVmids().limitsVmids() && p.protectedVmids().allowsVmid(t.vmid())) {
            return "protected " + p.protectedVmids().describe();
        }
        if (t.pool() != null && p.protectedPools().contains(t.pool())) {
            return "pool " + t.pool();
        }
        return null;
    }

    static String describe(Preview.Target t) {
        String kind = "lxc".equals(t.kind()) ? "Container" : "qemu".equals(t.kind()) ? "VM" : t.kind() == null ? "Guest"
                : t.kind();
        return kind + (t.vmid() == null ? "" : " " + t.vmid()) + (t.name() == null || t.name().isEmpty() ? ""
                : " (" + t.name() + ")");
    }

    /**
     * @return why this session may make no more destroying calls now, or {@code null}; only counts when
     *         {@code count} is set (the call goes ahead)
     */
    String blastRadius(Caller caller, boolean count) {
        int limit = policy.destroyPerMinute();
        if (limit <= 0) {
            return null;
        }
        String key = caller.sessionId() != null ? "s:" + caller.sessionId() : caller.tokenId() != null
                ? "t:" + caller.tokenId() : "c:" + caller.subject();
        long now = System.nanoTime();
        Deque<Long> times = destroys.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && now - times.peekFirst() > WINDOW.toNanos()) {
                times.pollFirst();
            }
            if (times.size() >= limit) {
                long wait = Math.max(1, (WINDOW.toNanos() - (now - times.peekFirst())) / 1_000_000_000L);
                return "This session has already made " + times.size() + " destroying calls in the last minute, the "
                        + "most its operator allows, so this one was refused and nothing was done. Check with the user "
                        + "that so much should go, then try again in " + wait + " s.";
            }
            if (count) {
                times.addLast(now);
            }
        }
        if (destroys.size() > 10_000) {
            destroys.entrySet().removeIf(e -> e.getValue().isEmpty());
        }
        return null;
    }

    /** @return the input schema clients see: the tool's, with {@code dry_run} and, where it applies, {@code allow_ha} */
    static Map<String, Object> withSafetyArguments(Map<String, Object> schema, boolean ha) {
        Map<String, Object> out = new LinkedHashMap<>(schema);
        Map<String, Object> props = new LinkedHashMap<>(properties(schema));
        props.put(DRY_RUN, Map.of("type", "boolean", "description", "Preview only"));
        if (ha) {
            props.put(ALLOW_HA, Map.of("type", "boolean", "description", "Allow on an HA-managed guest"));
        }
        out.put("properties", props);
        return out;
    }

    /** @return the output schema clients see: the tool's, or a preview under {@code dry_run} */
    static Map<String, Object> withPreviewResult(Map<String, Object> schema) {
        Map<String, Object> out = new LinkedHashMap<>(schema);
        Map<String, Object> props = new LinkedHashMap<>(properties(schema));
        props.put(DRY_RUN, Map.of("type", "object"));
        out.put("properties", props);
        Object required = out.remove("required");
        if (required instanceof List<?> r && !r.isEmpty()) {
            out.put("anyOf", List.of(Map.of("required", r), Map.of("required", List.of(DRY_RUN))));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> schema) {
        return schema.get("properties") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** @throws Contributions.Rejected when a changing tool declares an argument the registry handles itself */
    static void checkOwnArguments(Map<String, Object> schema) {
        for (String a : List.of(DRY_RUN, ALLOW_HA)) {
            if (properties(schema).containsKey(a)) {
                throw new Contributions.Rejected("its input schema declares '" + a + "', which the registry adds and "
                        + "handles for every tool that changes something; remove it");
            }
        }
    }

    /** @return a preview's result under {@code dry_run}, JSON-shaped */
    static Map<String, Object> previewResult(ToolEntry tool, Risk risk, Preview p, boolean confirm, String refusal) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", tool.name);
        m.put("risk", risk.id());
        m.put("summary", p.summary());
        List<Object> targets = new ArrayList<>();
        for (Preview.Target t : p.targets()) {
            Map<String, Object> x = new LinkedHashMap<>();
            put(x, "kind", t.kind());
            put(x, "vmid", t.vmid());
            put(x, "name", t.name());
            put(x, "node", t.node());
            put(x, "status", t.status());
            x.put("tags", t.tags());
            put(x, "pool", t.pool());
            put(x, "ha", t.ha());
            x.put("protection", t.protection());
            targets.add(x);
        }
        m.put("targets", targets);
        List<Object> requests = new ArrayList<>();
        for (Preview.Request r : p.requests()) {
            Map<String, Object> params = new LinkedHashMap<>(r.params());
            params.replaceAll((k, v) -> SECRET.matcher(k).find() ? "(hidden)" : v);
            requests.add(Map.of("method", r.method(), "path", r.path(), "params", params));
        }
        m.put("requests", requests);
        put(m, "after", p.after());
        m.put("undoable", p.undoable());
        m.put("needs_confirmation", confirm);
        put(m, "refused", refusal);
        return m;
    }

    /** @return the text of a preview's result */
    static String previewText(ToolEntry tool, Preview p, boolean confirm, String refusal) {
        return "Dry run of " + tool.name + ", nothing was changed. It would: " + p.summary()
                + (p.after() == null ? "" : " Afterwards: " + p.after())
                + (p.undoable() ? "" : " This cannot be undone.")
                + (refusal != null ? " But it would be refused now: " + refusal
                        : confirm ? " It needs a person's confirmation when called for real." : "");
    }

    /** @return the plain summary a person decides on: what, on which targets, and whether it can be undone */
    static String question(ToolEntry tool, Preview p) {
        StringBuilder sb = new StringBuilder(p.summary());
        for (Preview.Target t : p.targets()) {
            sb.append("\n- ").append(describe(t));
            List<String> facts = new ArrayList<>();
            if (t.node() != null) {
                facts.add("on " + t.node());
            }
            if (t.status() != null) {
                facts.add(t.status());
            }
            if (!t.tags().isEmpty()) {
                facts.add("tags " + String.join(",", t.tags()));
            }
            if (t.pool() != null) {
                facts.add("pool " + t.pool());
            }
            facts.add(t.ha() == null ? "not HA-managed" : "HA-managed (" + t.ha() + ")");
            facts.add(t.protection() ? "protection on" : "protection off");
            sb.append(": ").append(String.join(", ", facts));
        }
        sb.append(p.undoable() ? "\nIt can be undone." : "\nIt cannot be undone.");
        return sb.toString();
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
