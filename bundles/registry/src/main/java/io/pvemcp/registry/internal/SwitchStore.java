package io.pvemcp.registry.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.pvemcp.registry.ToolRegistry.Switches;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's on/off switches for bundles and tools, kept in {@code switches.json} of the state folder so
 * they survive restarts. Without a folder they live in memory only. A change is written (to a temporary file,
 * then moved over the old one) before it takes effect, so what clients see is always what was saved.
 */
final class SwitchStore {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private volatile Switches current = new Switches(Set.of(), Set.of());
    private volatile long readStamp = -1;

    /** @param dir the state folder, or {@code null} to keep the switches in memory */
    SwitchStore(Path dir) {
        this.file = dir == null ? null : dir.resolve("switches.json");
        if (file != null && Files.isRegularFile(file)) {
            load();
            if (!current.disabledBundles().isEmpty() || !current.disabledTools().isEmpty()) {
                LOG.info("Switched off by the operator: bundles {}, tools {}", current.disabledBundles(),
                        current.disabledTools());
            }
        }
    }

    private void load() {
        try {
            long stamp = Files.getLastModifiedTime(file).toMillis();
            JsonNode root = JSON.readTree(file.toFile());
            current = new Switches(strings(root.path("disabledBundles")), strings(root.path("disabledTools")));
            readStamp = stamp;
        } catch (IOException e) {
            LOG.error("Cannot read {} ({}); every bundle and tool is on until it is fixed or saved anew", file,
                    e.getMessage());
        }
    }

    /**
     * Takes up a change another process made (a {@code stdio} server and {@code serve} share the state folder).
     *
     * @return {@code true} if the switches changed
     */
    synchronized boolean reloadIfChanged() {
        if (file == null || !Files.isRegularFile(file)) {
            return false;
        }
        try {
            if (Files.getLastModifiedTime(file).toMillis() == readStamp) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        Switches before = current;
        load();
        return !before.equals(current);
    }

    Switches get() {
        return current;
    }

    /** @return {@code true} if the switch changed */
    synchronized boolean setBundle(String bundle, boolean enabled) {
        Set<String> bundles = new TreeSet<>(current.disabledBundles());
        boolean changed = enabled ? bundles.remove(bundle) : bundles.add(bundle);
        return changed && save(new Switches(bundles, current.disabledTools()));
    }

    /** @return {@code true} if the switch changed */
    synchronized boolean setTool(String tool, boolean enabled) {
        Set<String> tools = new TreeSet<>(current.disabledTools());
        boolean changed = enabled ? tools.remove(tool) : tools.add(tool);
        return changed && save(new Switches(current.disabledBundles(), tools));
    }

    private boolean save(Switches next) {
        if (file != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("disabledBundles", new TreeSet<>(next.disabledBundles()));
            doc.put("disabledTools", new TreeSet<>(next.disabledTools()));
            try {
                Files.createDirectories(file.getParent());
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                JSON.writeValue(tmp.toFile(), doc);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                readStamp = Files.getLastModifiedTime(file).toMillis();
            } catch (IOException e) {
                throw new IllegalStateException("The switch could not be saved to " + file + " (" + e.getMessage()
                        + "); nothing was changed", e);
            }
        }
        current = next;
        return true;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        for (JsonNode n : array) {
            if (n.isTextual() && !n.asText().isBlank()) {
                out.add(n.asText());
            }
        }
        return out;
    }
}
