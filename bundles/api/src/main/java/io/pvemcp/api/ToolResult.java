package io.pvemcp.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a {@link Tool} call: a short text for the model and, for tools with an output schema,
 * the structured content (a JSON object as a {@code Map}). An error result ({@link #isError()}) tells the
 * model the call failed and what to fix; it is not a protocol error, so the model can correct itself and
 * call again.
 */
public final class ToolResult {

    private final String text;
    private final Map<String, Object> structuredContent;
    private final boolean error;
    private final List<Content> content;

    private ToolResult(String text, Map<String, Object> structuredContent, boolean error) {
        this(text, structuredContent, error, List.of());
    }

    private ToolResult(String text, Map<String, Object> structuredContent, boolean error, List<Content> more) {
        this.text = Objects.requireNonNull(text, "text");
        this.structuredContent = structuredContent;
        this.error = error;
        List<Content> all = new java.util.ArrayList<>();
        all.add(Content.text(text));
        all.addAll(more);
        this.content = List.copyOf(all);
    }

    private ToolResult(List<Content> content) {
        if (content.isEmpty()) {
            throw new IllegalArgumentException("a result needs at least one piece of content");
        }
        this.content = List.copyOf(content);
        this.text = this.content.stream().filter(c -> c.type() == Content.Type.TEXT).map(Content::text).findFirst()
                .orElse("");
        this.structuredContent = null;
        this.error = false;
    }

    /**
     * A successful result of several pieces, e.g. a text and an image (for tools without an output schema).
     *
     * @param content the pieces, in order; at least one
     * @return the result
     * @since 1.3
     */
    public static ToolResult of(List<Content> content) {
        return new ToolResult(content);
    }

    /**
     * A successful result with structured content.
     *
     * @param text a compact summary for the model, e.g. {@code "3 of 12 VMs running on pve1"}
     * @param structuredContent the data, conforming to the tool's output schema
     * @return the result
     */
    public static ToolResult of(String text, Map<String, Object> structuredContent) {
        return new ToolResult(text, Objects.requireNonNull(structuredContent, "structuredContent"), false);
    }

    /**
     * A successful result with structured content and further pieces after its text, e.g. a chart as an image that a
     * client shows its user while the model reads the figures.
     *
     * @param text a compact summary for the model
     * @param structuredContent the data, conforming to the tool's output schema
     * @param more the pieces that follow the text (images, audio, resources)
     * @return the result
     * @since 2.3
     */
    public static ToolResult of(String text, Map<String, Object> structuredContent, List<Content> more) {
        return new ToolResult(text, Objects.requireNonNull(structuredContent, "structuredContent"), false,
                List.copyOf(more));
    }

    /**
     * A successful result with text only (for tools without an output schema).
     *
     * @param text the text
     * @return the result
     */
    public static ToolResult text(String text) {
        return new ToolResult(text, null, false);
    }

    /**
     * A failed result.
     *
     * @param message what went wrong and what to do about it
     * @return the result
     */
    public static ToolResult error(String message) {
        return new ToolResult(message, null, true);
    }

    /** @return the text for the model (for results of several pieces: the first text, or an empty string) */
    public String text() {
        return text;
    }

    /**
     * @return what the client gets as the result's content: the text, or the pieces of {@link #of(List)}
     * @since 1.3
     */
    public List<Content> content() {
        return content;
    }

    /** @return the structured content, or {@code null} */
    public Map<String, Object> structuredContent() {
        return structuredContent;
    }

    /** @return {@code true} for a failed call */
    public boolean isError() {
        return error;
    }

    @Override
    public String toString() {
        return (error ? "ToolResult[error: " : "ToolResult[") + text + "]";
    }
}
