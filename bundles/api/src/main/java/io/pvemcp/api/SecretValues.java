package io.pvemcp.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The secrets of the server's configurations, as a service. The launcher keeps passwords and secrets out of
 * Configuration Admin, where every configuration listing (the admin console, the shell) would show them: a
 * configuration holds a placeholder ({@code pvemcp-secret:pid/property}) instead, and this service (the security
 * bundle offers it) tells what it stands for. A component that reads a secret references it (optionally) and resolves its
 * settings with {@link #resolve(SecretValues, String)} (a greedy reference, so it is rebound when the service comes); values that are no placeholders pass unchanged, so the
 * component works the same with secrets written into its configuration directly (tests, other launchers).
 *
 * @since 2.0
 */
@ProviderType
public interface SecretValues {

    /**
     * @param configured a configuration value
     * @return the secret a placeholder stands for, or the value itself; never {@code null}
     */
    String resolve(String configured);

    /**
     * @param secrets the service, or {@code null} when there is none
     * @param configured a configuration value
     * @return the secret a placeholder stands for, or the value itself; never {@code null}
     */
    static String resolve(SecretValues secrets, String configured) {
        if (configured == null) {
            return "";
        }
        return secrets == null ? configured : secrets.resolve(configured);
    }
}
