package io.pvemcp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentTest {

    @TempDir
    Path dir;

    @Test
    void watchesTheDistributionsDeployFolderOrTheConfiguredOne() throws Exception {
        Path home = Files.createDirectories(dir.resolve("proxmox-mcp"));
        assertThat(Deployment.deployDir(home, Map.of())).isEqualTo(home.resolve("deploy").toAbsolutePath());
        assertThat(Deployment.deployDir(home, Map.of("deploy.dir", "/srv/plugins"))).isEqualTo(Path.of("/srv/plugins"));
        assertThat(Deployment.deployDir(home, Map.of("deploy.dir", "extra"))).isEqualTo(home.resolve("extra")
                .toAbsolutePath());
    }

    @Test
    void aDistributionBuiltInTheSourceTreeWatchesRuntimeDeploy() throws Exception {
        Path module = Files.createDirectories(dir.resolve("runtime"));
        Files.createDirectories(module.resolve("deploy"));
        Files.writeString(module.resolve("pom.xml"), "<project/>");
        Path home = Files.createDirectories(module.resolve("target/proxmox-mcp"));
        assertThat(Deployment.deployDir(home, Map.of())).isEqualTo(module.resolve("deploy").toAbsolutePath());
    }

    @Test
    void setsFileInstallUpAndRefusesABadPollInterval() {
        Map<String, String> p = Deployment.frameworkProperties(dir, Map.of("deploy.poll.ms", "500"));
        assertThat(p).containsEntry("felix.fileinstall.poll", "500").containsEntry("felix.fileinstall.enableConfigSave",
                "false").containsEntry("felix.webconsole.security.providers", "pvemcp");
        assertThatThrownBy(() -> Deployment.frameworkProperties(dir, Map.of("deploy.poll.ms", "often")))
                .hasMessageContaining("deploy.poll.ms 'often'");
    }

    @Test
    void thePublicUrlsHostIsAnAllowedHost() {
        Configurations config = new Configurations();
        ServeCommand.allowPublicHost(config, "https://mcp.example.org/mcp");
        assertThat(config.pid("io.pvemcp.http")).containsEntry("allowed.hosts", "mcp.example.org");
        config.pid("io.pvemcp.http").put("allowed.hosts", "a.example.org, MCP.example.org");
        ServeCommand.allowPublicHost(config, "https://mcp.example.org/mcp");
        assertThat(config.pid("io.pvemcp.http")).containsEntry("allowed.hosts", "a.example.org, MCP.example.org");
        config.pid("io.pvemcp.http").put("allowed.hosts", "a.example.org");
        ServeCommand.allowPublicHost(config, "http://10.1.2.3:8000/mcp");
        assertThat(config.pid("io.pvemcp.http")).containsEntry("allowed.hosts", "a.example.org,10.1.2.3");
        // a published port on loopback: the name makes the list, so that a server on all interfaces checks Host
        Configurations loopback = new Configurations();
        ServeCommand.allowPublicHost(loopback, "http://127.0.0.1:8000/mcp");
        assertThat(loopback.pid("io.pvemcp.http")).containsEntry("allowed.hosts", "127.0.0.1");
        Configurations wildcard = new Configurations();
        ServeCommand.allowPublicHost(wildcard, "http://0.0.0.0:8000/mcp");
        assertThat(wildcard.pid("io.pvemcp.http")).doesNotContainKey("allowed.hosts");
    }
}
