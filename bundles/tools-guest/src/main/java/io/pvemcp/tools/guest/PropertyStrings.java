package io.pvemcp.tools.guest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.ToolException;

/**
 * Reads and writes Proxmox VE property strings, the {@code key=value,key=value} values of disks and network
 * interfaces in guest configurations (e.g. {@code local-lvm:vm-100-disk-0,iothread=1,size=32G}), where one key may
 * be written as a bare value in front.
 */
public final class PropertyStrings {

    /** A storage id ({@code pve-storage-id}): a letter, then letters, digits, {@code -}, {@code _}, {@code .}. */
    public static final String STORAGE_ID = "[a-zA-Z](?:[a-zA-Z0-9._-]*[a-zA-Z0-9])?";
    /**
     * A volume id ({@code pve-volume-id}) that is exactly one value in a property string: {@code storage:name}, the
     * name made of letters, digits and {@code . _ + @ - /}, with no {@code ..} segment. Proxmox itself accepts more in
     * some places, but nothing that could end the value and start another option ({@code ,}, {@code =}, {@code ;},
     * quotes, spaces, control characters).
     */
    public static final String VOLUME_ID = STORAGE_ID + ":(?!\\.\\.(?:/|$))(?!.*/\\.\\.(?:/|$))[A-Za-z0-9._+@-][A-Za-z0-9._+@/-]*";

    private static final java.util.regex.Pattern VOLUME = java.util.regex.Pattern.compile(VOLUME_ID);
    private static final java.util.regex.Pattern UNSAFE = java.util.regex.Pattern.compile("[,;=\"'\\\\\\s\\p{Cntrl}]");

    private PropertyStrings() {
    }

    /**
     * Checks that a value placed into a property string is one value: without {@code ,} (which starts the next
     * option), {@code =}, {@code ;}, quotes, backslashes, spaces or control characters. Every value a client gave
     * goes through here (or a stricter check of its kind) before it is written into a disk, network or other property
     * string; nothing is concatenated raw.
     *
     * @param name the argument's name, for the message
     * @param value the value
     * @return the value as a string
     * @throws ToolException if it is not a single value
     */
    public static String value(String name, Object value) {
        String v = String.valueOf(value);
        java.util.regex.Matcher m = UNSAFE.matcher(v);
        if (v.isEmpty() || m.find()) {
            throw new ToolException("The " + name + " '" + printable(v) + "' is not a single value: "
                    + (v.isEmpty() ? "it is empty" : "it contains " + describe(m.group().charAt(0))) + ". Give just the "
                    + name + ", without further options.");
        }
        return v;
    }

    /**
     * Checks a volume id (see {@link #VOLUME_ID}).
     *
     * @param name the argument's name, for the message
     * @param value e.g. {@code local:iso/debian-13.1.0-amd64-netinst.iso}
     * @param contentDir the folder its content type lives in ({@code iso}, {@code vztmpl}, {@code images}), or
     *        {@code null} for any
     * @return the volume id
     * @throws ToolException if it is not one volume id of that kind
     */
    public static String volumeId(String name, String value, String contentDir) {
        if (value == null || !VOLUME.matcher(value).matches()) {
            throw new ToolException("The " + name + " '" + printable(String.valueOf(value)) + "' is not a volume id: "
                    + "write storage:path, such as local:iso/debian-13.1.0-amd64-netinst.iso, with letters, digits and "
                    + ". _ + @ - / only, and no further options.");
        }
        if (contentDir != null && !value.substring(value.indexOf(':') + 1).startsWith(contentDir + "/")) {
            throw new ToolException("The " + name + " '" + value + "' is not in the " + contentDir + " content of its "
                    + "storage: it should look like storage:" + contentDir + "/file.");
        }
        return value;
    }

    private static String describe(char c) {
        return switch (c) {
            case ',' -> "a comma";
            case ';' -> "a semicolon";
            case '=' -> "an equals sign";
            case '"', '\'' -> "a quote";
            case '\\' -> "a backslash";
            default -> Character.isWhitespace(c) ? "white space" : "a control character";
        };
    }

    private static String printable(String v) {
        String p = v.replaceAll("\\p{Cntrl}", "?");
        return p.length() > 80 ? p.substring(0, 80) + "..." : p;
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
     * @param values the pairs; a {@code null} value leaves the key out; every value is checked with
     *        {@link #value(String, Object)}
     * @return the property string, e.g. {@code virtio,bridge=vmbr0,tag=20}
     * @throws ToolException if a value is not a single value
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
            sb.append(e.getKey()).append('=').append(value(e.getKey(), e.getValue()));
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
