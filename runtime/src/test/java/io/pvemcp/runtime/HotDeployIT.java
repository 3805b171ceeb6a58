package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.inject.Inject;

import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.runtime.fixture.EchoTool;
import io.pvemcp.runtime.fixture.ThrowingTool;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Hot deployment in a real framework with the distribution's bundles and Apache Felix File Install watching a
 * folder: a jar dropped there contributes its tools, a changed one is updated in place, a removed one leaves,
 * broken ones are contained, and configuration files are applied.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotDeployIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    BundleContext context;

    @Inject
    ToolRegistry registry;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] configuration() throws Exception {
        Path plugins = Path.of(System.getProperty("pvemcp.plugins", "target/it-plugins")).toAbsolutePath();
        Path deploy = Files.createTempDirectory("pvemcp-deploy-it");
        List<Option> options = PaxDistribution.options(List.of("base", "mcp", "tools", "deploy"));
        // the deploy folder as the launcher sets it up (among others: configurations are never written back, which
        // would race with a file that is deleted right after it was applied), polled faster
        Deployment.frameworkProperties(deploy, Map.of("deploy.dir", deploy.toString(), "deploy.poll.ms", "200"))
                .forEach((k, v) -> {
                    if (k.startsWith("felix.fileinstall.") && !k.startsWith("felix.fileinstall.log.")) {
                        options.add(frameworkProperty(k).value(v));
                    }
                });
        options.add(frameworkProperty("felix.fileinstall.log.level").value("1"));
        options.add(frameworkProperty("it.sample").value(plugins.resolve("sample-capacity.jar").toString()));
        options.add(frameworkProperty("it.throwing").value(throwingBundle().toString()));
        options.add(systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("error"));
        return options.toArray(new Option[0]);
    }

    private static Path throwingBundle() throws IOException {
        Path file = Files.createTempFile("pvemcp-throwing-", ".jar");
        try (InputStream in = TinyBundles.bundle().symbolicName("com.example.throwing")
                .setHeader("Bundle-Version", "1.0.0").setHeader("-dsannotations", "*")
                .addClass(EchoTool.class).addClass(ThrowingTool.class).build(TinyBundles.bndBuilder())) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        file.toFile().deleteOnExit();
        return file;
    }

    private Path deployDir() {
        return Path.of(context.getProperty("felix.fileinstall.dir"));
    }

    @Test
    public void aJarIsDeployedUpdatedInPlaceAndUndeployed() throws Exception {
        Path jar = deployDir().resolve("capacity.jar");
        Files.copy(Path.of(context.getProperty("it.sample")), jar);
        await("the plugin's tool is served", () -> tools().contains("proxmox_capacity_report"));
        Bundle b = installed("io.pvemcp.sample.capacity");
        long id = b.getBundleId();
        long modified = b.getLastModified();

        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        await("File Install updates the bundle", () -> installed("io.pvemcp.sample.capacity") != null
                && installed("io.pvemcp.sample.capacity").getLastModified() > modified);
        await("the tool is served again", () -> tools().contains("proxmox_capacity_report"));
        assertThat(installed("io.pvemcp.sample.capacity").getBundleId()).as("updated, not reinstalled").isEqualTo(id);
        assertThat(installed("io.pvemcp.sample.capacity").getState()).isEqualTo(Bundle.ACTIVE);

        Files.delete(jar);
        await("the bundle and its tool leave", () -> installed("io.pvemcp.sample.capacity") == null
                && !tools().contains("proxmox_capacity_report"));
        assertThat(tools()).contains("proxmox_vm_list", "proxmox_system_version");
    }

    @Test
    public void brokenJarsAreContained() throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        m.getMainAttributes().putValue("Bundle-SymbolicName", "com.example.unresolved");
        m.getMainAttributes().putValue("Import-Package", "com.example.nowhere");
        jar(deployDir().resolve("unresolved.jar"), m);
        Manifest plain = new Manifest();
        plain.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        jar(deployDir().resolve("plain.jar"), plain);
        Files.writeString(deployDir().resolve("garbage.jar"), "this is no zip file");
        Files.copy(Path.of(context.getProperty("it.throwing")), deployDir().resolve("throwing.jar"));

        await("the good tool of the partly broken bundle is served", () -> tools().contains("fixture_echo"));
        await("the unresolved bundle is installed but not started", () -> installed("com.example.unresolved") != null);
        assertThat(installed("com.example.unresolved").getState()).isEqualTo(Bundle.INSTALLED);
        assertThat(registry.rejections()).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("fixture_throwing");
            assertThat(r.bundle()).isEqualTo("com.example.throwing");
            assertThat(r.reason()).contains("failed to activate");
        });
        assertThat(tools()).contains("proxmox_vm_list", "proxmox_system_version").doesNotContain("fixture_throwing");
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("io.pvemcp")) {
                assertThat(b.getState()).as(b.getSymbolicName()).isEqualTo(Bundle.ACTIVE);
            }
        }

        for (String f : List.of("unresolved.jar", "plain.jar", "garbage.jar", "throwing.jar")) {
            Files.delete(deployDir().resolve(f));
        }
        await("the broken bundles leave", () -> installed("com.example.unresolved") == null
                && installed("com.example.throwing") == null && !tools().contains("fixture_echo"));
    }

    @Test
    public void configurationFilesAreApplied() throws Exception {
        try (Writer w = Files.newBufferedWriter(deployDir().resolve("com.example.plugin.cfg"))) {
            w.write("greeting = hello\nlimit = 3\n");
        }
        await("the configuration exists", () -> properties("com.example.plugin") != null
                && "hello".equals(properties("com.example.plugin").get("greeting")));
        assertThat(properties("com.example.plugin").get("limit")).isEqualTo("3");
        Files.delete(deployDir().resolve("com.example.plugin.cfg"));
        await("removing the file removes the configuration", () -> properties("com.example.plugin") == null);
    }

    private Dictionary<String, Object> properties(String pid) {
        try {
            org.osgi.service.cm.Configuration[] c = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
            return c == null ? null : c[0].getProperties();
        } catch (Exception e) {
            return null;
        }
    }

    private List<String> tools() {
        return registry.tools().stream().map(ToolRegistry.ContributionInfo::name).toList();
    }

    private Bundle installed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private static void jar(Path file, Manifest m) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
