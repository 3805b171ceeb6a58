package io.pvemcp.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The framework properties of hot deployment (Apache Felix File Install) and of the admin console, from the
 * launcher's configuration ({@code io.pvemcp.runtime}: {@code deploy.dir}, {@code deploy.poll.ms}).
 */
final class Deployment {

    static final String CONSOLE_PID = "io.pvemcp.console";
    /** The id of the console bundle's security provider; the web console serves nothing until it is there. */
    static final String CONSOLE_SECURITY_PROVIDER = "pvemcp";

    private Deployment() {
    }

    /**
     * @param home the distribution folder
     * @param runtime the launcher's settings
     * @return the watched folder
     */
    static Path deployDir(Path home, Map<String, Object> runtime) {
        Object dir = runtime.get("deploy.dir");
        if (dir == null || String.valueOf(dir).isBlank()) {
            // a distribution built in the source tree (runtime/target/proxmox-mcp) watches runtime/deploy, so that
            // plugins dropped there survive a rebuild
            Path abs = home.toAbsolutePath().normalize();
            Path module = abs.getParent() == null ? null : abs.getParent().getParent();
            if (module != null && abs.getParent().getFileName().toString().equals("target")
                    && Files.isDirectory(module.resolve("deploy")) && Files.isRegularFile(module.resolve("pom.xml"))) {
                return module.resolve("deploy");
            }
            return home.resolve("deploy").toAbsolutePath();
        }
        return home.resolve(String.valueOf(dir).strip()).toAbsolutePath();
    }

    static Map<String, String> frameworkProperties(Path home, Map<String, Object> runtime) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("felix.fileinstall.dir", deployDir(home, runtime).toString());
        String poll = String.valueOf(runtime.getOrDefault("deploy.poll.ms", "1000")).strip();
        try {
            if (Long.parseLong(poll) < 100) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("deploy.poll.ms '" + poll + "' must be a number of milliseconds, 100 "
                    + "or more (conf/io.pvemcp.runtime.cfg).");
        }
        p.put("felix.fileinstall.poll", poll);
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        // configurations dropped into deploy/ are applied, never written back (they may hold secrets)
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.log.default", "jul");
        p.put("felix.fileinstall.log.level", "3");
        p.put("felix.webconsole.security.providers", CONSOLE_SECURITY_PROVIDER);
        return p;
    }
}
