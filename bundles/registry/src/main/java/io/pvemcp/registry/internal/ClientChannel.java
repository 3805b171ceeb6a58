package io.pvemcp.registry.internal;

import java.util.Map;

import io.pvemcp.api.Elicitation;
import io.pvemcp.api.LogLevel;
import io.pvemcp.api.ToolException;

/**
 * What a request can say to, or ask of, the client it came from, whichever transport carries it: progress and log
 * messages, and (MCP only) questions for the client's model or user. A transport without a client to talk back to
 * (the REST API) uses {@link #NONE}.
 */
interface ClientChannel {

    /** No client listens: progress and log messages go to the server log only, questions are refused. */
    ClientChannel NONE = new ClientChannel() {
        @Override
        public void progress(Object token, double progress, Double total, String message) {
        }

        @Override
        public void log(LogLevel level, String logger, String message) {
        }

        @Override
        public String sample(String tool, String prompt, int maxTokens, CancellationSignal cancellation) {
            throw new ToolException("No MCP client is connected to this call, so the tool " + tool + " cannot ask "
                    + "its model (sampling needs an MCP client).");
        }

        @Override
        public Elicitation elicit(String tool, String message, Map<String, Object> schema,
                CancellationSignal cancellation) {
            throw new ToolException("No MCP client is connected to this call, so the tool " + tool + " cannot ask "
                    + "the user (elicitation needs an MCP client).");
        }
    };

    /**
     * @param token the request's progress token (never {@code null})
     * @param progress how far, increasing
     * @param total the total, or {@code null}
     * @param message what is happening, or {@code null}
     */
    void progress(Object token, double progress, Double total, String message);

    /**
     * @param level the level
     * @param logger who logs
     * @param message the message
     */
    void log(LogLevel level, String logger, String message);

    /**
     * Asks the client's model.
     *
     * @return its answer's text
     * @throws ToolException if the client cannot or did not answer
     */
    String sample(String tool, String prompt, int maxTokens, CancellationSignal cancellation);

    /**
     * Asks the client's user.
     *
     * @return the answer
     * @throws ToolException if the client cannot or did not answer
     */
    Elicitation elicit(String tool, String message, Map<String, Object> schema, CancellationSignal cancellation);

    /** @return whether the client declared that it can ask its user ({@code elicitation}) */
    default boolean canElicit() {
        return false;
    }
}
