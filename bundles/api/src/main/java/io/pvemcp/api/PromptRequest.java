package io.pvemcp.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** A request for a {@link Prompt}'s messages. Implemented by the server. */
@ProviderType
public interface PromptRequest extends RequestContext {

    /** @return the argument values the client passed; never {@code null} */
    Map<String, String> arguments();
}
