package io.pvemcp.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots Apache Felix with the bundles of a set of features and hands the configurations to Configuration
 * Admin before anything that reads them starts: bundles of start order 1 (Configuration Admin) start first, the
 * configurations are applied, then the start level rises to start the rest.
 */
final class Launcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
    private static final String SLF4J_PACKAGES = exports("org.slf4j,org.slf4j.event,org.slf4j.helpers,org.slf4j.spi",
            "2.0.17", "1.7.36");

    /**
     * The packages the system bundle exports from the launcher's class path besides Java's: SLF4J (the launcher's
     * log), and Jackson, as its jars declare them. One copy of Jackson serves the launcher and every bundle: loading
     * it twice cost 600 classes, their memory and their compilation at every start.
     *
     * @return the value of {@code org.osgi.framework.system.packages.extra}
     */
    static String systemPackages() {
        return systemPackages(false);
    }

    /**
     * @param stateDatabase whether a state database is configured ({@code io.pvemcp.state}): then the PostgreSQL JDBC
     *        driver's package is exported too (finding its version costs about 20 ms, which other starts do not pay)
     * @return the value of {@code org.osgi.framework.system.packages.extra}
     */
    static String systemPackages(boolean stateDatabase) {
        List<String> all = new ArrayList<>(List.of(SLF4J_PACKAGES));
        for (Class<?> c : List.of(com.fasterxml.jackson.annotation.JsonProperty.class,
                com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.databind.ObjectMapper.class)) {
            all.add(exportsOf(c));
        }
        String driver = stateDatabase ? postgresDriver() : null;
        if (driver != null) {
            all.add(driver);
        }
        return String.join(",", all);
    }

    /**
     * @return the export of the PostgreSQL JDBC driver's API package (for the shared state of replicas) when the
     *         driver is on the launcher's class path, read from its manifest without loading it; otherwise {@code null}
     */
    private static String postgresDriver() {
        java.net.URL driver = Launcher.class.getClassLoader().getResource("org/postgresql/Driver.class");
        if (driver == null) {
            return null;
        }
        try {
            java.net.JarURLConnection jar = (java.net.JarURLConnection) driver.openConnection();
            jar.setUseCaches(false);
            String version = jar.getManifest().getMainAttributes().getValue(Constants.BUNDLE_VERSION);
            return "org.postgresql;version=\"" + org.osgi.framework.Version.parseVersion(version) + "\"";
        } catch (IOException | ClassCastException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String exportsOf(Class<?> type) {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(Path.of(type.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).toFile())) {
            String exports = jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            if (exports == null || exports.isBlank()) {
                throw new IllegalStateException(jar.getName() + " exports no package");
            }
            return exports;
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot read the packages of " + type.getName() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * The start level of the tool bundles: when it is reached, the bundles of the start have started. The transports
     * (level 4) answer {@code initialize} before; the registry holds lists (and calls whose tool is not there yet)
     * until the launcher registers a service with {@code pvemcp.startup=complete} (announced by the framework property
     * {@code pvemcp.startup}).
     * What starts later (the admin console, the shell: level 6) does not hold them.
     */
    static final int STARTUP_LEVEL = 5;
    /** The framework property that announces the mark ({@code marked}), and the mark's property ({@code complete}). */
    static final String STARTUP = "pvemcp.startup";

    private final Felix felix;
    private final FrameworkCache cache;
    /** Bundles installed and left stopped on purpose ({@link Feature.BundleRef#start()}). */
    private final java.util.Set<Long> leftStopped = new java.util.HashSet<>();

    private Launcher(Felix felix, FrameworkCache cache) {
        this.felix = felix;
        this.cache = cache;
    }

    /**
     * Starts a framework.
     *
     * @param command the command that starts it ({@code serve}, {@code stdio}, {@code sim}): it names the framework
     *        cache, kept from start to start ({@link FrameworkCache})
     * @param home the distribution folder ({@code system/} holds the bundles)
     * @param data the data folder: the framework cache is below it
     * @param features the features to install, in order
     * @param configurations the configurations by PID
     * @param frameworkProperties further framework properties
     * @return the running framework
     * @throws Exception if a bundle is missing or the framework cannot start
     */
    static Launcher start(String command, Path home, Path data, List<Feature> features,
            Map<String, Map<String, Object>> configurations, Map<String, String> frameworkProperties) throws Exception {
        return start(command, home, data, features, configurations, frameworkProperties, ctx -> {
        });
    }

    /**
     * Starts a framework, letting the caller register services of its own before any bundle starts.
     *
     * @param beforeStart gets the system bundle's context once the framework is initialised
     * @see #start(String, Path, Path, List, Map, Map)
     */
    static Launcher start(String command, Path home, Path data, List<Feature> features,
            Map<String, Map<String, Object>> configurations, Map<String, String> frameworkProperties,
            java.util.function.Consumer<BundleContext> beforeStart) throws Exception {
        Path system = home.resolve("system");
        List<Path> jars = new ArrayList<>();
        for (Feature f : features) {
            for (Feature.BundleRef ref : f.bundles()) {
                jars.add(ref.file(system));
            }
        }
        // Declarative Services asks JAXP for a SAX parser for every component description it reads; naming Java's own
        // (the one it finds anyway) spares a service lookup over the class path each time (about 10 ms of a start)
        System.getProperties().putIfAbsent("javax.xml.parsers.SAXParserFactory",
                "com.sun.org.apache.xerces.internal.jaxp.SAXParserFactoryImpl");
        FrameworkCache cache = FrameworkCache.open(FrameworkCache.root(data), command, jars);
        FrameworkCache.forgetOld(data);
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1");
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, systemPackages(configurations.containsKey(
                SecuritySetup.STATE_PID)));
        props.put("felix.log.level", "2");
        props.put("felix.log.logger", new FelixLogBridge());
        props.put("ds.loglevel", "warn");
        // Declarative Services keeps the component descriptions it parsed in the framework cache when it stops, and
        // reads them back at the next start instead of every bundle's XML (a bundle updated since is parsed again)
        props.put("ds.cache.metadata", "true");
        props.put(STARTUP, "marked");
        props.putAll(frameworkProperties);
        long t0 = System.nanoTime();
        Felix felix;
        try {
            felix = init(props, cache);
        } catch (BundleException | RuntimeException e) {
            if (!cache.reused()) {
                throw e;
            }
            LOG.warn("The framework cache {} could not be read ({}); starting with an empty one", cache.storage(),
                    e.getMessage());
            cache = cache.discard();
            felix = init(props, cache);
        }
        beforeStart.accept(felix.getBundleContext());
        ClassArchiving.installIfArchiving(felix.getBundleContext());
        Launcher launcher = new Launcher(felix, cache);
        try {
            long t1 = System.nanoTime();
            if (cache.reused()) {
                launcher.uninstallOthers(jars);
            }
            int maxLevel = launcher.install(system, features);
            long t2 = System.nanoTime();
            felix.start();
            launcher.configure(configurations);
            long t3 = System.nanoTime();
            BundleTimes times = LOG.isDebugEnabled() ? new BundleTimes(felix.getBundleContext()) : null;
            int startup = Math.min(STARTUP_LEVEL, maxLevel);
            // a stdio client may end its session while the tools start (its initialize was answered): then the
            // framework stops, and so does the start
            boolean going = launcher.raiseStartLevel(startup) && launcher.markStarted();
            if (going) {
                cache.completed();
            }
            long t4 = System.nanoTime();
            if (going && maxLevel > startup) {
                launcher.raiseStartLevel(maxLevel);
            }
            long t5 = System.nanoTime();
            if (launcher.stopping()) {
                return launcher;
            }
            if (times != null) {
                times.report();
            }
            launcher.reportUnstartedBundles();
            LOG.debug("framework init {} ms ({} cache), install {} ms, configure {} ms, start bundles {} ms (then {} ms "
                    + "for the levels after the start)", (t1 - t0) / 1_000_000, cache.reused() ? "reused" : "new",
                    (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, (t5 - t4) / 1_000_000);
            return launcher;
        } catch (Exception | Error e) {
            launcher.close();
            throw e;
        }
    }

    /** Initialises a framework on a cache (a new cache is emptied; one kept from an earlier start is read). */
    private static Felix init(Map<String, Object> props, FrameworkCache cache) throws BundleException {
        Map<String, Object> p = new HashMap<>(props);
        p.put(Constants.FRAMEWORK_STORAGE, cache.storage().toAbsolutePath().toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, cache.reused() ? "none" : Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Felix felix = new Felix(p);
        felix.init();
        return felix;
    }

    /**
     * A cache kept from an earlier start holds that start's bundles: those that are not this start's (plugins, which
     * File Install installs again from deploy/) are uninstalled, so that the framework holds what a new cache would.
     */
    private void uninstallOthers(List<Path> jars) throws BundleException {
        java.util.Set<String> ours = new java.util.HashSet<>();
        jars.forEach(jar -> ours.add(location(jar)));
        for (Bundle b : felix.getBundleContext().getBundles()) {
            if (b.getBundleId() != 0 && !ours.contains(b.getLocation())) {
                LOG.debug("uninstalling {} (location {}) from the framework cache", b.getSymbolicName(),
                        b.getLocation());
                b.uninstall();
            }
        }
    }

    private static String location(Path jar) {
        return "reference:" + jar.toUri();
    }

    private int install(Path system, List<Feature> features) throws IOException, BundleException {
        BundleContext ctx = felix.getBundleContext();
        int max = 1;
        List<Bundle> toStart = new ArrayList<>();
        for (Feature f : features) {
            for (Feature.BundleRef ref : f.bundles()) {
                Path jar = ref.file(system);
                if (!Files.isRegularFile(jar)) {
                    throw new IOException("bundle " + ref.id() + " of feature " + f.id() + " is missing: " + jar
                            + ". Rebuild the distribution (mvn package) or fix the feature file.");
                }
                Bundle b = ctx.installBundle(location(jar));
                b.adapt(BundleStartLevel.class).setStartLevel(ref.startOrder());
                max = Math.max(max, ref.startOrder());
                if (!ref.start()) {
                    // a kept framework cache remembers a bundle an earlier start started
                    b.stop();
                    leftStopped.add(b.getBundleId());
                } else if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    toStart.add(b);
                }
            }
        }
        for (Bundle b : toStart) {
            b.start();
        }
        return max;
    }

    private void configure(Map<String, Map<String, Object>> configurations) throws Exception {
        if (configurations.isEmpty()) {
            return;
        }
        BundleContext ctx = felix.getBundleContext();
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(ctx,
                "org.osgi.service.cm.ConfigurationAdmin", null);
        tracker.open();
        try {
            Object admin = tracker.waitForService(10_000);
            if (admin == null) {
                throw new IllegalStateException("Configuration Admin did not start; cannot configure the runtime");
            }
            ConfigurationAdminAccess access = new ConfigurationAdminAccess(admin);
            for (var e : configurations.entrySet()) {
                Dictionary<String, Object> d = new Hashtable<>();
                e.getValue().forEach((k, v) -> {
                    if (v != null) {
                        d.put(k, v);
                    }
                });
                access.update(e.getKey(), d);
            }
        } finally {
            tracker.close();
        }
    }

    /** @return whether the framework goes on (it reached the level, or took too long); not if it is stopping */
    private boolean raiseStartLevel(int level) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        felix.adapt(FrameworkStartLevel.class).setStartLevel(level, event -> {
            if (event.getType() == FrameworkEvent.STARTLEVEL_CHANGED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.await(50, TimeUnit.MILLISECONDS)) {
            if (stopping()) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                LOG.warn("The runtime did not reach start level {} within 60 s", level);
                return true;
            }
        }
        return !stopping();
    }

    /** Tells the registry that the bundles of the start have started ({@link #STARTUP_LEVEL}). */
    private boolean markStarted() {
        BundleContext ctx = felix.getBundleContext();
        try {
            if (ctx != null) {
                ctx.registerService(Object.class, new Object(), new Hashtable<>(Map.of(STARTUP, "complete")));
                return true;
            }
        } catch (IllegalStateException e) {
            // stopping
        }
        return false;
    }

    /** @return whether the framework is stopping or stopped (a stdio client ended its session during the start) */
    boolean stopping() {
        return felix.getState() != Bundle.ACTIVE;
    }

    /**
     * With debug logging: when each bundle started, from the start of the first, and how long until the next began
     * (what its start caused: its activator and the components Declarative Services activated for it).
     */
    private static final class BundleTimes implements SynchronousBundleListener {
        private final BundleContext ctx;
        private final long t0 = System.nanoTime();
        private final List<Start> started = Collections.synchronizedList(new ArrayList<>());

        private record Start(long at, String bundle) {
        }

        BundleTimes(BundleContext ctx) {
            this.ctx = ctx;
            ctx.addBundleListener(this);
        }

        @Override
        public void bundleChanged(BundleEvent event) {
            if (event.getType() == BundleEvent.STARTING) {
                started.add(new Start(System.nanoTime(), event.getBundle().getSymbolicName()));
            }
        }

        void report() {
            ctx.removeBundleListener(this);
            long end = System.nanoTime();
            StringBuilder sb = new StringBuilder("bundle starts (at, then until the next one starts):");
            synchronized (started) {
                for (int i = 0; i < started.size(); i++) {
                    long at = started.get(i).at();
                    long next = i + 1 < started.size() ? started.get(i + 1).at() : end;
                    sb.append(String.format(" %s at %d ms, %d ms;", started.get(i).bundle(), (at - t0) / 1_000_000,
                            (next - at) / 1_000_000));
                }
            }
            LOG.debug(sb.toString());
        }
    }

    private void reportUnstartedBundles() {
        for (Bundle b : felix.getBundleContext().getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE && !leftStopped.contains(b.getBundleId())) {
                LOG.error("Bundle {} {} did not start (state {}); the log above says why", b.getSymbolicName(),
                        b.getVersion(), state(b.getState()));
            }
        }
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED: its imports are not satisfied";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> Integer.toString(state);
        };
    }

    /** @return the framework's bundle context */
    BundleContext context() {
        return felix.getBundleContext();
    }

    /**
     * Waits for a service.
     *
     * @param className the service interface name
     * @param timeout how long to wait
     * @return its reference, or {@code null} if it did not appear in time
     * @throws InterruptedException if interrupted
     */
    ServiceReference<?> awaitService(String className, Duration timeout) throws InterruptedException {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(felix.getBundleContext(), className, null);
        tracker.open(true);
        try {
            tracker.waitForService(timeout.toMillis());
            return tracker.getServiceReference();
        } finally {
            tracker.close();
        }
    }

    /**
     * Waits until the framework has stopped.
     *
     * @throws InterruptedException if interrupted
     */
    void awaitStop() throws InterruptedException {
        felix.waitForStop(0);
    }

    @Override
    public void close() {
        try {
            felix.stop();
            if (felix.waitForStop(15_000).getType() != FrameworkEvent.WAIT_TIMEDOUT) {
                cache.close();
            }
        } catch (BundleException e) {
            LOG.warn("stopping the framework failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String exports(String packages, String... versions) {
        List<String> out = new ArrayList<>();
        for (String v : versions) {
            for (String p : packages.split(",")) {
                out.add(p + ";version=" + v);
            }
        }
        return String.join(",", out);
    }
}
