package io.pvemcp.registry.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pvemcp.api.Caller;
import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.security.LimitsFormat;
import io.pvemcp.security.store.Documents;

/**
 * Calls held until a person approves them in the admin console: those that need a confirmation when their client
 * cannot ask its user (it declared no elicitation, or it is the REST API). A held call is kept an hour after it was
 * decided, for its caller to pick up the outcome.
 * <p>
 * Without a state database they are kept in memory: a restart forgets them, so what was held is never done (the
 * safe side). With one, they are the document {@code approvals.json} that every replica reads and changes under the
 * store's lock: a call held by one replica can be approved in another's console, which then runs it as its caller,
 * and the caller's repeated call (or {@code proxmox_approval_status}) on any replica finds the outcome.
 */
final class Approvals {

    private static final Duration KEEP = Duration.ofHours(1);
    private static final int MAX = 1000;
    static final String NAME = "approvals.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OPEN = List.of("pending", "approved");

    /** A held call, as it stands; changes make new ones. */
    record Held(String id, String tool, String risk, String summary, Map<String, Object> arguments, Caller caller,
            String key, long created, long expires, String savedState, String decidedBy, long decided, String result,
            Map<String, Object> structured, boolean pickedUp) {

        String state() {
            return "pending".equals(savedState) && System.currentTimeMillis() > expires ? "expired" : savedState;
        }

        long decidedAt() {
            return "pending".equals(savedState) && "expired".equals(state()) ? expires : decided;
        }

        boolean open() {
            return !pickedUp && !"expired".equals(state());
        }

        ToolRegistry.Approval view() {
            return new ToolRegistry.Approval(id, tool, risk, summary, arguments, caller.subject(), caller.tokenName(),
                    identity(caller), created, expires, state(), decidedBy, decidedAt(), result, structured);
        }

        Held with(String state, String by, long at, String text, Map<String, Object> structuredContent, boolean picked) {
            return new Held(id, tool, risk, summary, arguments, caller, key, created, expires, state, by, at, text,
                    structuredContent, picked);
        }
    }

    /** Where the held calls are kept: in memory, or shared with the other replicas. */
    private final Documents docs;
    private volatile Read read = new Read(null, Map.of());

    /** @param docs where the held calls are shared, or {@code null} to keep them in this process's memory */
    Approvals(Documents docs) {
        this.docs = docs == null ? Documents.memory() : docs;
    }

    /** @return who a caller is, for matching a repeated call to its held one */
    static String identity(Caller c) {
        return c.tokenId() != null ? "token:" + c.tokenId() : "subject:" + c.subject();
    }

    /**
     * Holds a call, or finds the one this caller already holds with the same tool and arguments.
     *
     * @return the held call, and whether it is new
     */
    Map.Entry<Held, Boolean> hold(String tool, String risk, String summary, Map<String, Object> arguments,
            Caller caller, Duration life) {
        String key = identity(caller) + "\n" + tool + "\n" + new java.util.TreeMap<>(arguments);
        return change(held -> {
            for (Held h : held.values()) {
                if (h.key().equals(key) && h.open()) {
                    return Map.entry(h, false);
                }
            }
            if (held.size() >= MAX) {
                throw new IllegalStateException("too many calls wait for approval (" + MAX + ")");
            }
            long now = System.currentTimeMillis();
            Held h = new Held("ap-" + UUID.randomUUID().toString().substring(0, 13), tool, risk, summary,
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arguments)), caller, key, now,
                    now + life.toMillis(), "pending", null, 0, null, null, false);
            held.put(h.id(), h);
            return Map.entry(h, true);
        });
    }

    Held get(String id) {
        return id == null ? null : current().get(id);
    }

    List<ToolRegistry.Approval> list() {
        List<ToolRegistry.Approval> out = new ArrayList<>();
        current().values().forEach(h -> out.add(h.view()));
        out.sort(Comparator.comparingLong(ToolRegistry.Approval::created).reversed());
        return out;
    }

    /**
     * Approves or rejects a pending call.
     *
     * @return the call as decided
     * @throws IllegalStateException if there is no such call or it is no longer pending
     */
    Held decide(String id, boolean approve, String by) {
        return change(held -> {
            Held h = held.get(id);
            if (h == null) {
                throw new IllegalStateException("There is no approval " + id + " (it may have been forgotten an hour "
                        + "after it was decided).");
            }
            if (!"pending".equals(h.state())) {
                throw new IllegalStateException("Approval " + id + " is " + h.state() + ", no longer pending.");
            }
            Held d = h.with(approve ? "approved" : "rejected", by, System.currentTimeMillis(), null, null, false);
            held.put(id, d);
            return d;
        });
    }

    /** Records how an approved call ended. */
    void finish(String id, boolean ok, String text, Map<String, Object> structuredContent) {
        change(held -> {
            Held h = held.get(id);
            if (h != null) {
                held.put(id, h.with(ok ? "done" : "failed", h.decidedBy(), h.decided(), text, structuredContent,
                        h.pickedUp()));
            }
            return null;
        });
    }

    /**
     * Marks the outcome of a call picked up by its repeated call.
     *
     * @return the call, if its outcome is final and was not picked up before; otherwise {@code null}
     */
    Held pickUp(String id) {
        return change(held -> {
            Held h = held.get(id);
            if (h == null || OPEN.contains(h.state()) || h.pickedUp()) {
                return null;
            }
            Held picked = h.with(h.state(), h.decidedBy(), h.decidedAt(), h.result(), h.structured(), true);
            held.put(id, picked);
            return picked;
        });
    }

    // ---- keeping

    /** The held calls as last read, with the version of the document they were read from. */
    private record Read(Object version, Map<String, Held> held) {
    }

    private Map<String, Held> current() {
        try {
            Object v = docs.version(NAME);
            Read r = read;
            if (v == null || !v.equals(r.version())) {
                r = new Read(v, parse(docs.read(NAME)));
                read = r;
            }
            Map<String, Held> m = new LinkedHashMap<>(r.held());
            purge(m);
            return m;
        } catch (IOException e) {
            throw new IllegalStateException("The held calls cannot be read from " + docs.where() + " ("
                    + e.getMessage() + ")", e);
        }
    }

    private <T> T change(Function<Map<String, Held>, T> action) {
        try {
            return docs.locked(() -> {
                Map<String, Held> held = parse(docs.read(NAME));
                purge(held);
                T result = action.apply(held);
                docs.write(NAME, serialise(held));
                return result;
            });
        } catch (IOException e) {
            throw new IllegalStateException("The held calls cannot be saved in " + docs.where() + " ("
                    + e.getMessage() + ")", e);
        }
    }

    private static void purge(Map<String, Held> held) {
        long now = System.currentTimeMillis();
        held.values().removeIf(h -> {
            long end = h.decidedAt() > 0 ? h.decidedAt() : h.expires();
            return !OPEN.contains(h.state()) && now - end > KEEP.toMillis();
        });
    }

    private static byte[] serialise(Map<String, Held> held) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Held h : held.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", h.id());
            m.put("tool", h.tool());
            m.put("risk", h.risk());
            m.put("summary", h.summary());
            m.put("arguments", h.arguments());
            m.put("caller", caller(h.caller()));
            m.put("key", h.key());
            m.put("created", h.created());
            m.put("expires", h.expires());
            m.put("state", h.savedState());
            m.put("decidedBy", h.decidedBy());
            m.put("decided", h.decided());
            m.put("result", h.result());
            m.put("structured", h.structured());
            m.put("pickedUp", h.pickedUp());
            out.add(m);
        }
        return JSON.writeValueAsBytes(Map.of("held", out));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Held> parse(byte[] doc) throws IOException {
        Map<String, Held> out = new LinkedHashMap<>();
        if (doc == null) {
            return out;
        }
        List<Map<String, Object>> list = JSON.readValue(doc, new TypeReference<Map<String, List<Map<String, Object>>>>() {
        }).getOrDefault("held", List.of());
        for (Map<String, Object> m : list) {
            Held h = new Held(str(m, "id"), str(m, "tool"), str(m, "risk"), str(m, "summary"),
                    java.util.Collections.unmodifiableMap((Map<String, Object>) m.getOrDefault("arguments", Map.of())),
                    caller((Map<String, Object>) m.get("caller")), str(m, "key"), num(m, "created"), num(m, "expires"),
                    str(m, "state"), str(m, "decidedBy"), num(m, "decided"), str(m, "result"),
                    (Map<String, Object>) m.get("structured"), Boolean.TRUE.equals(m.get("pickedUp")));
            out.put(h.id(), h);
        }
        return out;
    }

    /** What another replica needs to run the call as its caller. */
    private static Map<String, Object> caller(Caller c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", c.subject());
        m.put("scopes", new ArrayList<>(c.scopes()));
        m.put("authenticated", c.authenticated());
        m.put("clientName", c.clientName());
        m.put("clientVersion", c.clientVersion());
        m.put("sessionId", c.sessionId());
        m.put("remoteAddress", c.remoteAddress());
        m.put("transport", c.transport());
        m.put("tokenId", c.tokenId());
        m.put("tokenName", c.tokenName());
        m.put("limits", c.limits().isNone() ? null : LimitsFormat.toClaim(c.limits()));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Caller caller(Map<String, Object> m) {
        return Caller.builder().subject(str(m, "subject"))
                .scopes(new LinkedHashSet<>((List<String>) m.getOrDefault("scopes", List.of())))
                .authenticated(Boolean.TRUE.equals(m.get("authenticated"))).clientName(str(m, "clientName"))
                .clientVersion(str(m, "clientVersion")).sessionId(str(m, "sessionId"))
                .remoteAddress(str(m, "remoteAddress")).transport(str(m, "transport")).tokenId(str(m, "tokenId"))
                .tokenName(str(m, "tokenName")).limits(LimitsFormat.fromClaim((Map<String, Object>) m.get("limits")))
                .build();
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? null : v.toString();
    }

    private static long num(Map<String, Object> m, String k) {
        return m.get(k) instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public String toString() {
        return "Approvals[" + docs.where() + "]";
    }

}
