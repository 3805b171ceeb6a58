package io.pvemcp.secrets.internal;

import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Map;

import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Keeps secrets out of Configuration Admin. The launcher stores each password and secret of the configuration as a
 * placeholder ({@value #PREFIX}{@code pid/property}) and hands the real values to this plugin as a service; the plugin
 * puts them back only into the properties delivered to the component that uses them. Whatever lists configurations
 * (the web console's configuration pages and status printers, the shell) sees placeholders. This bundle starts
 * (order 2) before every bundle that reads a secret.
 */
@Component(service = ConfigurationPlugin.class, immediate = true, property = {ConfigurationPlugin.CM_RANKING + ":Integer=0",
        "config.plugin.id=" + SecretsPlugin.ID})
public final class SecretsPlugin implements ConfigurationPlugin {

    /** The plugin's id. */
    public static final String ID = "io.pvemcp.secrets";
    /** How a secret's placeholder starts. */
    public static final String PREFIX = "pvemcp-secret:";

    private final Map<?, ?> secrets;

    @Activate
    public SecretsPlugin(@Reference(service = Map.class, target = "(pvemcp.secrets=true)") Object secrets) {
        this.secrets = (Map<?, ?>) secrets;
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (properties.get(key) instanceof String s && s.startsWith(PREFIX)) {
                Object value = secrets.get(s.substring(PREFIX.length()));
                if (value != null) {
                    properties.put(key, value);
                }
            }
        }
    }
}
