package io.pvemcp.pve.sim.internal.http;

/** Handles one request; must not throw. */
@FunctionalInterface
public interface HttpHandler {

    /**
     * @param request the request
     * @return the response
     */
    HttpResponse handle(HttpRequest request);
}
