package io.pvemcp.runtime;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options that boot the distribution's own bundles, by feature, the way the launcher does: SLF4J (at both
 * versions) and Jackson from the system bundle, Jetty on a free loopback port, the test libraries, and each feature's bundles at
 * their start order.
 */
final class PaxDistribution {

    private PaxDistribution() {
    }

    static List<Option> options(List<String> features) throws Exception {
        Path dist = Path.of(System.getProperty("pvemcp.dist", "target/proxmox-mcp")).toAbsolutePath();
        List<Option> options = new ArrayList<>();
        options.add(systemPackages(Launcher.systemPackages()));
        options.add(frameworkProperty("org.osgi.service.http.port").value(Integer.toString(freePort())));
        options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        options.add(junitBundles());
        options.add(bundle("reference:" + jarOf(net.bytebuddy.ByteBuddy.class)));
        options.add(bundle("reference:" + jarOf(org.assertj.core.api.Assertions.class)));
        options.add(frameworkStartLevel(10));
        for (Feature feature : Features.load(dist, features)) {
            for (Feature.BundleRef ref : feature.bundles()) {
                options.add(bundle("reference:" + ref.file(dist.resolve("system")).toUri()).startLevel(ref.startOrder()));
            }
        }
        return options;
    }

    private static String jarOf(Class<?> type) throws java.net.URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toUri().toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
