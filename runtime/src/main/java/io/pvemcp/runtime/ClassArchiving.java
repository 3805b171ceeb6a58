package io.pvemcp.runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
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
 *
 * <p>When the framework begins to stop, it also links the bundles' classes that were loaded but never linked (the
 * verifier loads the types it checks against; a class looked up without being initialised is loaded only). The JVM
 * links the class path's classes itself before it archives, but leaves a custom class loader's unlinked classes out,
 * and each later start would read them from their jars again (some 400 of them). Which classes were loaded comes from
 * the JVM's class-load log, which the launcher writes to the file named by {@value #CLASS_LOG} in that start.
 */
final class ClassArchiving implements SynchronousBundleListener {

    static final String PROPERTY = "pvemcp.cds.archiving";
    static final String CLASS_LOG = "pvemcp.cds.classlog";
    private static final String SOURCE = " source: ";
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
        if (event.getType() == BundleEvent.STOPPING && event.getBundle().getBundleId() == 0) {
            String log = System.getProperty(CLASS_LOG);
            if (log != null) {
                linkLoaded(Path.of(log), event.getBundle().getBundleContext());
            }
            return;
        }
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

    /**
     * Links the classes the log names that a bundle's jar defined; linking one may load others (for its verifier),
     * so the log is read again until a pass links nothing new.
     *
     * @return how many classes were linked
     */
    static int linkLoaded(Path log, BundleContext context) {
        Map<Path, Bundle> byJar = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            Path jar = jarOf(b.getLocation().startsWith("reference:") ? b.getLocation().substring(10) : b.getLocation());
            if (jar != null) {
                byJar.put(jar, b);
            }
        }
        int read = 0;
        int linked = 0;
        for (int pass = 0; pass < 10; pass++) {
            List<String> lines;
            try {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                // whole lines only: the JVM may be writing the last one
                lines = text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
            } catch (IOException e) {
                return linked;
            }
            int before = linked;
            // the log only grows: each pass reads what linking the classes of the pass before loaded
            for (String line : lines.subList(Math.min(read, lines.size()), lines.size())) {
                int at = line.indexOf(SOURCE);
                Bundle bundle = at <= 0 ? null : byJar.get(jarOf(line.substring(at + SOURCE.length()).trim()));
                if (bundle != null) {
                    try {
                        // reflection on the methods links the class (and does not initialise it)
                        bundle.loadClass(line.substring(line.lastIndexOf(' ', at - 1) + 1, at)).getDeclaredMethods();
                        linked++;
                    } catch (ClassNotFoundException | LinkageError | SecurityException | IllegalStateException e) {
                        // a class that cannot be linked (an optional dependency missing) stays out of the archive
                    }
                }
            }
            read = lines.size();
            if (linked == before) {
                break;
            }
        }
        return linked;
    }

    private static Path jarOf(String uri) {
        try {
            return uri.startsWith("file:") ? Path.of(URI.create(uri)).normalize() : null;
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }
}
