package io.pvemcp.pve.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;


/**
 * Checks request parameters against a method's schema the way PVE::JSONSchema does, with its messages.
 * Named formats that the contract references are checked for the common ones (node names, VM ids, storage
 * ids, configuration keys, addresses, lists of those); formats it does not know are accepted.
 */
final class ParameterChecker {

    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[,; ]+");
    private static final Pattern PROPERTY_KEY = Pattern.compile("([a-zA-Z][a-zA-Z0-9_\\-]*)=(.*)", Pattern.DOTALL);

    private final ApiMethod method;

    ParameterChecker(ApiMethod method) {
        this.method = method;
    }

    Map<String, String> check(Map<String, ?> params) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            var schema = method.parameter(e.getKey());
            if (schema.isEmpty()) {
                if (!method.additionalPropertiesAllowed()) {
                    errors.put(e.getKey(),
                            "property is not defined in schema and the schema does not allow additional properties");
                }
                continue;
            }
            String problem = checkValue(schema.get(), e.getValue());
            if (problem != null) {
                errors.put(e.getKey(), problem);
            }
        }
        for (var e : method.parameters().entrySet()) {
            String name = e.getKey();
            if (name.endsWith("[n]")) {
                continue;
            }
            if (!params.containsKey(name) && !ApiMethod.isOptional(e.getValue())) {
                errors.putIfAbsent(name, "property is missing and it is not optional");
            }
            Object requires = e.getValue().get("requires");
            if (requires instanceof String other && params.containsKey(name) && !params.containsKey(other)) {
                errors.putIfAbsent(other, "missing property - '" + name + "' requires this property");
            }
        }
        return errors;
    }

    @SuppressWarnings("unchecked")
    static String checkValue(Map<String, Object> schema, Object value) {
        String type = String.valueOf(schema.getOrDefault("type", "string"));
        if ("array".equals(type)) {
            List<Object> items = value instanceof List<?> l ? (List<Object>) l : List.of(value);
            Object itemSchema = schema.get("items");
            if (itemSchema instanceof Map<?, ?> is) {
                for (Object item : items) {
                    String problem = checkValue((Map<String, Object>) is, item);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            return null;
        }
        if (value instanceof List<?> l) {
            if (l.size() != 1) {
                return "type check ('" + type + "') failed - got a list of " + l.size() + " values";
            }
            value = l.get(0);
        }
        String text = value instanceof Boolean b ? (b ? "1" : "0") : String.valueOf(value);
        switch (type) {
            case "integer" -> {
                if (!INTEGER.matcher(text).matches()) {
                    return "type check ('integer') failed - got '" + text + "'";
                }
                return checkRange(schema, Double.parseDouble(text));
            }
            case "number" -> {
                if (!NUMBER.matcher(text).matches()) {
                    return "type check ('number') failed - got '" + text + "'";
                }
                return checkRange(schema, Double.parseDouble(text));
            }
            case "boolean" -> {
                if (parseBoolean(text) == null) {
                    return "type check ('boolean') failed - got '" + text + "'";
                }
                return null;
            }
            default -> {
                return checkString(schema, text);
            }
        }
    }

    /**
     * @param text a boolean as PVE accepts it
     * @return the value, or {@code null} if {@code text} is not a boolean
     */
    static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "1", "on", "yes", "true" -> Boolean.TRUE;
            case "0", "off", "no", "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String checkRange(Map<String, Object> schema, double v) {
        if (schema.get("minimum") instanceof Number min && v < min.doubleValue()) {
            return "value must have a minimum value of " + plain(min);
        }
        if (schema.get("maximum") instanceof Number max && v > max.doubleValue()) {
            return "value must have a maximum value of " + plain(max);
        }
        return null;
    }

    private static String plain(Number n) {
        double d = n.doubleValue();
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    @SuppressWarnings("unchecked")
    private static String checkString(Map<String, Object> schema, String text) {
        if (schema.get("maxLength") instanceof Number max && text.length() > max.intValue()) {
            return "value may only be " + max.intValue() + " characters long";
        }
        if (schema.get("minLength") instanceof Number min && text.length() < min.intValue()) {
            return "value must be at least " + min.intValue() + " characters long";
        }
        if (schema.get("enum") instanceof List<?> values) {
            for (Object v : values) {
                if (String.valueOf(v).equals(text)) {
                    return null;
                }
            }
            StringBuilder sb = new StringBuilder();
            for (Object v : values) {
                sb.append(sb.length() == 0 ? "" : ", ").append(v);
            }
            return "value '" + text + "' does not have a value in the enumeration '" + sb + "'";
        }
        if (schema.get("pattern") instanceof String regex) {
            Pattern p = pattern(regex);
            if (p != null && !p.matcher(text).matches()) {
                return "value does not match the regex pattern";
            }
        }
        Object format = schema.get("format");
        if (format instanceof String named) {
            String problem = Formats.check(named, text);
            return problem == null ? null : "invalid format - " + problem;
        }
        if (format instanceof Map<?, ?> propertyString) {
            String problem = checkPropertyString((Map<String, Object>) propertyString, text);
            return problem == null ? null : "invalid format - " + problem;
        }
        return null;
    }

    /** Parses {@code key=value,key=value} against the key schemas, as PVE::JSONSchema::parse_property_string does. */
    @SuppressWarnings("unchecked")
    private static String checkPropertyString(Map<String, Object> format, String text) {
        String defaultKey = null;
        for (var e : format.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m && m.get("default_key") instanceof Number n && n.intValue() == 1) {
                defaultKey = e.getKey();
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : PropertyString.split(text)) {
            if (part.isEmpty()) {
                continue;
            }
            var m = PROPERTY_KEY.matcher(part);
            String key;
            String value;
            if (m.matches() && format.containsKey(m.group(1))) {
                key = m.group(1);
                value = m.group(2);
                Map<String, Object> keySchema = (Map<String, Object>) format.get(key);
                if (keySchema.get("alias") instanceof String alias) {
                    if (keySchema.get("keyAlias") instanceof String keyAlias) {
                        if (values.put(keyAlias, key) != null) {
                            return "duplicate key in comma-separated list property: " + keyAlias;
                        }
                    }
                    key = alias;
                }
            } else if (m.matches() && !part.contains(":") && !part.contains("/")) {
                return "unknown key '" + m.group(1) + "'";
            } else if (defaultKey != null && !values.containsKey(defaultKey)) {
                key = defaultKey;
                value = part;
            } else {
                return "value without key, but schema does not define a default key";
            }
            if (values.put(key, value) != null) {
                return "duplicate key in comma-separated list property: " + key;
            }
        }
        for (var e : values.entrySet()) {
            Object keySchema = format.get(e.getKey());
            if (keySchema instanceof Map<?, ?> ks) {
                String problem = checkValue((Map<String, Object>) ks, e.getValue());
                if (problem != null) {
                    return e.getKey() + ": " + problem;
                }
            }
        }
        for (var e : format.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> ks && !ks.containsKey("alias")
                    && !ApiMethod.isOptional((Map<String, Object>) ks) && !values.containsKey(e.getKey())) {
                return e.getKey() + ": property is missing and it is not optional";
            }
        }
        return null;
    }

    /**
     * Translates a contract pattern (Perl syntax, e.g. {@code (?^:...)} or {@code (?^i:...)}) to Java. A
     * pattern Java cannot compile is skipped rather than failing every request.
     */
    static Pattern pattern(String perl) {
        return PATTERNS.computeIfAbsent(perl, p -> {
            String java = p.replace("(?^i:", "(?i:").replace("(?^:", "(?:");
            try {
                return Pattern.compile(java);
            } catch (PatternSyntaxException e) {
                return Pattern.compile(".*", Pattern.DOTALL);
            }
        });
    }

    /** Named string formats of PVE::JSONSchema that requests commonly use. */
    static final class Formats {
        private static final Pattern NODE = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?");
        private static final Pattern VMID = Pattern.compile("[1-9][0-9]{2,8}");
        private static final Pattern CONFIGID = Pattern.compile("(?i)[a-z][a-z0-9_-]+");
        private static final Pattern STORAGE = Pattern.compile("(?i)[a-z][a-z0-9\\-_.]*[a-z0-9]");
        private static final Pattern POOL = Pattern.compile("[A-Za-z0-9.\\-_]+(?:/[A-Za-z0-9.\\-_]+){0,2}");
        private static final Pattern USERID = Pattern.compile("[^\\s:/]+@[A-Za-z][A-Za-z0-9.\\-_]+");
        private static final Pattern REALM = Pattern.compile("[A-Za-z][A-Za-z0-9.\\-_]+");
        private static final Pattern GROUP_ROLE = Pattern.compile("[A-Za-z0-9.\\-_]+");
        private static final Pattern IFACE = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{1,20}([:.]\\d+)?");
        private static final Pattern MAC = Pattern.compile("(?i)[a-f0-9][02468ace](?::[a-f0-9]{2}){5}");
        private static final Pattern IPV4 = Pattern.compile(
                "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
        private static final Pattern IPV6 = Pattern.compile("(?i)[0-9a-f:]*:[0-9a-f:.]*");
        private static final Pattern DNS = Pattern.compile(
                "(?:[a-zA-Z0-9](?:[a-zA-Z0-9\\-]*[a-zA-Z0-9])?\\.)*[a-zA-Z0-9](?:[a-zA-Z0-9\\-]*[a-zA-Z0-9])?");
        private static final Pattern EMAIL = Pattern.compile("[\\w+\\-~]+(\\.[\\w+\\-~]+)*@[a-zA-Z0-9\\-]+(\\.[a-zA-Z0-9\\-]+)*");
        private static final Pattern TAG = Pattern.compile("(?i)[a-z0-9_][a-z0-9_\\-+.]*");
        private static final Pattern DISK_SIZE = Pattern.compile("\\d+(\\.\\d+)?([KMGT](iB)?)?");
        private static final Pattern STARTUP = Pattern.compile("(?:(?:order=)?\\d+|up=\\d+|down=\\d+)(?:,(?:order=\\d+|up=\\d+|down=\\d+))*");
        private static final Pattern HA_SID = Pattern.compile("(?:(?:vm|ct):)?[1-9]\\d{2,8}");
        private static final Pattern PORT_ITEM = Pattern.compile("(\\d+)(?::(\\d+))?|[a-zA-Z][a-zA-Z0-9\\-]*");
        private static final java.util.Set<String> PROTOCOLS = java.util.Set.of("tcp", "udp", "icmp", "icmpv6",
                "ipv6-icmp", "esp", "ah", "gre", "sctp", "igmp", "ospf", "vrrp", "udplite", "ipip", "ipv6", "l2tp",
                "pim", "rsvp", "dccp", "ipencap", "mobility-header", "carp", "pfsync", "encap");
        private static final Pattern VOLUME = Pattern.compile("(?i)[a-z][a-z0-9\\-_.]*[a-z0-9]:.+");

        private Formats() {
        }

        /** @return the problem with {@code value}, or {@code null} if it is valid or the format unknown */
        static String check(String format, String value) {
            if (format.endsWith("-list") && !format.equals("pve-tag-list")) {
                String base = format.substring(0, format.length() - 5);
                for (String item : LIST_SEPARATOR.split(value.trim())) {
                    if (item.isEmpty()) {
                        continue;
                    }
                    String problem = check(base, item);
                    if (problem != null) {
                        return problem;
                    }
                }
                return null;
            }
            return switch (format) {
                case "pve-node" -> NODE.matcher(value).matches() ? null : "value does not look like a valid node name";
                case "pve-vmid" -> VMID.matcher(value).matches() ? null : "value does not look like a valid VM ID";
                case "pve-configid" -> CONFIGID.matcher(value).matches() ? null
                        : "invalid configuration ID '" + value + "'";
                case "pve-storage-id" -> value.length() < 2 ? "storage ID '" + value
                        + "' cannot be shorter than 2 characters" : STORAGE.matcher(value).matches() ? null
                        : "storage ID '" + value + "' contains illegal characters";
                case "pve-poolid" -> value.split("/").length > 3 ? "pool name '" + value
                        + "' nested too deeply (max levels = 3)" : POOL.matcher(value).matches() ? null
                        : "pool name '" + value + "' contains invalid characters";
                case "pve-userid" -> value.length() < 3 ? "user name '" + value + "' is too short"
                        : value.length() > 64 ? "user name '" + value + "' is too long (" + value.length() + " > 64)"
                        : USERID.matcher(value).matches() ? null
                        : "value '" + value + "' does not look like a valid user name";
                case "pve-realm" -> REALM.matcher(value).matches() ? null : "value does not look like a valid realm";
                case "pve-groupid" -> GROUP_ROLE.matcher(value).matches() ? null
                        : "group name '" + value + "' contains invalid characters";
                case "pve-roleid" -> GROUP_ROLE.matcher(value).matches() ? null
                        : "role name '" + value + "' contains invalid characters";
                case "pve-iface" -> IFACE.matcher(value).matches() ? null
                        : "invalid network interface name '" + value + "'";
                case "mac-addr" -> MAC.matcher(value).matches() ? null : "value does not look like a valid MAC address";
                case "ipv4" -> IPV4.matcher(value).matches() ? null : "value does not look like a valid IPv4 address";
                case "ipv6" -> IPV6.matcher(value).matches() ? null : "value does not look like a valid IPv6 address";
                case "ip" -> IPV4.matcher(value).matches() || IPV6.matcher(value).matches() ? null
                        : "value does not look like a valid IP address";
                case "CIDR", "CIDRv4", "CIDRv6", "IPorCIDR" -> cidr(value) ? null
                        : "value does not look like a valid CIDR network";
                case "dns-name" -> value.length() <= 255 && DNS.matcher(value).matches() ? null
                        : "value does not look like a valid DNS name";
                case "email", "email-opt" -> value.isEmpty() && format.equals("email-opt")
                        || EMAIL.matcher(value).matches() ? null : "value does not look like a valid email address";
                case "pve-tag-list" -> tags(value);
                case "pve-volume-id" -> VOLUME.matcher(value).matches() ? null
                        : "unable to parse volume ID '" + value + "'";
                case "disk-size" -> DISK_SIZE.matcher(value).matches() ? null
                        : "value does not look like a valid disk size: " + value;
                case "address" -> IPV4.matcher(value).matches() || IPV6.matcher(value).matches()
                        || value.length() <= 255 && DNS.matcher(value).matches() ? null
                        : "value does not look like a valid address: " + value;
                case "pve-startup-order" -> STARTUP.matcher(value).matches() ? null : "unable to parse startup options";
                case "email-or-username" -> EMAIL.matcher(value).matches() || USERID.matcher(value).matches() ? null
                        : "value does not look like a valid email address or user name";
                case "pve-fw-protocol-spec" -> value.isEmpty() || PROTOCOLS.contains(value) || value.matches("\\d{1,3}")
                        ? null : "unknown protocol '" + value + "'";
                case "pve-fw-dport-spec", "pve-fw-sport-spec" -> ports(value);
                case "pve-ha-resource-or-vm-id" -> HA_SID.matcher(value).matches() ? null
                        : "unable to parse service id '" + value + "'";
                default -> null;
            };
        }

        private static String ports(String value) {
            String[] items = value.split(",", -1);
            int count = 0;
            for (String item : items) {
                if (item.isEmpty()) {
                    return "extraneous commas in list";
                }
                var m = PORT_ITEM.matcher(item);
                if (!m.matches()) {
                    return "invalid port '" + item + "'";
                }
                if (m.group(1) != null) {
                    long a = Long.parseLong(m.group(1));
                    if (a > 65535) {
                        return "invalid port '" + a + "'";
                    }
                    if (m.group(2) != null) {
                        long b = Long.parseLong(m.group(2));
                        if (b > 65535) {
                            return "invalid port '" + b + "'";
                        }
                        if (b < a) {
                            return "backwards range '" + a + ":" + b + "' not allowed, did you mean '" + b + ":" + a + "'?";
                        }
                        count += 2;
                        continue;
                    }
                }
                count++;
            }
            return count > 15 ? "too many entries in port list (> 15 numbers)" : null;
        }

        private static boolean cidr(String value) {
            int slash = value.indexOf('/');
            String ip = slash < 0 ? value : value.substring(0, slash);
            if (slash >= 0 && !INTEGER.matcher(value.substring(slash + 1)).matches()) {
                return false;
            }
            return IPV4.matcher(ip).matches() || IPV6.matcher(ip).matches();
        }

        private static String tags(String value) {
            for (String tag : LIST_SEPARATOR.split(value.trim())) {
                if (!tag.isEmpty() && !TAG.matcher(tag).matches()) {
                    return "invalid tag '" + tag + "'";
                }
            }
            return null;
        }
    }
}
