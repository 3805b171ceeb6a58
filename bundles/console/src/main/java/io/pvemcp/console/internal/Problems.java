package io.pvemcp.console.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Why a plugin does not work, in words an operator can act on: a bundle of the deploy folder (or any bundle) that
 * is not running, with the packages no other bundle provides; a component that failed to activate, with its error.
 */
final class Problems {

    private final BundleContext context;
    private final ServiceComponentRuntime scr;

    Problems(BundleContext context, ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    /** @return rows of bundle, what, why */
    List<String[]> list() {
        List<String[]> out = new ArrayList<>();
        String deploy = context.getProperty("felix.fileinstall.dir");
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            boolean deployed = deploy != null && b.getLocation().contains(deploy);
            if (b.getBundleId() == 0 || fragment || b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING
                    || b.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            if (!deployed && b.getState() == Bundle.RESOLVED) {
                continue; // stopped on purpose, e.g. in the Bundles page
            }
            out.add(new String[] {name(b), "bundle " + state(b.getState()), why(b)});
        }
        out.addAll(strayFiles(deploy));
        if (scr != null) {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        Bundle b = context.getBundle(d.bundle.id);
                        out.add(new String[] {b == null ? "bundle " + d.bundle.id : name(b), "component " + d.name
                                + " failed to activate", c.failure == null ? "see the server log" : firstLine(c.failure)});
                    }
                }
            }
        }
        return out;
    }

    /** Jars in the deploy folder that File Install did not install, and why. */
    private List<String[]> strayFiles(String deploy) {
        List<String[]> out = new ArrayList<>();
        if (deploy == null) {
            return out;
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of(deploy))) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            return out;
        }
        for (Path jar : jars) {
            String uri = jar.toUri().toString();
            boolean installed = false;
            for (Bundle b : context.getBundles()) {
                String location = b.getLocation();
                if (location.equals(uri) || location.endsWith(jar.toAbsolutePath().toString())) {
                    installed = true;
                    break;
                }
            }
            if (!installed) {
                out.add(new String[] {jar.getFileName().toString(), "file in the deploy folder, not installed",
                        notInstalled(jar)});
            }
        }
        return out;
    }

    private static String notInstalled(Path jar) {
        try (JarFile f = new JarFile(jar.toFile())) {
            Manifest m = f.getManifest();
            if (m == null || m.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME) == null) {
                return "it is not an OSGi bundle: its manifest has no Bundle-SymbolicName. Build it with bnd (see "
                        + "docs/plugins.md).";
            }
            return "the framework refused it (a bundle with the same name and version may be installed already); "
                    + "see the server log";
        } catch (IOException e) {
            return "it is not a readable jar: " + e.getMessage();
        }
    }

    private String why(Bundle b) {
        if (b.getState() != Bundle.INSTALLED) {
            return "it was stopped; start it in the Bundles page";
        }
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        if (wiring.resolveBundles(List.of(b))) {
            return "it resolves now but did not start; see the server log";
        }
        BundleRevision revision = b.adapt(BundleRevision.class);
        if (revision == null) {
            return "it cannot be read as a bundle";
        }
        List<String> missing = new ArrayList<>();
        for (BundleRequirement r : revision.getDeclaredRequirements(null)) {
            Map<String, String> directives = r.getDirectives();
            if ("optional".equals(directives.get("resolution"))) {
                continue;
            }
            if (wiring.findProviders(r).isEmpty()) {
                String filter = directives.getOrDefault("filter", "");
                missing.add(r.getNamespace().equals(PackageNamespace.PACKAGE_NAMESPACE)
                        ? "package " + String.valueOf(r.getAttributes().getOrDefault(PackageNamespace.PACKAGE_NAMESPACE,
                                filter)) + " " + filter
                        : r.getNamespace() + " " + filter);
            }
        }
        return missing.isEmpty() ? "it does not resolve; see the server log"
                : "nothing provides what it needs: " + String.join("; ", missing)
                        + ". Deploy a bundle that exports it, or rebuild the plugin against this server's API.";
    }

    private static String name(Bundle b) {
        return (b.getSymbolicName() == null ? b.getLocation() : b.getSymbolicName()) + " [" + b.getBundleId() + "]";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "installed, not resolved";
            case Bundle.RESOLVED -> "resolved, not started";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            case Bundle.ACTIVE -> "active";
            default -> "uninstalled";
        };
    }
}
