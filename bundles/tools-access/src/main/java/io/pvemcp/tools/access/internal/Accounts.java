package io.pvemcp.tools.access.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Preview;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.Futures;

/**
 * What the access tools share: the id formats of Proxmox VE's contract, reading users, groups, roles and ACLs, dates,
 * and the account this server itself uses, which no tool takes away from it.
 */
final class Accounts {

    /** {@code pve-userid}: name@realm. */
    static final String USERID = "^[^\\s:/@]+@[A-Za-z][A-Za-z0-9.\\-_]+$";
    /** A token's full id: name@realm!token. */
    static final String TOKENID = "^[^\\s:/@]+@[A-Za-z][A-Za-z0-9.\\-_]+![A-Za-z][A-Za-z0-9.\\-_]+$";
    /** {@code pve-groupid} and {@code pve-roleid}. */
    static final String ID = "^[A-Za-z0-9.\\-_]+$";
    /** An ACL path. */
    static final String PATH = "^/([A-Za-z0-9.\\-_]+(/[A-Za-z0-9.\\-_]+)*)?$";
    static final String DATE = "^(\\d{4}-\\d{2}-\\d{2}|never)$";

    private Accounts() {
    }

    static JsonSchema userid() {
        return JsonSchema.string().pattern(USERID).maxLength(64).description("name@realm, e.g. anna@pve");
    }

    static JsonSchema id() {
        return JsonSchema.string().pattern(ID).maxLength(64);
    }

    static JsonSchema expire() {
        return JsonSchema.string().pattern(DATE).description("YYYY-MM-DD (ends at 00:00 UTC) or never");
    }

    /** @return the expiry as Proxmox stores it: epoch seconds, 0 for never */
    static long epoch(String date) {
        if ("never".equals(date)) {
            return 0;
        }
        try {
            long s = LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            if (s <= Instant.now().getEpochSecond()) {
                throw ToolException.invalidArgument("expire", date + " is in the past; give a later date or never");
            }
            return s;
        } catch (java.time.format.DateTimeParseException e) {
            throw ToolException.invalidArgument("expire", date + " is no date; write YYYY-MM-DD, e.g. 2027-06-30");
        }
    }

    /** @return the expiry as a date, or {@code never} */
    static String date(Object epoch) {
        long s = epoch instanceof Number n ? n.longValue() : epoch == null ? 0 : Long.parseLong(epoch.toString());
        return s == 0 ? "never" : Instant.ofEpochSecond(s).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** @return the users, each with its groups and tokens, by userid */
    static Map<String, Map<String, Object>> users(ProxmoxClient pve) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object o : Json.list(Futures.join(pve.get("/access/users", Map.of("full", 1))))) {
            Map<String, Object> u = Json.map(o);
            out.put(Json.string(u, "userid"), u);
        }
        return out;
    }

    static Map<String, Object> requireUser(ProxmoxClient pve, String userid) {
        Map<String, Map<String, Object>> users = users(pve);
        Map<String, Object> u = users.get(userid);
        if (u == null) {
            throw ToolException.invalidArgument("userid", "there is no user " + userid + "; the users are "
                    + String.join(", ", users.keySet()));
        }
        return u;
    }

    /** @return a user's groups */
    static List<String> groups(Map<String, Object> user) {
        return split(user.get("groups"));
    }

    /** @return a Proxmox list, which comes as a comma-separated string or an array */
    static List<String> split(Object list) {
        if (list instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return list == null || list.toString().isBlank() ? List.of() : Arrays.asList(list.toString().split(","));
    }

    /** @return a user's token names */
    static List<String> tokens(Map<String, Object> user) {
        List<String> out = new ArrayList<>();
        for (Object t : Json.list(user.getOrDefault("tokens", List.of()))) {
            out.add(Json.string(Json.map(t), "tokenid"));
        }
        return out;
    }

    /** @return the group ids */
    static List<String> groupIds(ProxmoxClient pve) {
        List<String> out = new ArrayList<>();
        for (Object o : Json.list(Futures.join(pve.get("/access/groups", Map.of())))) {
            out.add(Json.string(Json.map(o), "groupid"));
        }
        return out;
    }

    /** @return the roles with their privileges, by role id */
    static Map<String, Map<String, Object>> roles(ProxmoxClient pve) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object o : Json.list(Futures.join(pve.get("/access/roles", Map.of())))) {
            Map<String, Object> r = Json.map(o);
            out.put(Json.string(r, "roleid"), r);
        }
        return out;
    }

    /** @return the ACL entries: path, type, ugid, roleid, propagate */
    static List<Map<String, Object>> acl(ProxmoxClient pve) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : Json.list(Futures.join(pve.get("/access/acl", Map.of())))) {
            out.add(Json.map(o));
        }
        return out;
    }

    /** @return the privileges of a role as Proxmox lists them (a comma-separated string) */
    static List<String> privileges(Map<String, Object> role) {
        return split(role.get("privs"));
    }

    /** @return the account this server talks to Proxmox as: a userid or a token id, or {@code null} */
    static String self(ProxmoxClient pve) {
        return pve.connection() == null ? null : pve.connection().principal();
    }

    /** @return the user of an authid: {@code anna@pve} for {@code anna@pve!ci} */
    static String userOf(String authid) {
        return authid.contains("!") ? authid.substring(0, authid.indexOf('!')) : authid;
    }

    /**
     * Refuses what would take this server's own access away: deleting its user or token, or one of the ACL entries
     * or groups its permissions come from. A person who means it does it in the Proxmox web interface.
     *
     * @param what e.g. "delete user anna@pve"
     * @param ugids the ACL subjects (userids, token ids, or {@code @group}) the change takes access from
     */
    static void notSelf(ProxmoxClient pve, String what, List<String> ugids) {
        String self = self(pve);
        if (self == null) {
            return;
        }
        List<String> mine = new ArrayList<>(List.of(self, userOf(self)));
        if (ugids.stream().anyMatch(u -> u.startsWith("@"))) {
            Map<String, Object> user = users(pve).get(userOf(self));
            if (user != null) {
                groups(user).forEach(g -> mine.add("@" + g));
            }
        }
        for (String u : ugids) {
            if (mine.contains(u)) {
                throw new ToolException("Refused: " + what + " would take away the access of " + self + ", the "
                        + "account this server uses to reach Proxmox, and cut it off. If that is meant, do it in "
                        + "the Proxmox web interface (Datacenter > Permissions) after configuring another account.");
            }
        }
    }

    static Preview.Target target(String kind, String id) {
        return new Preview.Target(kind, null, id, null, null, List.of(), null, null, false);
    }
}
