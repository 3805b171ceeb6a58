package io.pvemcp.registry.internal;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads contribution metadata from service properties, refusing what is missing or malformed; and writes those of
 * the registry's own tools.
 */
final class Properties {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Properties() {
    }

    static String required(Map<String, Object> props, String key) {
        Object v = props.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new Contributions.Rejected("the service property " + key + " is missing or empty");
        }
        return s.strip();
    }

    static String optional(Map<String, Object> props, String key, String fallback) {
        Object v = props.get(key);
        return v instanceof String s && !s.isBlank() ? s.strip() : fallback;
    }

    static boolean flag(Map<String, Object> props, String key, boolean fallback) {
        Object v = props.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return Boolean.parseBoolean(s.strip());
        }
        return fallback;
    }

    /**
     * @return the service properties of one of the registry's own tools: read-only, scope {@code proxmox:read}
     */
    static java.util.Hashtable<String, Object> readTool(String name, String title, String category,
            String description) {
        java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();
        p.put(io.pvemcp.api.Tool.NAME, name);
        p.put(io.pvemcp.api.Tool.TITLE, title);
        p.put(io.pvemcp.api.Tool.CATEGORY, category);
        p.put(io.pvemcp.api.Tool.SCOPE, io.pvemcp.api.Scopes.READ);
        p.put(io.pvemcp.api.Tool.RISK, io.pvemcp.api.Risk.READ.id());
        p.put(io.pvemcp.api.Tool.DESCRIPTION, description);
        return p;
    }

    static String name(Map<String, Object> props, String key, String kind) {
        String name = required(props, key);
        if (!NAME.matcher(name).matches()) {
            throw new Contributions.Rejected("the " + kind + " name '" + name + "' is not valid: use 1 to 64 letters, "
                    + "digits, '_' or '-' (e.g. proxmox_vm_list)");
        }
        return name;
    }
}
