package io.pvemcp.api.pve;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An asynchronous client of one Proxmox VE cluster's REST API. Available to tools through
 * {@link io.pvemcp.api.RequestContext#proxmox()}, and as an OSGi service for other components.
 *
 * <h2>Requests</h2>
 * {@code path} is a path below {@code /api2/json} written as in the API contract, e.g.
 * {@code /nodes/{node}/qemu/{vmid}/status/current}. {@code params} holds every parameter, path parameters
 * included: {@code {node}} is filled from {@code params.get("node")} (URL-encoded), and the remaining
 * parameters go to the query string (GET, DELETE) or to a form body (POST, PUT). Values may be strings,
 * numbers, booleans (sent as {@code 1}/{@code 0}) or lists of those (the parameter is repeated).
 * {@code null} values are left out.
 *
 * <h2>Results</h2>
 * A request completes with the {@code data} member of the Proxmox response, as JSON-shaped Java values
 * ({@code Map}, {@code List}, {@code String}, {@code Number}, {@code Boolean} or {@code null}); read them with
 * {@link io.pvemcp.api.Json}. For long-running operations Proxmox returns a task id (UPID) as a string.
 * A request fails with a {@link ProxmoxException} (wrapped in a
 * {@link java.util.concurrent.CompletionException} by {@code join()}).
 *
 * <h2>Behaviour</h2>
 * Authentication (API token, or a ticket renewed before it expires), TLS verification, timeouts and retries
 * are handled by the implementation and configured by the operator; callers never see credentials.
 * Implementations are thread-safe.
 */
@ProviderType
public interface ProxmoxClient {

    /**
     * Sends a request.
     *
     * @param method {@code GET}, {@code POST}, {@code PUT} or {@code DELETE}
     * @param path the path template below {@code /api2/json}
     * @param params the parameters, path parameters included; may be empty, not {@code null}
     * @return the {@code data} of the response
     */
    CompletableFuture<Object> request(String method, String path, Map<String, ?> params);

    /**
     * @param path the path template
     * @param params the parameters
     * @return the {@code data} of the response
     * @see #request(String, String, Map)
     */
    default CompletableFuture<Object> get(String path, Map<String, ?> params) {
        return request("GET", path, params);
    }

    /**
     * @param path the path template
     * @param params the parameters
     * @return the {@code data} of the response
     * @see #request(String, String, Map)
     */
    default CompletableFuture<Object> post(String path, Map<String, ?> params) {
        return request("POST", path, params);
    }

    /**
     * @param path the path template
     * @param params the parameters
     * @return the {@code data} of the response
     * @see #request(String, String, Map)
     */
    default CompletableFuture<Object> put(String path, Map<String, ?> params) {
        return request("PUT", path, params);
    }

    /**
     * @param path the path template
     * @param params the parameters
     * @return the {@code data} of the response
     * @see #request(String, String, Map)
     */
    default CompletableFuture<Object> delete(String path, Map<String, ?> params) {
        return request("DELETE", path, params);
    }

    /**
     * Waits for a task to end: polls {@code /nodes/{node}/tasks/{upid}/status} with growing pauses (from 250 ms
     * up to 2 s) and, once the task stopped, reads its log. The result reports a task that ended with an error as
     * {@link TaskResult#failed()}, not as a failed future; a task still running when the timeout passes comes
     * back with {@link TaskResult#running()} set. The future fails only when the status cannot be read (for
     * example the node went offline), with a {@link ProxmoxException}, or with an
     * {@link IllegalArgumentException} if {@code upid} is not a task id. Cancelling the future stops the
     * polling (not the task). The Proxmox client bundle implements it (a fix in how tasks are followed is its own,
     * no version event of this package); a client that wraps another checks what it must and delegates.
     *
     * @param upid the task id a long-running call returned
     * @param timeout how long to wait at most
     * @param progress called after each poll while the task runs, with its state; may be {@code null}
     * @return the task's state when it ended or the timeout passed
     * @since 1.1 (abstract since 2.0)
     */
    CompletableFuture<TaskResult> awaitTask(String upid, Duration timeout, Consumer<TaskResult> progress);

    /**
     * Sends a request and answers the whole of what Proxmox VE says: {@code data} (what {@link #request} answers)
     * and the attributes it puts beside it, such as the {@code changes} a node's network configuration has pending
     * (a diff) or the {@code total} of a cut list. Fails as {@link #request} does.
     *
     * @param method {@code GET}, {@code POST}, {@code PUT} or {@code DELETE}
     * @param path the path as in the contract, e.g. {@code /nodes/{node}/network}
     * @param params parameters, path parameters included
     * @return the answer's members: {@code data} and any attributes
     * @since 1.4
     */
    default CompletableFuture<Map<String, Object>> answer(String method, String path, Map<String, ?> params) {
        return request(method, path, params).thenApply(data -> {
            Map<String, Object> whole = new java.util.LinkedHashMap<>();
            whole.put("data", data);
            return whole;
        });
    }

    /** @return how this client connects, without any secret */
    ConnectionInfo connection();

    /**
     * The client may answer the cluster-wide reads nearly every tool makes ({@code /cluster/resources},
     * {@code /cluster/status}, {@code /nodes}) from a cache that lives about two seconds and is emptied by every
     * write the server makes and the end of every task it waits for. A caller that must see a change made elsewhere
     * at once reads through this view.
     *
     * @return this client without its cache (this client, if it has none)
     * @since 1.3
     */
    default ProxmoxClient uncached() {
        return this;
    }

    /**
     * Gets ready for requests that are about to come, so that the first of them does not wait for what could be done
     * ahead: typically it opens a connection to the cluster (the TLS handshake, the trust store) when none is open.
     * The registry calls it when an MCP client opens a session, on a thread of its own, while the tools are still
     * starting or the client is still reading the tool list. It may block for as long as that takes; it does nothing
     * when the client is ready already or is not configured. A failure is not reported here: the request that follows
     * reports it as usual.
     *
     * @since 1.5
     */
    default void prepare() {
        // nothing to prepare
    }
}
