package io.pvemcp.runtime;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleWiring;

/**
 * In the start that archives its classes when it ends (the launcher script's first start, with
 * {@code -XX:ArchiveClassesAtExit} and {@code -Dpvemcp.cds.archiving=true}; docs/performance.md), keeps every bundle's
 * class loader reachable until the JVM ends. The JVM archives a class of a custom class loader only if that loader is
 * still alive when it writes the archive, after {@code main} returned; a stopped framework drops its loaders, and a
 * collection between the stop and the end of the JVM would leave the bundles' classes out of the archive.
 */
final class ClassArchiving implements SynchronousBundleListener {

    static final String PROPERTY = "pvemcp.cds.archiving";
    /** Reachable until the JVM ends. */
    private static final List<ClassLoader> KEPT = new ArrayList<>();

    /**
     * Installs the listener when this JVM archives its classes at exit.
     *
     * @param system the system bundle's context, before any bundle starts
     */
    static void installIfArchiving(BundleContext system) {
        if (Boolean.getBoolean(PROPERTY)) {
            system.addBundleListener(new ClassArchiving());
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.RESOLVED || event.getType() == BundleEvent.STARTED) {
            BundleWiring wiring = event.getBundle().adapt(BundleWiring.class);
            ClassLoader loader = wiring == null ? null : wiring.getClassLoader();
            if (loader != null) {
                synchronized (KEPT) {
                    if (!KEPT.contains(loader)) {
                        KEPT.add(loader);
                    }
                }
            }
        }
    }
}
