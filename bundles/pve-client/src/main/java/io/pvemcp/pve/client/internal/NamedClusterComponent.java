package io.pvemcp.pve.client.internal;

import java.util.Map;

import io.pvemcp.api.SecretValues;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A further cluster: one {@link io.pvemcp.api.pve.ProxmoxClient} service per factory configuration
 * {@code io.pvemcp.pve.cluster~NAME} ({@code conf/io.pvemcp.pve.cluster~lab.cfg}), with the settings of
 * {@code io.pvemcp.pve.client}; named NAME unless the configuration says otherwise.
 */
@Component(name = "io.pvemcp.pve.cluster", configurationPid = "io.pvemcp.pve.cluster",
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ClientConfig.class, factory = true)
public final class NamedClusterComponent extends ProxmoxClientComponent {

    @Activate
    public NamedClusterComponent(BundleContext context, ClientConfig config, Map<String, Object> properties,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            SecretValues secrets, @Reference ClientMetrics metrics) {
        super(context, config, secrets, metrics, configurationName(properties));
    }

    /** @return NAME of the PID {@code io.pvemcp.pve.cluster~NAME}, or the PID when it has no name */
    static String configurationName(Map<String, Object> properties) {
        String pid = String.valueOf(properties.get("service.pid"));
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid.substring(pid.lastIndexOf('.') + 1);
    }
}
