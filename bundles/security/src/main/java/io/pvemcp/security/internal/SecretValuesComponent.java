package io.pvemcp.security.internal;

import java.util.Map;

import io.pvemcp.api.SecretValues;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The typed secrets service: what the launcher kept out of Configuration Admin (a {@code java.util.Map} service with
 * {@code pvemcp.secrets=true}, the one type the launcher and the bundles share) behind placeholders
 * {@code pvemcp-secret:pid/property}. Without a launcher's secrets, values pass unchanged.
 */
@Component(service = SecretValues.class)
public final class SecretValuesComponent implements SecretValues {

    static final String PREFIX = "pvemcp-secret:";

    private final Map<?, ?> values;

    @Activate
    public SecretValuesComponent(@Reference(service = Map.class, target = "(pvemcp.secrets=true)",
            cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY) Object values) {
        this.values = values instanceof Map<?, ?> m ? m : Map.of();
    }

    @Override
    public String resolve(String configured) {
        if (configured == null) {
            return "";
        }
        if (configured.startsWith(PREFIX)) {
            Object secret = values.get(configured.substring(PREFIX.length()));
            return secret == null ? configured : String.valueOf(secret);
        }
        return configured;
    }
}
