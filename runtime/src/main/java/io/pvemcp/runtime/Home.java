package io.pvemcp.runtime;

import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Where the distribution lives and where it keeps its state, and how logging is set up before anything logs. */
final class Home {

    private Home() {
    }

    /** @return the distribution folder: {@code -Dpvemcp.home}, or the parent of the launcher jar's folder */
    static Path locate() {
        String explicit = System.getProperty("pvemcp.home");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Home.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent().toAbsolutePath().normalize();
        } catch (URISyntaxException | NullPointerException e) {
            return Path.of(".").toAbsolutePath().normalize();
        }
    }

    /** @return the state folder: {@code PVEMCP_DATA}, or {@code data/} in the distribution */
    static Path data(Path home, Path option) {
        if (option != null) {
            return option.toAbsolutePath().normalize();
        }
        String env = System.getenv("PVEMCP_DATA");
        return env != null && !env.isBlank() ? Path.of(env).toAbsolutePath().normalize() : home.resolve("data");
    }

    /**
     * @param home the distribution folder
     * @return the configuration folder: {@code PVEMCP_CONF} (packages keep it in {@code /etc/proxmox-mcp}), or
     *         {@code conf/} in the distribution
     */
    static Path conf(Path home) {
        String env = System.getenv("PVEMCP_CONF");
        return env != null && !env.isBlank() ? Path.of(env).toAbsolutePath().normalize() : home.resolve("conf");
    }

    /**
     * Configures the log ({@link io.pvemcp.runtime.log.LineLogging}) from {@code logging.properties} of the configuration folder: everything
     * goes to standard error, so standard output stays free for the command's own output.
     */
    static void configureLogging(Path home, boolean verbose) {
        Properties p = new Properties();
        Path file = conf(home).resolve("logging.properties");
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                System.err.println("warning: cannot read " + file + ": " + e.getMessage());
            }
        }
        p.putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        if (verbose) {
            p.put("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        for (String k : p.stringPropertyNames()) {
            if (System.getProperty(k) == null) {
                System.setProperty(k, p.getProperty(k));
            }
        }
    }

    /** @return the version of the distribution, e.g. {@code 0.1.0-SNAPSHOT} */
    static String version() {
        String v = Home.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
