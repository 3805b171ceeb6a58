package io.pvemcp.registry.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.pvemcp.api.Caller;
import io.pvemcp.registry.ToolRegistry;

/**
 * Calls held until a person approves them in the admin console: those that need a confirmation when their client
 * cannot ask its user (it declared no elicitation, or it is the REST API). In memory only: a restart forgets them,
 * so what was held is never done (the safe side). A held call is kept an hour after it was decided, for its caller
 * to pick up the outcome.
 */
final class Approvals {

    private static final Duration KEEP = Duration.ofHours(1);
    private static final int MAX = 1000;

    /** A held call. Its state changes under its own lock. */
    static final class Held {
        final String id;
        final String tool;
        final String risk;
        final String summary;
        final Map<String, Object> arguments;
        final Caller caller;
        final String key;
        final long created;
        final long expires;
        private String state = "pending";
        private String decidedBy;
        private long decided;
        private String result;
        private Map<String, Object> structured;
        private boolean pickedUp;

        Held(String tool, String risk, String summary, Map<String, Object> arguments, Caller caller, String key,
                Duration life) {
            this.id = "ap-" + UUID.randomUUID().toString().substring(0, 13);
            this.tool = tool;
            this.risk = risk;
            this.summary = summary;
            this.arguments = arguments;
            this.caller = caller;
            this.key = key;
            this.created = System.currentTimeMillis();
            this.expires = created + life.toMillis();
        }

        synchronized String state() {
            if ("pending".equals(state) && System.currentTimeMillis() > expires) {
                state = "expired";
                decided = expires;
            }
            return state;
        }

        synchronized boolean decide(boolean approve, String by) {
            if (!"pending".equals(state())) {
                return false;
            }
            state = approve ? "approved" : "rejected";
            decidedBy = by;
            decided = System.currentTimeMillis();
            return true;
        }

        synchronized void finish(boolean ok, String text, Map<String, Object> structuredContent) {
            state = ok ? "done" : "failed";
            result = text;
            structured = structuredContent;
        }

        /** @return whether the outcome is final; marks it picked up by a repeated call */
        synchronized boolean pickUp() {
            boolean last = !List.of("pending", "approved").contains(state()) && !pickedUp;
            pickedUp |= last;
            return last;
        }

        synchronized boolean open() {
            return !pickedUp && !"expired".equals(state());
        }

        synchronized ToolRegistry.Approval view() {
            return new ToolRegistry.Approval(id, tool, risk, summary, arguments, caller.subject(), caller.tokenName(),
                    identity(caller), created, expires, state(), decidedBy, decided, result, structured);
        }

        boolean ownedBy(Caller c) {
            return Objects.equals(identity(c), identity(caller));
        }
    }

    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** @return who a caller is, for matching a repeated call to its held one */
    static String identity(Caller c) {
        return c.tokenId() != null ? "token:" + c.tokenId() : "subject:" + c.subject();
    }

    /**
     * Holds a call, or finds the one this caller already holds with the same tool and arguments.
     *
     * @return the held call, and whether it is new
     */
    synchronized Map.Entry<Held, Boolean> hold(String tool, String risk, String summary, Map<String, Object> arguments,
            Caller caller, Duration life) {
        purge();
        String key = identity(caller) + "\n" + tool + "\n" + new java.util.TreeMap<>(arguments);
        for (Held h : held.values()) {
            if (h.key.equals(key) && h.open()) {
                return Map.entry(h, false);
            }
        }
        if (held.size() >= MAX) {
            throw new IllegalStateException("too many calls wait for approval (" + MAX + ")");
        }
        Held h = new Held(tool, risk, summary, Collections.unmodifiableMap(new LinkedHashMap<>(arguments)), caller, key,
                life);
        held.put(h.id, h);
        return Map.entry(h, true);
    }

    Held get(String id) {
        purge();
        return id == null ? null : held.get(id);
    }

    List<ToolRegistry.Approval> list() {
        purge();
        List<ToolRegistry.Approval> out = new ArrayList<>();
        held.values().forEach(h -> out.add(h.view()));
        out.sort(Comparator.comparingLong(ToolRegistry.Approval::created).reversed());
        return out;
    }

    private void purge() {
        long now = System.currentTimeMillis();
        held.values().removeIf(h -> {
            ToolRegistry.Approval a = h.view();
            long end = a.decided() > 0 ? a.decided() : a.expires();
            return !List.of("pending", "approved").contains(a.state()) && now - end > KEEP.toMillis();
        });
    }
}
