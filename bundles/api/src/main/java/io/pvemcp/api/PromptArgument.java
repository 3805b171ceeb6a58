package io.pvemcp.api;

import java.util.Objects;

/**
 * An argument of a {@link Prompt}.
 *
 * @param name the argument name
 * @param description what to pass
 * @param required whether the prompt needs it
 */
public record PromptArgument(String name, String description, boolean required) {

    /** Checks the name. */
    public PromptArgument {
        Objects.requireNonNull(name, "name");
    }
}
