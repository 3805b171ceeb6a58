package io.pvemcp.pve.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proxmox VE property strings such as {@code local-lvm:vm-100-disk-0,iothread=1,size=32G}: a comma-separated
 * list of {@code key=value} pairs, where one key (the default key) may appear as a bare value.
 */
public final class PropertyString {

    private PropertyString() {
    }

    /**
     * @param text the property string
     * @param defaultKey the key a bare value belongs to, or {@code null}
     * @return the pairs, in order; a bare value under {@code defaultKey}
     */
    public static Map<String, String> parse(String text, String defaultKey) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String part : split(text)) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).matches("[a-zA-Z][a-zA-Z0-9_\\-]*")) {
                out.put(part.substring(0, eq), unquote(part.substring(eq + 1)));
            } else if (defaultKey != null && !out.containsKey(defaultKey)) {
                out.put(defaultKey, unquote(part));
            } else {
                out.put(part, "");
            }
        }
        return out;
    }

    /**
     * Writes a property string in Proxmox VE's canonical form ({@code print_property_string}): the default key's
     * value bare in front, then the other keys in sorted order.
     *
     * @param values the pairs
     * @param defaultKey the key written as a bare value in front, or {@code null}
     * @return the property string
     */
    public static String format(Map<String, String> values, String defaultKey) {
        return format(values, defaultKey, null);
    }

    /**
     * Writes a property string in canonical form with one required key first as {@code key=value}: the model of a
     * VM's NIC ({@code virtio=BC:24:11:...}), the name of a container's ({@code name=eth0}).
     *
     * @param values the pairs
     * @param defaultKey the key written as a bare value in front, or {@code null}
     * @param leadingKey the key written first as {@code key=value}, or {@code null}
     * @return the property string
     */
    public static String format(Map<String, String> values, String defaultKey, String leadingKey) {
        StringBuilder sb = new StringBuilder();
        if (defaultKey != null && values.containsKey(defaultKey)) {
            sb.append(values.get(defaultKey));
        }
        if (leadingKey != null && values.containsKey(leadingKey)) {
            append(sb, leadingKey, values.get(leadingKey));
        }
        for (String key : new java.util.TreeSet<>(values.keySet())) {
            if (!key.equals(defaultKey) && !key.equals(leadingKey)) {
                append(sb, key, values.get(key));
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String key, String v) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(key).append('=').append(v.contains(",") ? "\"" + v + "\"" : v);
    }

    /**
     * @param text a property string
     * @return its parts, split on commas outside double quotes
     */
    public static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    /**
     * Parses a size as Proxmox writes it ({@code 32G}, {@code 512M}, {@code 1T}, plain bytes).
     *
     * @param size the size text
     * @return bytes
     * @throws IllegalArgumentException if it is not a size
     */
    public static long parseSize(String size) {
        var m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGT]?)").matcher(size.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("unable to parse size '" + size + "'");
        }
        double v = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        return (long) (v * (1L << shift));
    }

    /**
     * @param bytes a size in bytes
     * @return the size as Proxmox writes it in configurations ({@code 32G}, {@code 512M}, {@code 4K})
     */
    public static String formatSize(long bytes) {
        String[] units = {"T", "G", "M", "K"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
