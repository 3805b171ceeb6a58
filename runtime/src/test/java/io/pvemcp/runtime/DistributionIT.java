package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The assembled distribution holds exactly the bundles its features list, and starts from its script. */
class DistributionIT {

    static final Path DIST = Path.of(System.getProperty("pvemcp.dist", "target/proxmox-mcp"));

    @Test
    void everyFeatureBundleIsThereAndEveryBundleIsInAFeature() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(DIST.resolve("features"))) {
            names = files.map(p -> p.getFileName().toString().replace(".json", "")).sorted().toList();
        }
        assertThat(names).containsExactly("base", "console", "deploy", "mcp", "shell", "sim", "stdio", "tools");
        Set<Path> listed = new HashSet<>();
        for (Feature f : Features.load(DIST, names)) {
            assertThat(f.id()).doesNotContain("${");
            for (Feature.BundleRef b : f.bundles()) {
                Path jar = b.file(DIST.resolve("system"));
                assertThat(jar).as("bundle %s of feature %s", b.id(), f.id()).isRegularFile();
                listed.add(jar.toAbsolutePath().normalize());
            }
        }
        try (Stream<Path> jars = Files.walk(DIST.resolve("system"))) {
            assertThat(jars.filter(p -> p.toString().endsWith(".jar")).map(p -> p.toAbsolutePath().normalize()))
                    .as("jars in system/ that no feature uses").allMatch(listed::contains);
        }
    }

    @Test
    void hasTheLauncherConfigurationAndAnExecutableScript() {
        assertThat(DIST.resolve("bin/proxmox-mcp")).isExecutable();
        assertThat(DIST.resolve("lib/proxmox-mcp-launcher.jar")).isRegularFile();
        assertThat(DIST.resolve("conf/io.pvemcp.pve.client.cfg")).isRegularFile();
        assertThat(DIST.resolve("conf/org.apache.felix.http.cfg")).isRegularFile();
        assertThat(DIST.resolve("deploy")).isDirectory();
        assertThat(DIST.resolve("conf/io.pvemcp.runtime.cfg")).isRegularFile();
        assertThat(DIST.resolve("conf/io.pvemcp.console.cfg")).isRegularFile();
        assertThat(DIST.resolve("samples/sample-capacity.jar")).as("the sample plugin ships, not installed")
                .isRegularFile();
        assertThat(DIST.resolve("deploy").toFile().list((d, n) -> n.endsWith(".jar"))).as("nothing is deployed by default")
                .isEmpty();
    }

    @Test
    void theScriptRunsTheVersionCommand() throws Exception {
        Process p = new ProcessBuilder(DIST.resolve("bin/proxmox-mcp").toString(), "version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        assertThat(out).startsWith("proxmox-mcp 0.1.0");
    }

    /** The launcher reads the Java version from the release file of the Java home, without starting a JVM. */
    @Test
    void theScriptRefusesAJavaOlderThan17AndNamesIt(@org.junit.jupiter.api.io.TempDir Path old) throws Exception {
        Path realJava = Path.of(ProcessHandle.current().info().command().orElseThrow()).toRealPath();
        Files.createDirectories(old.resolve("bin"));
        Files.createSymbolicLink(old.resolve("bin/java"), realJava);
        Files.writeString(old.resolve("release"), "JAVA_VERSION=\"11.0.24\"\n");
        ProcessBuilder pb = new ProcessBuilder(DIST.resolve("bin/proxmox-mcp").toString(), "version")
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", old.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isEqualTo(1);
        assertThat(out).contains("Java 17 or newer is needed", "is Java 11");

        Files.writeString(old.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
        p = pb.start();
        out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).startsWith("proxmox-mcp 0.1.0");
    }

    /** Starts stdio, asks initialize, closes standard input; returns what standard output carried. */
    private static String stdioSession(Path data, Path cache, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(DIST.resolve("bin/proxmox-mcp").toString(), "stdio", "--data",
                data.toString());
        pb.environment().put("PVEMCP_CACHE", cache.toString());
        pb.environment().put("PROXMOX_HOST", "127.0.0.1");
        pb.environment().put("PROXMOX_TOKEN_ID", "root@pam!mcp");
        pb.environment().put("PROXMOX_TOKEN_SECRET", "0c9a4b52-6f2e-4a51-8d2c-4bd1e0a7f3aa");
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        p.getOutputStream().write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        String first = out.readLine();
        p.getOutputStream().close();
        StringBuilder all = new StringBuilder(first == null ? "" : first);
        for (String l = out.readLine(); l != null; l = out.readLine()) {
            all.append('\n').append(l);
        }
        // the session ends right after initialize, maybe while the tool bundles still start: the server stops cleanly
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return all.toString();
    }

    /**
     * A server command's first start archives its classes, the bundles' among them, when it ends, and later starts use
     * the archive; standard output carries MCP messages only, whatever the JVM has to say (its messages go to standard
     * error).
     */
    @Test
    void theFirstStartArchivesItsClassesForTheNextAndStandardOutputStaysMcp(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        // a JVM warning (young generation larger than the initial heap) must not reach standard output; the class-load
        // log says where each class of the second start came from
        Path loads = dir.resolve("loads.txt");
        Map<String, String> warns = Map.of("JAVA_OPTS", "-Xms8m -Xmn16m -Xlog:class+load=info:file=" + loads
                + ":none:filecount=0");
        String first = stdioSession(dir.resolve("data"), cache, warns);
        assertThat(first).startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":").doesNotContain("warning");
        List<Path> archives;
        try (var files = Files.list(cache)) {
            archives = files.toList();
        }
        assertThat(archives).hasSize(1);
        assertThat(archives.get(0).getFileName().toString()).matches("cds-stdio-\\d+\\.jsa");
        assertThat(Files.size(archives.get(0))).isGreaterThan(1_000_000);
        // the bundles' classes too (their class loaders are kept until the JVM ends), not only the class path's
        String archived = new String(Files.readAllBytes(archives.get(0)), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(archived).contains("io/pvemcp/registry/internal/McpServerCore");
        long made = Files.getLastModifiedTime(archives.get(0)).toMillis();
        // Declarative Services kept the components' descriptions it parsed, for the next start to read instead
        try (var files = Files.find(dir.resolve("data/cache"), 6,
                (f, a) -> f.getFileName().toString().equals("componentMetadataStore"))) {
            assertThat(files.toList()).singleElement().satisfies(f -> assertThat(Files.size(f)).isGreaterThan(1_000));
        }

        String second = stdioSession(dir.resolve("data"), cache, warns);
        assertThat(second).startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":").doesNotContain("warning");
        try (var files = Files.list(cache)) {
            assertThat(files.toList()).containsExactly(archives.get(0));
        }
        assertThat(Files.getLastModifiedTime(archives.get(0)).toMillis()).as("used, not made again").isEqualTo(made);
        // a bundle's class that the first start loaded (for the verifier) but never linked is archived as well
        List<String> loaded = Files.readAllLines(loads);
        assertThat(loaded).contains("com.auth0.jwt.exceptions.JWTVerificationException source: shared objects file (top)");

        Path none = dir.resolve("none");
        stdioSession(dir.resolve("data"), none, Map.of("PVEMCP_CDS", "off"));
        assertThat(none).doesNotExist();
    }
}
