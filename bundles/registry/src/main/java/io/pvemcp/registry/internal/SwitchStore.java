package io.pvemcp.registry.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.pvemcp.registry.ToolRegistry.Switches;
import io.pvemcp.security.store.Documents;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's on/off switches for bundles and tools, kept in the document {@code switches.json}: a file of the
 * state folder, or a row of the state database that replicas share. Without either they live in memory only
 * ({@link Documents#memory()}). A change is written before it takes effect, so what clients see is always what was
 * saved; a change another process saved is taken up by {@link #reloadIfChanged}.
 */
final class SwitchStore {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String NAME = "switches.json";

    private final Documents docs;
    private volatile Switches current = new Switches(Set.of(), Set.of());
    private volatile Object readVersion;

    /** @param docs where the switches are kept, or {@code null} to keep them in this process's memory */
    SwitchStore(Documents docs) {
        this.docs = docs == null ? Documents.memory() : docs;
        load();
        if (!current.disabledBundles().isEmpty() || !current.disabledTools().isEmpty()) {
            LOG.info("Switched off by the operator: bundles {}, tools {}", current.disabledBundles(),
                    current.disabledTools());
        }
    }

    private void load() {
        try {
            Object version = docs.version(NAME);
            byte[] doc = docs.read(NAME);
            if (doc != null) {
                JsonNode root = JSON.readTree(doc);
                current = new Switches(strings(root.path("disabledBundles")), strings(root.path("disabledTools")));
            }
            readVersion = version;
        } catch (IOException e) {
            LOG.error("Cannot read the switches in {} ({}); every bundle and tool is on until they can be read or are "
                    + "saved anew", docs.where(), e.getMessage());
        }
    }

    /**
     * Takes up a change another process made (a {@code stdio} server and {@code serve} share the state folder;
     * replicas share the state database).
     *
     * @return {@code true} if the switches changed
     */
    synchronized boolean reloadIfChanged() {
        try {
            if (Objects.equals(docs.version(NAME), readVersion)) {
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
        return update(s -> {
            Set<String> bundles = new TreeSet<>(s.disabledBundles());
            boolean changed = enabled ? bundles.remove(bundle) : bundles.add(bundle);
            return changed ? new Switches(bundles, s.disabledTools()) : null;
        });
    }

    /** @return {@code true} if the switch changed */
    synchronized boolean setTool(String tool, boolean enabled) {
        return update(s -> {
            Set<String> tools = new TreeSet<>(s.disabledTools());
            boolean changed = enabled ? tools.remove(tool) : tools.add(tool);
            return changed ? new Switches(s.disabledBundles(), tools) : null;
        });
    }

    /** Applies a change to the saved switches (another process's latest included); {@code null} means no change. */
    private boolean update(java.util.function.UnaryOperator<Switches> change) {
        try {
            Switches next = docs.locked(() -> {
                byte[] doc = docs.read(NAME);
                Switches saved = current;
                if (doc != null) {
                    JsonNode root = JSON.readTree(doc);
                    saved = new Switches(strings(root.path("disabledBundles")), strings(root.path("disabledTools")));
                }
                Switches changed = change.apply(saved);
                if (changed != null) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("disabledBundles", new TreeSet<>(changed.disabledBundles()));
                    out.put("disabledTools", new TreeSet<>(changed.disabledTools()));
                    docs.write(NAME, JSON.writeValueAsBytes(out));
                }
                readVersion = docs.version(NAME);
                current = changed != null ? changed : saved;
                return changed;
            });
            return next != null;
        } catch (IOException e) {
            throw new IllegalStateException("The switch could not be saved in " + docs.where() + " (" + e.getMessage()
                    + "); nothing was changed", e);
        }
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
