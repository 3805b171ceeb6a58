package io.pvemcp.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "MCP over HTTP", description = "The MCP Streamable HTTP endpoint. The listen "
        + "address and port are those of the HTTP service (PID org.apache.felix.http).")
@interface HttpConfig {

    @AttributeDefinition(name = "Allowed origins", description = "Origins (scheme://host[:port]) that browsers may "
            + "call the MCP endpoint from, besides loopback origins. Requests with another Origin are refused (403).")
    String[] allowed_origins() default {};

    @AttributeDefinition(name = "Allowed hosts", description = "Host names or addresses clients may use to reach "
            + "this server, besides loopback names and the listen address. Other Host headers are refused (403), "
            + "which stops DNS rebinding. Set this when the server is reached by name, e.g. mcp.example.com.")
    String[] allowed_hosts() default {};

    @AttributeDefinition(name = "Maximum sessions", description = "Open MCP sessions in all. At the limit, the "
            + "session idle longest without a running call is closed for a new one.", min = "1")
    int max_sessions() default 1000;

    @AttributeDefinition(name = "Sessions reserved for administrators", description = "The last places under the "
            + "maximum, which only tokens with proxmox:admin may take, so an operator can always connect.", min = "0")
    int admin_reserved_sessions() default 10;

    @AttributeDefinition(name = "Maximum sessions per token", description = "Open MCP sessions one credential may "
            + "hold; beyond, its least recently used session without a running call is closed (429 if every one "
            + "has a call running).", min = "1")
    int max_sessions_per_token() default 20;

    @AttributeDefinition(name = "Session idle timeout (s)", description = "A session without requests or open "
            + "streams for this long is closed.", min = "10")
    int session_idle_timeout_s() default 3600;

    @AttributeDefinition(name = "Maximum request size (bytes)", min = "1024")
    int max_request_bytes() default 4 * 1024 * 1024;

    @AttributeDefinition(name = "Keep-alive interval (s)", description = "How often an open event stream gets a "
            + "comment line, so proxies keep it open and dead clients are noticed.", min = "1")
    int keepalive_s() default 25;
}
