package io.pvemcp.runtime;

import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.osgi.framework.BundleContext;

/**
 * Takes the passwords and secrets out of the configurations before they reach Configuration Admin, leaving
 * placeholders ({@code pvemcp-secret:pid/property}); the values go to a {@code java.util.Map} service (a system type, the
 * same for the launcher and the bundles) that the security bundle offers as the typed service
 * {@code io.pvemcp.api.SecretValues}; only the
 * components reading a secret reference. So no configuration listing, component page or service property (web
 * console, shell) ever holds a secret.
 */
final class Secrets {

    static final String PREFIX = "pvemcp-secret:";

    private final Map<String, Object> values = new LinkedHashMap<>();

    /** A URL with a password in it, e.g. {@code postgresql://user:password@host/db}. */
    private static final java.util.regex.Pattern URL_WITH_PASSWORD = java.util.regex.Pattern.compile(
            "[A-Za-z][A-Za-z0-9+.-]*://[^/@:]*:[^/@]+@.*");

    /** Replaces every property whose name says password or secret, or whose value is a URL with a password. */
    static Secrets extract(Map<String, Map<String, Object>> configurations) {
        Secrets s = new Secrets();
        configurations.forEach((pid, props) -> props.replaceAll((key, value) -> {
            String k = key.toLowerCase(Locale.ROOT);
            if (value != null && !String.valueOf(value).isEmpty() && (k.contains("password") || k.contains("secret")
                    || URL_WITH_PASSWORD.matcher(String.valueOf(value)).matches())) {
                s.values.put(pid + "/" + key, value);
                return PREFIX + pid + "/" + key;
            }
            return value;
        }));
        return s;
    }

    /** Registers the values for the plugin. */
    void register(BundleContext context) {
        context.registerService(Map.class, Map.copyOf(values), new Hashtable<>(Map.of("pvemcp.secrets", "true")));
    }

    int size() {
        return values.size();
    }
}
