package io.pvemcp.security;

import io.pvemcp.api.Caller;

/**
 * The {@link Gatekeeper}'s answer to one request: the caller it may act as, or why not.
 *
 * @param status 200 when admitted; otherwise the HTTP status to answer with: 401 (no or invalid credentials),
 *        403 (valid credentials without any scope of this server, or a remote client while authentication is
 *        off), 429 (rate limit), 503 (the credentials cannot be checked now: the shared token store is unreachable)
 * @param caller the caller when admitted, otherwise {@code null}
 * @param error the OAuth error code ({@code invalid_token}, {@code insufficient_scope}), or {@code null}
 * @param description what is wrong and what to do, for the client; never holds a secret
 * @param challenge the value of the {@code WWW-Authenticate} header to send, or {@code null}
 * @param retryAfterSeconds for 429 and 503, when to try again; otherwise 0
 */
public record Admission(int status, Caller caller, String error, String description, String challenge,
        long retryAfterSeconds) {

    /**
     * @param caller the admitted caller
     * @return an admission
     */
    public static Admission admit(Caller caller) {
        return new Admission(200, caller, null, null, null, 0);
    }

    /** @return {@code true} if the request may proceed as {@link #caller()} */
    public boolean admitted() {
        return status == 200 && caller != null;
    }
}
