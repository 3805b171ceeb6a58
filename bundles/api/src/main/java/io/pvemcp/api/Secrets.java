package io.pvemcp.api;

import java.util.Map;

/**
 * Secrets in configurations. The launcher keeps passwords and secrets out of Configuration Admin, where every
 * configuration listing (the admin console, the shell) would show them: a configuration holds the placeholder
 * {@value #PREFIX}{@code pid/property} instead, and the values are in a {@code java.util.Map} service with the
 * property {@code pvemcp.secrets=true}. A component that reads a secret references that service ({@link #FILTER})
 * and resolves its settings with {@link #resolve(String, Map)}; values that are no placeholders pass unchanged, so
 * the component works the same with secrets written into its configuration directly (tests, other launchers).
 *
 * @since 1.3
 */
public final class Secrets {

    /** How a placeholder starts. */
    public static final String PREFIX = "pvemcp-secret:";

    /** The target filter of the secrets service. */
    public static final String FILTER = "(pvemcp.secrets=true)";

    private Secrets() {
    }

    /**
     * @param value a configuration value
     * @param secrets the secrets service, or {@code null} when there is none
     * @return the secret the placeholder stands for, or the value itself; never {@code null}
     */
    public static String resolve(String value, Map<?, ?> secrets) {
        if (value == null) {
            return "";
        }
        if (value.startsWith(PREFIX) && secrets != null) {
            Object secret = secrets.get(value.substring(PREFIX.length()));
            return secret == null ? value : String.valueOf(secret);
        }
        return value;
    }
}
