package io.pvemcp.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Helpers for list tools, whose answers must fit a model's context even on a cluster with thousands of
 * guests: match names with shell-style patterns, and cut a sorted list to a limit while saying how much was left
 * out.
 *
 * <pre>
 * Listing.Page&lt;Map&lt;String, Object&gt;&gt; page = Listing.page(matching, byName, limit);
 * out.put("vms", page.items());
 * out.put("total", page.total());
 * out.put("omitted", page.omitted());
 * </pre>
 */
public final class Listing {

    private Listing() {
    }

    /**
     * A sorted, limited part of a list.
     *
     * @param items the items returned
     * @param total how many matched before the limit
     * @param omitted how many were left out ({@code total - items.size()})
     * @param <T> the item type
     */
    public record Page<T>(List<T> items, int total, int omitted) {

        /** @throws NullPointerException if {@code items} is {@code null} */
        public Page {
            items = List.copyOf(items);
        }
    }

    /**
     * @param items the items (not changed)
     * @param order the order, or {@code null} to keep the given one
     * @param limit the most items to return (at least 0)
     * @param <T> the item type
     * @return the first {@code limit} items in {@code order}, with the count of all and of those left out
     */
    public static <T> Page<T> page(List<T> items, Comparator<? super T> order, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 or more: " + limit);
        }
        List<T> sorted = new ArrayList<>(items);
        if (order != null) {
            sorted.sort(order);
        }
        List<T> kept = sorted.subList(0, Math.min(limit, sorted.size()));
        return new Page<>(kept, sorted.size(), sorted.size() - kept.size());
    }

    /**
     * Matches a value against a shell-style pattern, ignoring case: {@code *} matches any run of characters,
     * {@code ?} one character; a pattern without wildcards matches that value exactly (so a filter for the tag
     * {@code tmp} never catches {@code tmpfs-critical}; write {@code tmp*} for that). Since 1.4; before, a plain
     * pattern matched values containing it.
     *
     * @param pattern the pattern, e.g. {@code web*} or {@code db}
     * @param value the value; {@code null} never matches
     * @return whether it matches
     */
    public static boolean matches(String pattern, String value) {
        Objects.requireNonNull(pattern, "pattern");
        if (value == null) {
            return false;
        }
        String v = value.toLowerCase(Locale.ROOT);
        String p = pattern.toLowerCase(Locale.ROOT);
        if (!p.contains("*") && !p.contains("?")) {
            return v.equals(p);
        }
        StringBuilder regex = new StringBuilder();
        for (char c : p.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(v).matches();
    }
}
