package io.pvemcp.tools.api.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The permission rule of a contract method in words, e.g. {@code VM.Config.Network on /vms/100}: what the Proxmox
 * account of this server needs for the call. The rules are those of PVE's RPC environment ({@code check} with
 * {@code perm}, {@code and}, {@code or}, and the user rules).
 */
final class Permissions {

    private Permissions() {
    }

    /**
     * @param rule the method's {@code permissions} member
     * @param pathParameters the values of the path's variables, to fill into the ACL paths
     * @return the rule in words
     */
    static String describe(Object rule, Map<String, String> pathParameters) {
        if (!(rule instanceof Map<?, ?> m)) {
            return "not stated in the API";
        }
        List<String> parts = new ArrayList<>();
        if (m.get("check") instanceof List<?> check) {
            parts.add(check(check, pathParameters));
        }
        if (m.get("user") instanceof String user) {
            parts.add(switch (user) {
                case "all" -> "any authenticated user";
                case "world" -> "anyone";
                default -> "user " + user;
            });
        }
        if (m.get("description") instanceof String d && !d.isBlank()) {
            parts.add(d.strip());
        }
        return parts.isEmpty() ? "not stated in the API" : String.join("; ", parts);
    }

    private static String check(List<?> check, Map<String, String> params) {
        if (check.isEmpty()) {
            return "";
        }
        String kind = String.valueOf(check.get(0));
        switch (kind) {
            case "perm": {
                String path = fill(String.valueOf(check.size() > 1 ? check.get(1) : "/"), params);
                boolean any = check.size() > 4 && "any".equals(check.get(3));
                return privileges(check.size() > 2 ? check.get(2) : null, any) + " on " + path;
            }
            case "and", "or": {
                List<String> parts = new ArrayList<>();
                for (Object o : check.subList(1, check.size())) {
                    if (o instanceof List<?> l) {
                        parts.add(check(l, params));
                    }
                }
                return "(" + String.join(" " + kind + " ", parts) + ")";
            }
            case "userid-param":
                return check.size() > 1 && !"self".equals(check.get(1)) ? check.get(1)
                        + " on the realm of the user named" : "the user named is the caller";
            case "userid-group":
                return privileges(check.size() > 1 ? check.get(1) : null, false) + " on a group of the user named";
            case "perm-modify":
                return "permission to modify the permissions of " + fill(String.valueOf(check.size() > 1
                        ? check.get(1) : "/"), params);
            default:
                return check.toString();
        }
    }

    private static String privileges(Object list, boolean any) {
        List<?> privileges = list instanceof List<?> l ? l : List.of();
        return privileges.isEmpty() ? "a privilege" : String.join(any ? " or " : " and ",
                privileges.stream().map(String::valueOf).toList());
    }

    private static String fill(String path, Map<String, String> params) {
        String out = path;
        for (var e : params.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }
}
