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
     * @param text the text of the message; {@code null} when {@code content} is not text
     * @param content what the message says (since 1.3; text, an image, audio or an embedded resource)
     */
    public record Message(String role, String text, Content content) {

        /** Checks the role and that text and content agree. */
        public Message {
            if (!"user".equals(role) && !"assistant".equals(role)) {
                throw new IllegalArgumentException("role must be user or assistant: " + role);
            }
            if (content == null) {
                content = Content.text(Objects.requireNonNull(text, "text"));
            }
            text = content.text();
        }

        /**
         * @param role {@code user} or {@code assistant}
         * @param text the text of the message
         */
        public Message(String role, String text) {
            this(role, Objects.requireNonNull(text, "text"), null);
        }

        /**
         * @param content what the message says
         * @return a user message
         * @since 1.3
         */
        public static Message user(Content content) {
            return new Message("user", null, Objects.requireNonNull(content, "content"));
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
