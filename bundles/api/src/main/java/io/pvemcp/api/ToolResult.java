package io.pvemcp.api;

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

    private ToolResult(String text, Map<String, Object> structuredContent, boolean error) {
        this.text = Objects.requireNonNull(text, "text");
        this.structuredContent = structuredContent;
        this.error = error;
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

    /** @return the text for the model */
    public String text() {
        return text;
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
