package io.pvemcp.pve.sim.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pvemcp.pve.sim.internal.state.Access;
import io.pvemcp.pve.sim.internal.state.Perms;
import io.pvemcp.pve.sim.internal.state.PveError;

/** Users, API tokens, groups, roles and ACLs ({@code /access}). */
final class AccessHandlers {

    private static final Set<String> USER_ATTRIBUTES = Set.of("firstname", "lastname", "email", "comment", "keys",
            "enable", "expire", "password");

    private AccessHandlers() {
    }

    static void register(Map<String, ApiHandler> h) {
        h.put("GET /access", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (String s : List.of("users", "groups", "roles", "acl", "domains", "ticket", "password",
                    "permissions", "tfa", "openid")) {
                out.add(Map.of("subdir", s));
            }
            return out;
        });
        h.put("GET /access/users", c -> {
            Access a = c.state().access();
            List<Map<String, Object>> out = new ArrayList<>();
            boolean all = Perms.has(c.state(), c.authid(), "/access/groups", "User.Modify")
                    || Perms.has(c.state(), c.authid(), "/access/groups", "Sys.Audit");
            for (Access.User u : a.users().values()) {
                String self = c.authid().contains("!") ? c.authid().substring(0, c.authid().indexOf('!')) : c.authid();
                if (!all && !u.userid().equals(self)) {
                    continue;
                }
                Map<String, Object> m = a.describe(u, c.flag("full"));
                if (c.param("enabled") != null && !m.get("enable").toString().equals(c.param("enabled"))) {
                    continue;
                }
                out.add(m);
            }
            return out;
        });
        h.put("POST /access/users", c -> {
            Map<String, String> attributes = attributes(c);
            c.state().access().saveUser(c.param("userid"), true, attributes,
                    c.param("groups") == null ? null : c.list("groups"), false);
            return null;
        });
        h.put("GET /access/users/{userid}", c -> {
            Access a = c.state().access();
            Map<String, Object> m = a.describe(a.requireUser(c.param("userid")), false);
            m.remove("userid");
            m.remove("realm-type");
            m.put("groups", a.groupsOf(c.param("userid")));
            Map<String, Object> tokens = new LinkedHashMap<>();
            for (Map<String, Object> t : tokens(c)) {
                Map<String, Object> copy = new LinkedHashMap<>(t);
                tokens.put(String.valueOf(copy.remove("tokenid")), copy);
            }
            m.put("tokens", tokens);
            return m;
        });
        h.put("PUT /access/users/{userid}", c -> {
            Map<String, String> attributes = attributes(c);
            attributes.remove("password");
            c.state().access().saveUser(c.param("userid"), false, attributes,
                    c.param("groups") == null ? null : c.list("groups"), c.flag("append"));
            return null;
        });
        h.put("DELETE /access/users/{userid}", c -> {
            c.state().access().deleteUser(c.param("userid"));
            return null;
        });
        h.put("PUT /access/password", c -> {
            c.state().access().setPassword(c.param("userid"), c.param("password"));
            return null;
        });
        h.put("GET /access/users/{userid}/token", AccessHandlers::tokens);
        h.put("GET /access/users/{userid}/token/{tokenid}", c -> {
            Map<String, Object> m = new LinkedHashMap<>(Access.describe(c.param("tokenid"),
                    c.state().access().requireToken(c.param("userid"), c.param("tokenid"))));
            m.remove("tokenid");
            return m;
        });
        h.put("POST /access/users/{userid}/token/{tokenid}", c -> {
            String userid = c.param("userid");
            String name = c.param("tokenid");
            boolean privsep = c.param("privsep") == null || c.flag("privsep");
            long expire = c.param("expire") == null ? 0 : Long.parseLong(c.param("expire"));
            String secret = c.state().access().createToken(userid, name, privsep, expire, c.param("comment"));
            Map<String, Object> info = new LinkedHashMap<>(Access.describe(name,
                    c.state().access().requireToken(userid, name)));
            info.remove("tokenid");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("full-tokenid", userid + "!" + name);
            out.put("info", info);
            out.put("value", secret);
            return out;
        });
        h.put("PUT /access/users/{userid}/token/{tokenid}", c -> {
            c.state().access().updateToken(c.param("userid"), c.param("tokenid"),
                    c.param("privsep") == null ? null : c.flag("privsep"),
                    c.param("expire") == null ? null : Long.valueOf(c.param("expire")), c.param("comment"),
                    c.list("delete"));
            Map<String, Object> m = new LinkedHashMap<>(Access.describe(c.param("tokenid"),
                    c.state().access().requireToken(c.param("userid"), c.param("tokenid"))));
            m.remove("tokenid");
            return m;
        });
        h.put("DELETE /access/users/{userid}/token/{tokenid}", c -> {
            c.state().access().deleteToken(c.param("userid"), c.param("tokenid"));
            return null;
        });
        h.put("GET /access/groups", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> g : c.state().access().describeGroups()) {
                if (Perms.has(c.state(), c.authid(), "/access/groups/" + g.get("groupid"), "Sys.Audit")
                        || Perms.has(c.state(), c.authid(), "/access/groups/" + g.get("groupid"), "Group.Allocate")) {
                    out.add(g);
                }
            }
            return out;
        });
        h.put("POST /access/groups", c -> {
            c.state().access().createGroup(c.param("groupid"), c.param("comment"));
            return null;
        });
        h.put("GET /access/groups/{groupid}", c -> c.state().access().describe(
                c.state().access().requireGroup(c.param("groupid"))));
        h.put("PUT /access/groups/{groupid}", c -> {
            c.state().access().updateGroup(c.param("groupid"), c.param("comment"));
            return null;
        });
        h.put("DELETE /access/groups/{groupid}", c -> {
            c.state().access().deleteGroup(c.param("groupid"));
            return null;
        });
        h.put("GET /access/roles", c -> c.state().access().describeRoles());
        h.put("POST /access/roles", c -> {
            c.state().access().saveRole(c.param("roleid"), c.list("privs"), true, false);
            return null;
        });
        h.put("GET /access/roles/{roleid}", c -> {
            String id = c.param("roleid");
            if (!c.state().access().roleExists(id)) {
                throw PveError.fail("role '" + id + "' does not exist");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            for (String p : c.state().access().rolePrivileges(id)) {
                m.put(p, 1);
            }
            return m;
        });
        h.put("PUT /access/roles/{roleid}", c -> {
            c.state().access().saveRole(c.param("roleid"), c.list("privs"), false, c.flag("append"));
            return null;
        });
        h.put("DELETE /access/roles/{roleid}", c -> {
            c.state().access().deleteRole(c.param("roleid"));
            return null;
        });
        h.put("GET /access/acl", c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Access.Acl a : c.state().access().acls()) {
                if (!Perms.has(c.state(), c.authid(), a.path(), "Sys.Audit")
                        && !Perms.has(c.state(), c.authid(), a.path(), "Permissions.Modify")) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", a.path());
                m.put("type", a.type());
                m.put("ugid", a.ugid().startsWith("@") ? a.ugid().substring(1) : a.ugid());
                m.put("roleid", a.role());
                m.put("propagate", a.propagate() ? 1 : 0);
                out.add(m);
            }
            return out;
        });
        h.put("PUT /access/acl", c -> {
            if (c.param("users") == null && c.param("groups") == null && c.param("tokens") == null) {
                Map<String, String> errors = new LinkedHashMap<>();
                for (String k : List.of("users", "groups", "tokens")) {
                    errors.put(k, "either 'users', 'groups' or 'tokens' is required.");
                }
                throw new ApiException(400, "Parameter verification failed.", errors);
            }
            String path = c.param("path");
            if (!path.startsWith("/") || !path.matches("/|(/[A-Za-z0-9.\\-_]+)+")) {
                throw PveError.param("path", "invalid ACL path '" + path + "'");
            }
            c.state().access().updateAcl(path, c.list("roles"), c.list("users"), c.list("groups"), c.list("tokens"),
                    c.param("propagate") == null || c.flag("propagate"), c.flag("delete"));
            return null;
        });
    }

    private static Map<String, String> attributes(ApiCall c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : USER_ATTRIBUTES) {
            if (c.param(k) != null) {
                out.put(k, c.param(k));
            }
        }
        return out;
    }

    private static List<Map<String, Object>> tokens(ApiCall c) {
        Access a = c.state().access();
        Access.User u = a.requireUser(c.param("userid"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> t : castTokens(a.describe(u, true).get("tokens"))) {
            out.add(t);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> castTokens(Object o) {
        return (List<Map<String, Object>>) o;
    }
}
