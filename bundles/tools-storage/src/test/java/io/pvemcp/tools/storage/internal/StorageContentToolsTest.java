package io.pvemcp.tools.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.testing.RecordingToolCall;
import io.pvemcp.testing.SimulatedCluster;
import io.pvemcp.testing.ToolCalls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StorageContentToolsTest {

    SimulatedCluster cluster;
    ToolCalls tools;

    @BeforeEach
    void start() {
        cluster = SimulatedCluster.start();
        tools = new ToolCalls(cluster.client());
    }

    @AfterEach
    void stop() {
        assertThat(cluster.simulator().contractViolations()).isEmpty();
        cluster.close();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(ToolResult r, String key) {
        return (List<Map<String, Object>>) r.structuredContent().get(key);
    }

    @Test
    void listsContentSharedOnceLocalPerNodeNewestFirst() throws Exception {
        ToolResult isos = tools.call(new StorageContentTool(), Map.of("content", "iso"));
        assertThat(list(isos, "volumes")).filteredOn(v -> "local:iso/debian-13.1.0-amd64-netinst.iso"
                .equals(v.get("volid"))).extracting(v -> v.get("node")).containsExactlyInAnyOrder("pve1", "pve2", "pve3");
        assertThat(list(isos, "volumes")).filteredOn(v -> "nfs-shared:iso/virtio-win-0.1.271.iso".equals(v.get("volid")))
                .singleElement().satisfies(v -> assertThat(v).doesNotContainKey("node").containsEntry("size", "708 MiB"));
        assertThat(isos.text()).contains("volumes", "nfs-shared:iso/Win11_24H2_English_x64.iso (iso, 5.5 GiB");

        ToolResult backups = tools.call(new StorageContentTool(), Map.of("vmid", 100, "content", "backup"));
        List<Map<String, Object>> b = list(backups, "volumes");
        assertThat(b).hasSize(2).allSatisfy(v -> assertThat(v).containsEntry("vmid", 100L)
                .containsEntry("storage", "pbs").containsEntry("notes", "web01 nightly"));
        assertThat((Long) b.get(0).get("ctime")).as("newest first").isGreaterThan((Long) b.get(1).get("ctime"));

        ToolResult bySize = tools.call(new StorageContentTool(), Map.of("storage", "nfs-shared", "sort", "size", "limit", 1));
        assertThat(list(bySize, "volumes")).singleElement().satisfies(v -> assertThat(v.get("size_bytes"))
                .isEqualTo(list(tools.call(new StorageContentTool(), Map.of("storage", "nfs-shared")), "volumes").stream()
                        .mapToLong(x -> (Long) x.get("size_bytes")).max().orElseThrow()));
        assertThat(bySize.structuredContent().get("omitted")).isNotEqualTo(0);
    }

    @Test
    void templatesSayWhatTheCreateToolsAcceptAndWhatCanBeDownloaded() throws Exception {
        ToolResult all = tools.call(new TemplateListTool(), Map.of());
        assertThat(list(all, "vm_templates")).extracting(v -> v.get("vmid")).containsExactly(9000L, 9001L);
        assertThat(list(all, "container_templates")).extracting(v -> v.get("volid"))
                .contains("local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst");
        assertThat(list(all, "isos")).extracting(v -> v.get("volid")).contains("nfs-shared:iso/virtio-win-0.1.271.iso");

        ToolResult debian = tools.call(new TemplateListTool(), Map.of("name", "debian"));
        assertThat(list(debian, "available")).extracting(a -> a.get("template"), a -> a.get("downloaded")).contains(
                org.assertj.core.groups.Tuple.tuple("debian-13-standard_13.1-2_amd64.tar.zst", true),
                org.assertj.core.groups.Tuple.tuple("debian-12-standard_12.12-1_amd64.tar.zst", false));
        assertThat(debian.text()).contains("template of proxmox_ct_create", "not downloaded yet",
                "debian-12-standard_12.12-1_amd64.tar.zst");
        assertThat(list(debian, "isos")).extracting(v -> v.get("volid")).allMatch(v -> ((String) v).contains("debian"));
    }

    @Test
    void downloadsATemplateFromTheIndexOnce() throws Exception {
        assertThat(tools.refusal(ToolException.class, new TemplateDownloadTool(), Map.of("template", "debian"))).hasMessageContaining(
                "fits 3 templates").hasMessageContaining("Give the whole name");
        assertThat(tools.refusal(ToolException.class, new TemplateDownloadTool(), Map.of("template", "debian-12-standard", "storage", "local-lvm")))
                .hasMessageContaining("does not hold container templates");
        Preview p = new TemplateDownloadTool().preview(new RecordingToolCall(Map.of("template", "debian-12-standard", "node",
                "pve2"), cluster.client()));
        assertThat(p.summary()).contains("local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst",
                "Only containers on pve2 can use it");
        assertThat(p.requests()).singleElement().satisfies(r -> assertThat(r.path()).isEqualTo("/nodes/pve2/aplinfo"));

        ToolResult done = tools.call(new TemplateDownloadTool(), Map.of("template", "debian-12-standard", "node", "pve2"));
        assertThat(done.structuredContent()).containsEntry("downloaded", true).containsEntry("volid",
                "local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst");
        ToolResult again = tools.call(new TemplateDownloadTool(), Map.of("template", "debian-12-standard", "node", "pve2"));
        assertThat(again.structuredContent()).containsEntry("downloaded", false);
        assertThat(again.text()).contains("already on local of pve2");
        assertThat(list(tools.call(new StorageContentTool(), Map.of("node", "pve2", "content", "vztmpl")), "volumes"))
                .extracting(v -> v.get("volid")).contains("local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst");
    }

    @Test
    void downloadsByUrlVerifiedByChecksum() throws Exception {
        String url = "https://dl-cdn.example.org/alpine/v3.22/alpine-virt-3.22.2-x86_64.iso";
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(url.getBytes(StandardCharsets.UTF_8)));
        ToolResult ok = tools.call(new StorageDownloadTool(), Map.of("url", url, "checksum", sha256, "node", "pve1"));
        assertThat(ok.structuredContent()).containsEntry("volid", "local:iso/alpine-virt-3.22.2-x86_64.iso")
                .containsEntry("downloaded", true);
        assertThat(ok.text()).contains("Verified with sha256");
        assertThat(tools.refusal(ToolException.class, new StorageDownloadTool(), Map.of("url", url, "node", "pve1")))
                .hasMessageContaining("already exists on pve1").hasMessageContaining("proxmox_volume_delete");

        assertThat(tools.refusal(ToolException.class, new StorageDownloadTool(), Map.of("url", url, "node", "pve2", "checksum", "0".repeat(64))))
                .hasMessageContaining("checksum mismatch").hasMessageContaining("check the checksum and its algorithm");
        assertThat(tools.refusal(ToolException.class, new StorageDownloadTool(), Map.of("url", "https://example.org/missing/x.iso", "node",
                "pve2"))).hasMessageContaining("404").hasMessageContaining("check it in a browser");
        assertThat(tools.refusal(ToolException.class, new StorageDownloadTool(), Map.of("url", "https://example.org/readme.txt")))
                .hasMessageContaining("does not fit an ISO or a template");
        assertThat(tools.refusal(ToolException.class, new StorageDownloadTool(), Map.of("url", "https://example.org/a.iso", "storage", "pbs")))
                .hasMessageContaining("does not hold ISOs");
        Preview p = new StorageDownloadTool().preview(new RecordingToolCall(Map.of("url",
                "https://example.org/images/debian-13-custom.tar.zst", "storage", "local", "node", "pve3"),
                cluster.client()));
        assertThat(p.summary()).contains("local:vztmpl/debian-13-custom.tar.zst", "No checksum was given");
        assertThat(p.requests().get(0).params()).containsEntry("content", "vztmpl");
    }

    @Test
    void deletesAVolumeNobodyUsesAndRefusesTheRest() throws Exception {
        assertThat(tools.refusal(ToolException.class, new VolumeDeleteTool(), Map.of("volume", "nfs-shared:iso/virtio-win-0.1.271.iso")))
                .hasMessageContaining("in use as ide2 of VM 105").hasMessageContaining("eject it there first");
        String prot = list(tools.call(new StorageContentTool(), Map.of("vmid", 101, "content", "backup")), "volumes").get(0)
                .get("volid").toString();
        assertThat(tools.refusal(ToolException.class, new VolumeDeleteTool(), Map.of("volume", prot))).hasMessageContaining("is protected");
        assertThat(tools.refusal(ToolException.class, new VolumeDeleteTool(), Map.of("volume", "local:iso/debian-13.1.0-amd64-netinst.iso")))
                .hasMessageContaining("exists on 3 nodes");
        assertThat(tools.refusal(ToolException.class, new VolumeDeleteTool(), Map.of("volume", "nowhere:iso/x.iso")))
                .hasMessageContaining("There is no storage 'nowhere'");

        String iso = "local:iso/ubuntu-24.04.3-live-server-amd64.iso";
        Preview p = new VolumeDeleteTool().preview(new RecordingToolCall(Map.of("volume", iso), cluster.client()));
        assertThat(p.summary()).startsWith("Delete the ISO image " + iso + " (3.0 GiB").contains("on pve1 for good");
        assertThat(p.undoable()).isFalse();
        ToolResult gone = tools.call(new VolumeDeleteTool(), Map.of("volume", iso));
        assertThat(gone.structuredContent()).containsEntry("deleted", true).containsEntry("node", "pve1");
        ToolResult again = tools.call(new VolumeDeleteTool(), Map.of("volume", iso));
        assertThat(again.structuredContent()).containsEntry("deleted", false);
        assertThat(list(tools.call(new StorageContentTool(), Map.of("content", "iso", "node", "pve1")), "volumes"))
                .extracting(v -> v.get("volid")).doesNotContain(iso);
    }
}
