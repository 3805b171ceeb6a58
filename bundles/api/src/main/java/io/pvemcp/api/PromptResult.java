package io.pvemcp.api;

import java.util.List;
import java.util.Objects;

/**
 * The messages a {@link Prompt} produces.
 *
 * @param description a description of this particular result, or {@code null}
 * @param messages the messages, in order
 */
public record PromptResult(String description, List<Message> messages) {

    /** Copies the list. */
    public PromptResult {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    }

    /**
     * One message of a prompt.
     *
     * @param role {@code user} or {@code assistant}
     * @param text the text of the message
     */
    public record Message(String role, String text) {

        /** Checks the role. */
        public Message {
            if (!"user".equals(role) && !"assistant".equals(role)) {
                throw new IllegalArgumentException("role must be user or assistant: " + role);
            }
            Objects.requireNonNull(text, "text");
        }

        /** @param text the text @return a user message */
        public static Message user(String text) {
            return new Message("user", text);
        }

        /** @param text the text @return an assistant message */
        public static Message assistant(String text) {
            return new Message("assistant", text);
        }
    }
}
