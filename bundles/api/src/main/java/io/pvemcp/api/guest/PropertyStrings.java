package io.pvemcp.api.guest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes Proxmox VE property strings, the {@code key=value,key=value} values of disks and network
 * interfaces in guest configurations (e.g. {@code local-lvm:vm-100-disk-0,iothread=1,size=32G}), where one key may
 * be written as a bare value in front.
 */
public final class PropertyStrings {

    private PropertyStrings() {
    }

    /**
     * @param value the property string; {@code null} gives an empty map
     * @param defaultKey the key of a bare value, e.g. {@code file} for disks; {@code null} if none
     * @return the pairs in order
     */
    public static Map<String, String> parse(Object value, String defaultKey) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        for (String part : split(String.valueOf(value))) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).matches("[a-zA-Z][a-zA-Z0-9_\\-]*")) {
                out.put(part.substring(0, eq), part.substring(eq + 1).replace("\"", ""));
            } else if (defaultKey != null && !out.containsKey(defaultKey)) {
                out.put(defaultKey, part);
            } else {
                out.put(part, "");
            }
        }
        return out;
    }

    /**
     * @param values the pairs; a {@code null} value leaves the key out
     * @return the property string, e.g. {@code virtio,bridge=vmbr0,tag=20}
     */
    public static String format(Map<String, ?> values) {
        StringBuilder sb = new StringBuilder();
        for (var e : values.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            String v = String.valueOf(e.getValue());
            sb.append(e.getKey()).append('=').append(v.contains(",") ? "\"" + v + "\"" : v);
        }
        return sb.toString();
    }

    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
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

    /**
     * @param size a size as Proxmox writes it: {@code 32G}, {@code 512M}, {@code 4T}, or bytes
     * @return bytes, or -1 if it is not a size
     */
    public static long bytes(String size) {
        if (size == null) {
            return -1;
        }
        var m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGT]?)").matcher(size.trim());
        if (!m.matches()) {
            return -1;
        }
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        return (long) (Double.parseDouble(m.group(1)) * (1L << shift));
    }
}
