package io.pvemcp.tools.storage.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.ToolService;
import io.pvemcp.tools.guest.GuestTool;
import io.pvemcp.tools.guest.StorageScan;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

@Component(service = Tool.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ToolService(name = "proxmox_storage_download", title = "Download an ISO or template by URL", risk = Risk.CHANGE,
        category = "storage", scope = Scopes.WRITE, openWorld = true,
        description = "Has a node download an ISO or container template from a URL to a storage, checked against a "
                + "checksum if given.")
public final class StorageDownloadTool implements Tool {

    private static final Map<String, Object> INPUT = JsonSchema.object()
            .required("url", JsonSchema.string().pattern("^https?://[^\\s]+$").maxLength(2048))
            .optional("content", JsonSchema.string().enumValues("iso", "vztmpl").description("Default: by file name"))
            .optional("filename", JsonSchema.string().pattern("^[A-Za-z0-9][A-Za-z0-9._+-]*$").maxLength(255)
                    .description("Default: the URL's last part"))
            .optional("checksum", JsonSchema.string().pattern("^[0-9a-fA-F]{32,128}$").description("Hex digest"))
            .optional("checksum_algorithm", JsonSchema.string().enumValues("md5", "sha1", "sha224", "sha256",
                    "sha384", "sha512").description("Default: from the checksum's length"))
            .optional("storage", StorageScan.storageSchema("Target storage").defaultValue("local"))
            .optional("node", GuestTool.nodeSchema("Downloading node (local storage: only it sees the file)"))
            .optional("verify_certificates", JsonSchema.bool().defaultValue(true))
            .optional("timeout", GuestTool.timeoutSchema(900, "Seconds"))
            .build();

    private static final Map<String, Object> OUTPUT = Downloads.output().build();

    @Override
    public Map<String, Object> inputSchema() {
        return INPUT;
    }

    @Override
    public Map<String, Object> outputSchema() {
        return OUTPUT;
    }

    private Downloads.Plan plan(ToolCall call) {
        var args = call.arguments();
        String url = args.string("url");
        String filename = args.string("filename", null);
        if (filename == null) {
            String path = URI.create(url).getPath();
            filename = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
            if (!filename.matches("[A-Za-z0-9][A-Za-z0-9._+-]*")) {
                throw new ToolException("The URL does not end in a usable file name ('" + filename + "'); give "
                        + "filename, e.g. debian-13.iso.");
            }
        }
        String lower = filename.toLowerCase(Locale.ROOT);
        String guessed = lower.endsWith(".iso") || lower.endsWith(".img") ? "iso"
                : lower.matches(".*\\.tar\\.(gz|xz|zst)") ? "vztmpl" : null;
        String content = args.string("content", guessed);
        if (content == null || !content.equals(guessed)) {
            throw new ToolException("'" + filename + "' does not fit " + (content == null ? "an ISO or a template"
                    : content.equals("iso") ? "an ISO (it must end in .iso or .img)"
                            : "a container template (it must end in .tar.gz, .tar.xz or .tar.zst)")
                    + "; give a filename that does.");
        }
        String storage = args.string("storage", "local");
        StorageScan.Place place = StorageScan.placeOf(call, storage, args.string("node", null));
        if (!place.content().contains(content)) {
            throw new ToolException("Storage " + storage + " does not hold " + (content.equals("iso") ? "ISOs"
                    : "container templates") + " (it holds " + String.join(", ", place.content()) + "); choose one "
                    + "that does, e.g. local.");
        }
        String volid = storage + ":" + content + "/" + filename;
        if (StorageScan.content(call, place, content, null).stream().anyMatch(v -> volid.equals(v.get("volid")))) {
            throw new ToolException(volid + " already exists" + (place.shared() ? "" : " on " + place.node())
                    + "; Proxmox does not overwrite it. Give another filename, or delete it first with "
                    + "proxmox_volume_delete.");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("url", url);
        params.put("content", content);
        params.put("filename", filename);
        String checksum = args.string("checksum", null);
        String note;
        if (checksum != null) {
            String algorithm = args.string("checksum_algorithm", switch (checksum.length()) {
                case 32 -> "md5";
                case 40 -> "sha1";
                case 56 -> "sha224";
                case 64 -> "sha256";
                case 96 -> "sha384";
                case 128 -> "sha512";
                default -> throw new ToolException("A checksum of " + checksum.length() + " hex digits fits no "
                        + "algorithm; give checksum_algorithm.");
            });
            params.put("checksum", checksum.toLowerCase(Locale.ROOT));
            params.put("checksum-algorithm", algorithm);
            note = " Verified with " + algorithm + ".";
        } else {
            note = " No checksum was given, so the file is not verified.";
        }
        if (!args.bool("verify_certificates", true)) {
            params.put("verify-certificates", 0);
            note += " TLS certificates are not checked.";
        }
        if (!place.shared()) {
            note += " Only guests on " + place.node() + " can use it (local storage).";
        }
        return new Downloads.Plan(place, volid, url, "/nodes/{node}/storage/{storage}/download-url", params, note);
    }

    @Override
    public Preview preview(ToolCall call) {
        return plan(call).preview();
    }

    @Override
    public ToolResult call(ToolCall call) {
        return Downloads.run(call, plan(call), (int) call.arguments().integer("timeout", 900));
    }
}
