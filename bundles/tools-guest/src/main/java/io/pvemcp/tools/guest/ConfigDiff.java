package io.pvemcp.tools.guest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.pvemcp.api.JsonSchema;

/**
 * The difference between two configurations of a guest, key by key, as a person reads it: what a rollback would
 * undo, what an update changed. Bookkeeping keys ({@code digest}, {@code lock}, {@code parent}, {@code snaptime},
 * {@code vmstate}) are left out; secret values show as {@code (hidden)}.
 */
public final class ConfigDiff {

    private static final Set<String> IGNORED = Set.of("digest", "lock", "parent", "snaptime", "vmstate");
    private static final Set<String> SECRET = Set.of("cipassword", "password");

    /**
     * One changed key.
     *
     * @param key the configuration key, e.g. {@code cores}
     * @param from the value before, or {@code null} if the key was added
     * @param to the value after, or {@code null} if the key was removed
     */
    public record Change(String key, String from, String to) {

        /** @return the change as {@code cores 2 → 4}, {@code net1 added} or {@code scsi1 removed} */
        @Override
        public String toString() {
            return from == null ? key + " added (" + to + ")" : to == null ? key + " removed (was " + from + ")"
                    : key + " " + from + " → " + to;
        }
    }

    private ConfigDiff() {
    }

    /**
     * @param from the configuration before
     * @param to the configuration after
     * @return the changed keys, in key order
     */
    public static List<Change> between(Map<String, ?> from, Map<String, ?> to) {
        Set<String> keys = new TreeSet<>(from.keySet());
        keys.addAll(to.keySet());
        List<Change> out = new ArrayList<>();
        for (String key : keys) {
            if (IGNORED.contains(key)) {
                continue;
            }
            String a = text(key, from.get(key));
            String b = text(key, to.get(key));
            if (!Objects.equals(a, b)) {
                out.add(new Change(key, a, b));
            }
        }
        return out;
    }

    private static String text(String key, Object value) {
        if (value == null) {
            return null;
        }
        return SECRET.contains(key) ? "(hidden)" : String.valueOf(value).strip();
    }

    /** @return the schema of {@link #describe(List)}: an array of {@code {key, old, new}} */
    public static JsonSchema schema() {
        return JsonSchema.array(JsonSchema.object()
                .required("key", JsonSchema.string())
                .optional("old", JsonSchema.string().description("absent if added"))
                .optional("new", JsonSchema.string().description("absent if removed")));
    }

    /**
     * @param changes changes
     * @return them for structured output, conforming to {@link #schema()}
     */
    public static List<Map<String, Object>> describe(List<Change> changes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Change c : changes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", c.key());
            if (c.from() != null) {
                m.put("old", c.from());
            }
            if (c.to() != null) {
                m.put("new", c.to());
            }
            out.add(m);
        }
        return out;
    }

    /**
     * @param changes changes
     * @param max how many to name at most
     * @return them in one line, e.g. {@code cores 2 → 4, memory 2048 → 4096 and 3 more}, or {@code no change}
     */
    public static String summary(List<Change> changes, int max) {
        if (changes.isEmpty()) {
            return "no change";
        }
        List<String> parts = new ArrayList<>();
        for (Change c : changes.subList(0, Math.min(max, changes.size()))) {
            parts.add(c.toString());
        }
        return String.join(", ", parts) + (changes.size() > max ? " and " + (changes.size() - max) + " more" : "");
    }
}
