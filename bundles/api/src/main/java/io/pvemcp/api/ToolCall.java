package io.pvemcp.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One call of a {@link Tool}: its arguments, already validated against the tool's input schema, plus the
 * {@link RequestContext}. Implemented by the server.
 */
@ProviderType
public interface ToolCall extends RequestContext {

    /** @return the name the tool was called by */
    String toolName();

    /** @return the validated arguments; never {@code null} */
    Arguments arguments();

    /**
     * Reports progress to the client ({@code notifications/progress}), if the client asked for it with a
     * progress token; otherwise does nothing. Values must increase from one report to the next.
     *
     * @param progress work done so far
     * @param total total work, or {@code null} when unknown
     * @param message a short status text, or {@code null}
     */
    void progress(double progress, Double total, String message);
}
