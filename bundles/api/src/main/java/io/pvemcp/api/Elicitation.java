package io.pvemcp.api;

import java.util.Map;

/**
 * The user's answer to {@link ToolCall#elicit(String, Map)}.
 *
 * @param action {@code accept} (the user filled in the form), {@code decline} or {@code cancel}
 * @param content the values the user entered, by property name; empty unless accepted
 * @since 1.3
 */
public record Elicitation(String action, Map<String, Object> content) {

    /** Copies the content. */
    public Elicitation {
        content = content == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(content));
    }

    /** @return {@code true} if the user accepted and entered values */
    public boolean accepted() {
        return "accept".equals(action);
    }
}
