package io.pvemcp.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Dictionary;

/**
 * Uses Configuration Admin from outside the framework. The launcher does not share the
 * {@code org.osgi.service.cm} classes with the bundle that provides them, so it calls the service through
 * the interfaces that bundle loads.
 */
final class ConfigurationAdminAccess {

    private final Object admin;
    private final Method getConfiguration;
    private final Method getFactoryConfiguration;
    private final Method update;

    ConfigurationAdminAccess(Object admin) throws ReflectiveOperationException {
        this.admin = admin;
        ClassLoader loader = admin.getClass().getClassLoader();
        Class<?> adminType = loader.loadClass("org.osgi.service.cm.ConfigurationAdmin");
        Class<?> configurationType = loader.loadClass("org.osgi.service.cm.Configuration");
        this.getConfiguration = adminType.getMethod("getConfiguration", String.class, String.class);
        this.getFactoryConfiguration = adminType.getMethod("getFactoryConfiguration", String.class, String.class,
                String.class);
        this.update = configurationType.getMethod("updateIfDifferent", Dictionary.class);
    }

    /**
     * Creates or updates a configuration, bound to no particular bundle.
     *
     * @param pid a PID, or {@code factoryPid~name} for a factory configuration
     * @param properties the properties
     */
    void update(String pid, Dictionary<String, Object> properties) throws Exception {
        int tilde = pid.indexOf('~');
        try {
            Object configuration = tilde > 0
                    ? getFactoryConfiguration.invoke(admin, pid.substring(0, tilde), pid.substring(tilde + 1), "?")
                    : getConfiguration.invoke(admin, pid, "?");
            update.invoke(configuration, properties);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }
}
