package io.pvemcp.api;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.pvemcp.api.pve.TaskResult;

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

    /**
     * Waits for a Proxmox task that this call started, the way every tool that starts a task should: it
     * reports progress to the client while it waits (seconds waited, with no total), stops waiting when
     * the client cancels the call (the task runs on), and returns the task's state when it ended or the timeout
     * passed. A task that ended with an error comes back as {@link TaskResult#failed()}, with the tail of its log
     * in {@link TaskResult#log()}.
     *
     * @param upid the task id the Proxmox call returned
     * @param timeout how long to wait at most
     * @param what what the task does, for progress messages, e.g. {@code "Starting VM 100"}
     * @return the task's state
     * @throws io.pvemcp.api.pve.ProxmoxException if the task's status cannot be read
     * @throws CancellationException if the client cancelled the call
     * @since 1.1
     */
    default TaskResult followTask(String upid, Duration timeout, String what) {
        // how long a Proxmox task takes is not known: progress counts seconds with no total, and the message says
        // what the task last logged
        CompletableFuture<TaskResult> wait = proxmox().awaitTask(upid, timeout, state -> progress(
                state.elapsed().toMillis() / 1000.0, null, what + " (" + state.elapsed().toSeconds() + " s"
                        + (state.log().isEmpty() ? "" : ": " + state.log().get(state.log().size() - 1)) + ")"));
        cancellation().onCancel(() -> wait.cancel(true));
        try {
            return wait.join();
        } catch (CancellationException e) {
            throw new CancellationException("The client cancelled the call while waiting for task " + upid
                    + "; the task itself runs on.");
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * Asks the client's language model to answer a prompt ({@code sampling/createMessage}). The client (usually its
     * user) may refuse. Use it sparingly, e.g. to summarise a long task log before returning it.
     *
     * @param prompt what to ask
     * @param maxTokens the most tokens the answer may have
     * @return the text of the answer
     * @throws ToolException if the client does not support sampling, refused, or did not answer in time
     * @since 1.3
     */
    default String sample(String prompt, int maxTokens) {
        throw new ToolException("This server cannot ask the client's model for anything.");
    }

    /**
     * Asks the user for input through the client ({@code elicitation/create}), e.g. to confirm a destructive step
     * or to choose among options. The schema is a flat JSON object schema of strings, numbers, integers, booleans
     * and enums, with optional defaults.
     *
     * @param message what to ask, shown to the user
     * @param requestedSchema the form, as JSON-shaped values
     * @return the user's answer
     * @throws ToolException if the client does not support elicitation or did not answer in time
     * @since 1.3
     */
    default Elicitation elicit(String message, java.util.Map<String, Object> requestedSchema) {
        throw new ToolException("This server cannot ask the user for input.");
    }
}
