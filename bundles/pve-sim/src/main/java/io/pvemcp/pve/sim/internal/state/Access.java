package io.pvemcp.pve.sim.internal.state;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Users, API tokens, groups, roles and ACLs of the simulated cluster, and the tickets and CSRF tokens it
 * issues. Privileges are evaluated as Proxmox VE does: the deepest path with an applicable ACL entry decides
 * (entries of ancestors apply only when they propagate; entries for the user win over entries for its groups
 * on the same path), and a token with privilege separation gets the intersection of its own and its user's
 * privileges. Guarded by the {@link SimState} lock.
 */
public final class Access {

    /** Every privilege of Proxmox VE 9. */
    public static final List<String> PRIVILEGES = List.of("Datastore.Allocate", "Datastore.AllocateSpace",
            "Datastore.AllocateTemplate", "Datastore.Audit", "Group.Allocate", "Mapping.Audit", "Mapping.Modify",
            "Mapping.Use", "Permissions.Modify", "Pool.Allocate", "Pool.Audit", "Realm.Allocate",
            "Realm.AllocateUser", "SDN.Allocate", "SDN.Audit", "SDN.Use", "Sys.AccessNetwork", "Sys.Audit",
            "Sys.Console", "Sys.Incoming", "Sys.Modify", "Sys.PowerMgmt", "Sys.Syslog", "User.Modify",
            "VM.Allocate", "VM.Audit", "VM.Backup", "VM.Clone", "VM.Config.CDROM", "VM.Config.CPU",
            "VM.Config.Cloudinit", "VM.Config.Disk", "VM.Config.HWType", "VM.Config.Memory", "VM.Config.Network",
            "VM.Config.Options", "VM.Console", "VM.GuestAgent.Audit", "VM.GuestAgent.FileRead",
            "VM.GuestAgent.FileSystemMgmt", "VM.GuestAgent.FileWrite", "VM.GuestAgent.Unrestricted", "VM.Migrate",
            "VM.PowerMgmt", "VM.Replicate", "VM.Snapshot", "VM.Snapshot.Rollback");

    /** Ticket lifetime, as on a real node. */
    public static final long TICKET_LIFETIME_SECONDS = 7200;

    /** The built-in roles and their privileges. */
    public static final Map<String, Set<String>> BUILTIN_ROLES = builtinRoles();

    final Map<String, User> users = new LinkedHashMap<>();
    final Map<String, Group> groups = new LinkedHashMap<>();
    final Map<String, Set<String>> customRoles = new LinkedHashMap<>();
    final List<Acl> acls = new ArrayList<>();
    private final byte[] ticketKey = new byte[32];
    private final SecureRandom random = new SecureRandom();
    private final SimClock clock;
    /** Finds the pool of an ACL path's object ({@code /vms/100}, {@code /storage/nfs}), or {@code null}. */
    private final Function<String, String> poolOf;
    /** Tickets issued before this time (seconds) are no longer accepted. */
    private long ticketsValidFrom;

    Access(SimClock clock, Function<String, String> poolOf) {
        this.clock = clock;
        this.poolOf = poolOf;
        random.nextBytes(ticketKey);
    }

    /** A user account. */
    public static final class User {
        final String userid;
        String password;
        boolean enabled = true;
        long expire;
        String firstname;
        String lastname;
        String email;
        String comment;
        String keys;
        final Map<String, Token> tokens = new LinkedHashMap<>();

        User(String userid) {
            this.userid = userid;
        }

        /** @return the userid */
        public String userid() {
            return userid;
        }
    }

    /** An API token of a user. */
    public static final class Token {
        String secret;
        boolean privsep;
        long expire;
        String comment;

        Token(String secret, boolean privsep, long expire, String comment) {
            this.secret = secret;
            this.privsep = privsep;
            this.expire = expire;
            this.comment = comment;
        }
    }

    /** A group of users. */
    public static final class Group {
        final String id;
        String comment;
        final Set<String> members = new LinkedHashSet<>();

        Group(String id) {
            this.id = id;
        }
    }

    /** An ACL entry: {@code ugid} is a userid, a {@code @group} or a token id. */
    public record Acl(String path, String ugid, String role, boolean propagate) {

        /** @return {@code user}, {@code group} or {@code token} */
        public String type() {
            return ugid.startsWith("@") ? "group" : ugid.contains("!") ? "token" : "user";
        }
    }

    /** @return the group ids */
    public Set<String> groupIds() {
        return new LinkedHashSet<>(groups.keySet());
    }

    /**
     * @param group a group id
     * @return its members
     */
    public Set<String> groupMembers(String group) {
        Group g = groups.get(group);
        return g == null ? Set.of() : g.members;
    }

    /** @return the users (live; callers hold the state lock) */
    public Map<String, User> users() {
        return users;
    }

    void addUser(String userid, String password) {
        users.computeIfAbsent(userid, User::new).password = password;
    }

    void addToken(String userid, String tokenName, String secret, boolean privsep) {
        users.computeIfAbsent(userid, User::new).tokens.put(tokenName, new Token(secret, privsep, 0, null));
    }

    void addGroupMember(String group, String userid) {
        groups.computeIfAbsent(group, Group::new).members.add(userid);
    }

    void addAcl(String path, String ugid, String role, boolean propagate) {
        acls.removeIf(a -> a.path().equals(path) && a.ugid().equals(ugid) && a.role().equals(role));
        acls.add(new Acl(path, ugid, role, propagate));
    }

    /** Makes every ticket issued so far invalid, as if they had all expired. */
    public void expireTickets() {
        ticketsValidFrom = clock.seconds() + 1;
    }

    /**
     * @param role a role id
     * @return whether the role exists (built in or custom)
     */
    public boolean roleExists(String role) {
        return BUILTIN_ROLES.containsKey(role) || customRoles.containsKey(role);
    }

    /**
     * @param role a role id
     * @return its privileges
     */
    public Set<String> rolePrivileges(String role) {
        Set<String> p = BUILTIN_ROLES.get(role);
        return p != null ? p : customRoles.getOrDefault(role, Set.of());
    }

    /**
     * Checks a username and password.
     *
     * @return the canonical userid
     * @throws AuthException if they do not match an enabled user
     */
    public String authenticate(String userid, String password) {
        User u = users.get(userid);
        if (u == null || !u.enabled || u.password == null || !constantTimeEquals(u.password, password)
                || u.expire > 0 && u.expire < clock.seconds()) {
            throw new AuthException("authentication failure");
        }
        return u.userid;
    }

    /**
     * Verifies an API token value {@code USER@REALM!TOKENID=SECRET}.
     *
     * @return the token id {@code USER@REALM!TOKENID}
     * @throws AuthException with Proxmox's message if it is not valid
     */
    public String verifyToken(String value) {
        int eq = value.indexOf('=');
        if (eq < 0) {
            throw new AuthException("no tokenid specified");
        }
        String tokenId = value.substring(0, eq);
        String secret = value.substring(eq + 1);
        int bang = tokenId.indexOf('!');
        if (bang < 0) {
            throw new AuthException("invalid API token ID '" + tokenId + "'");
        }
        String userid = tokenId.substring(0, bang);
        String name = tokenId.substring(bang + 1);
        User u = users.get(userid);
        if (u == null) {
            throw new AuthException("no such user ('" + userid + "')");
        }
        if (!u.enabled) {
            throw new AuthException("user '" + userid + "' is disabled");
        }
        if (u.expire > 0 && u.expire < clock.seconds()) {
            throw new AuthException("account expired");
        }
        Token t = u.tokens.get(name);
        if (t == null) {
            throw new AuthException("no such token '" + name + "' for user '" + userid + "'");
        }
        if (t.expire > 0 && t.expire < clock.seconds()) {
            throw new AuthException("token '" + name + "' access expired");
        }
        if (!constantTimeEquals(t.secret, secret)) {
            throw new AuthException("invalid token value!");
        }
        return tokenId;
    }

    /** @return a new ticket for {@code userid}, in Proxmox's format {@code PVE:user:HEXTIME::signature} */
    public String createTicket(String userid) {
        String plain = "PVE:" + userid + ":" + String.format(Locale.ROOT, "%08X", clock.seconds());
        return plain + "::" + sign(plain);
    }

    /**
     * @return the userid the ticket was issued to
     * @throws AuthException if the ticket is forged, malformed or older than two hours
     */
    public String verifyTicket(String ticket) {
        int sep = ticket == null ? -1 : ticket.lastIndexOf("::");
        if (sep < 0 || !ticket.startsWith("PVE:")) {
            throw new AuthException("permission denied - invalid PVE ticket");
        }
        String plain = ticket.substring(0, sep);
        if (!constantTimeEquals(sign(plain), ticket.substring(sep + 2))) {
            throw new AuthException("permission denied - invalid PVE ticket");
        }
        String[] parts = plain.split(":");
        if (parts.length != 3) {
            throw new AuthException("permission denied - invalid PVE ticket");
        }
        long issued;
        try {
            issued = Long.parseLong(parts[2], 16);
        } catch (NumberFormatException e) {
            throw new AuthException("permission denied - invalid PVE ticket");
        }
        long age = clock.seconds() - issued;
        if (age < -300 || age > TICKET_LIFETIME_SECONDS || issued < ticketsValidFrom) {
            throw new AuthException("permission denied - invalid PVE ticket");
        }
        User u = users.get(parts[1]);
        if (u == null || !u.enabled) {
            throw new AuthException("permission denied - invalid PVE ticket");
        }
        return parts[1];
    }

    /** @return a CSRF prevention token for {@code userid}, {@code HEXTIME:signature} */
    public String csrfToken(String userid) {
        String time = String.format(Locale.ROOT, "%08X", clock.seconds());
        return time + ":" + sign(time + ":" + userid);
    }

    /** @throws AuthException if {@code token} is not a valid CSRF token for {@code userid} */
    public void verifyCsrfToken(String userid, String token) {
        int colon = token == null ? -1 : token.indexOf(':');
        if (colon < 0 || !constantTimeEquals(sign(token.substring(0, colon) + ":" + userid), token.substring(colon + 1))) {
            throw new AuthException("Permission denied - invalid csrf token");
        }
        long age;
        try {
            age = clock.seconds() - Long.parseLong(token.substring(0, colon), 16);
        } catch (NumberFormatException e) {
            throw new AuthException("Permission denied - invalid csrf token");
        }
        if (age < -300 || age > TICKET_LIFETIME_SECONDS) {
            throw new AuthException("Permission denied - invalid csrf token");
        }
    }

    /**
     * The privileges an authenticated id (a userid or a token id) holds on a path.
     *
     * @param authid {@code user@realm} or {@code user@realm!token}
     * @param path an ACL path such as {@code /vms/100}
     * @return the privileges
     */
    public Set<String> privileges(String authid, String path) {
        int bang = authid.indexOf('!');
        String userid = bang < 0 ? authid : authid.substring(0, bang);
        Set<String> user = userPrivileges(userid, path);
        if (bang < 0) {
            return user;
        }
        User u = users.get(userid);
        Token t = u == null ? null : u.tokens.get(authid.substring(bang + 1));
        if (t == null) {
            return new LinkedHashSet<>();
        }
        if (!t.privsep) {
            return user;
        }
        Set<String> token = withPool(Set.of(authid), path);
        token.retainAll(user);
        return token;
    }

    /** @return the ACL paths that mention {@code authid}, its groups or its user, plus {@code /} */
    public Set<String> aclPaths(String authid) {
        Set<String> paths = new TreeSet<>();
        paths.add("/");
        if (authid.startsWith("root@pam")) {
            paths.addAll(List.of("/access", "/access/groups", "/nodes", "/pool", "/sdn", "/storage", "/vms"));
        }
        for (Acl a : acls) {
            paths.add(a.path());
        }
        return paths;
    }

    private Set<String> userPrivileges(String userid, String path) {
        if ("root@pam".equals(userid)) {
            return new LinkedHashSet<>(PRIVILEGES);
        }
        Set<String> ids = new LinkedHashSet<>();
        ids.add(userid);
        for (Group g : groups.values()) {
            if (g.members.contains(userid)) {
                ids.add("@" + g.id);
            }
        }
        return withPool(ids, path);
    }

    /** Privileges on a path, plus those on the pool of the path's guest or storage (unless NoAccess applies). */
    private Set<String> withPool(Set<String> ids, String path) {
        Set<String> roles = roles(ids, path);
        String pool = path.startsWith("/vms/") || path.startsWith("/storage/") ? poolOf.apply(path) : null;
        if (pool != null && (roles == null || !roles.contains("NoAccess"))) {
            Set<String> poolRoles = roles(ids, "/pool/" + pool);
            if (poolRoles != null && !poolRoles.contains("NoAccess")) {
                roles = roles == null ? new LinkedHashSet<>() : new LinkedHashSet<>(roles);
                roles.addAll(poolRoles);
            }
        }
        Set<String> privs = new LinkedHashSet<>();
        if (roles == null || roles.contains("NoAccess")) {
            return privs;
        }
        for (String role : roles) {
            privs.addAll(rolePrivileges(role));
        }
        return privs;
    }

    /** Applies the ACLs for the given ids along {@code path}: the deepest applicable level decides. */
    private Set<String> roles(Set<String> ids, String path) {
        List<String> levels = new ArrayList<>();
        levels.add("/");
        StringBuilder p = new StringBuilder();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                p.append('/').append(part);
                levels.add(p.toString());
            }
        }
        Set<String> roles = null;
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            boolean exact = i == levels.size() - 1;
            Set<String> userRoles = new LinkedHashSet<>();
            Set<String> groupRoles = new LinkedHashSet<>();
            for (Acl a : acls) {
                if (a.path().equals(level) && ids.contains(a.ugid()) && (exact || a.propagate())) {
                    (a.ugid().startsWith("@") ? groupRoles : userRoles).add(a.role());
                }
            }
            if (!userRoles.isEmpty()) {
                roles = userRoles;
            } else if (!groupRoles.isEmpty()) {
                roles = groupRoles;
            }
        }
        return roles;
    }

    private String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ticketKey, "HmacSHA256"));
            return Base64.getEncoder().withoutPadding().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Set<String>> builtinRoles() {
        Map<String, Set<String>> r = new LinkedHashMap<>();
        r.put("Administrator", Set.copyOf(PRIVILEGES));
        r.put("NoAccess", Set.of());
        Set<String> pveAdmin = new LinkedHashSet<>(PRIVILEGES);
        pveAdmin.removeAll(List.of("Sys.PowerMgmt", "Sys.Modify", "Realm.Allocate", "Permissions.Modify"));
        r.put("PVEAdmin", Set.copyOf(pveAdmin));
        r.put("PVEAuditor", Set.of("Datastore.Audit", "Mapping.Audit", "Pool.Audit", "SDN.Audit", "Sys.Audit",
                "VM.Audit", "VM.GuestAgent.Audit"));
        r.put("PVEDatastoreAdmin", Set.of("Datastore.Allocate", "Datastore.AllocateSpace",
                "Datastore.AllocateTemplate", "Datastore.Audit"));
        r.put("PVEDatastoreUser", Set.of("Datastore.AllocateSpace", "Datastore.Audit"));
        r.put("PVEMappingAdmin", Set.of("Mapping.Audit", "Mapping.Modify", "Mapping.Use"));
        r.put("PVEMappingUser", Set.of("Mapping.Audit", "Mapping.Use"));
        r.put("PVEPoolAdmin", Set.of("Pool.Allocate", "Pool.Audit"));
        r.put("PVEPoolUser", Set.of("Pool.Audit"));
        r.put("PVESDNAdmin", Set.of("SDN.Allocate", "SDN.Audit", "SDN.Use"));
        r.put("PVESDNUser", Set.of("SDN.Audit", "SDN.Use"));
        r.put("PVESysAdmin", Set.of("Permissions.Modify", "Sys.Audit", "Sys.Console", "Sys.Syslog"));
        r.put("PVETemplateUser", Set.of("VM.Audit", "VM.Clone"));
        r.put("PVEUserAdmin", Set.of("Group.Allocate", "Realm.AllocateUser", "User.Modify"));
        Set<String> vmAdmin = new LinkedHashSet<>();
        for (String p : PRIVILEGES) {
            if (p.startsWith("VM.")) {
                vmAdmin.add(p);
            }
        }
        r.put("PVEVMAdmin", Set.copyOf(vmAdmin));
        r.put("PVEVMUser", Set.of("VM.Audit", "VM.Backup", "VM.Config.CDROM", "VM.Config.Cloudinit", "VM.Console",
                "VM.PowerMgmt", "VM.GuestAgent.Audit"));
        return Map.copyOf(r);
    }

    // ---- management (the /access API)

    /**
     * @param userid a userid
     * @return the user
     * @throws PveError 500 {@code no such user} if it does not exist
     */
    public User requireUser(String userid) {
        User u = users.get(userid);
        if (u == null) {
            throw PveError.fail("no such user ('" + userid + "')");
        }
        return u;
    }

    /** @return the groups the user belongs to */
    public List<String> groupsOf(String userid) {
        List<String> out = new ArrayList<>();
        for (Group g : groups.values()) {
            if (g.members.contains(userid)) {
                out.add(g.id);
            }
        }
        return out;
    }

    /**
     * @param u a user
     * @param withTokens whether to list the user's tokens
     * @return the user as {@code /access/users} describes it
     */
    public Map<String, Object> describe(User u, boolean withTokens) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userid", u.userid);
        m.put("enable", u.enabled ? 1 : 0);
        m.put("expire", u.expire);
        putIf(m, "firstname", u.firstname);
        putIf(m, "lastname", u.lastname);
        putIf(m, "email", u.email);
        putIf(m, "comment", u.comment);
        putIf(m, "keys", u.keys);
        m.put("realm-type", u.userid.endsWith("@pam") ? "pam" : "pve");
        m.put("groups", String.join(",", groupsOf(u.userid)));
        if (withTokens) {
            List<Map<String, Object>> tokens = new ArrayList<>();
            u.tokens.forEach((name, t) -> tokens.add(describe(name, t)));
            m.put("tokens", tokens);
        }
        return m;
    }

    /**
     * @param name a token name
     * @param t the token
     * @return the token as {@code /access/users/{userid}/token} describes it (never its secret)
     */
    public static Map<String, Object> describe(String name, Token t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenid", name);
        m.put("privsep", t.privsep ? 1 : 0);
        m.put("expire", t.expire);
        putIf(m, "comment", t.comment);
        return m;
    }

    private static void putIf(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }

    /**
     * Creates or changes a user.
     *
     * @param userid the userid
     * @param create whether it must be new
     * @param attributes firstname, lastname, email, comment, keys, enable, expire, password (create only)
     * @param groupList the groups, or {@code null} to leave them
     * @param append whether to add to the groups rather than replace them
     */
    public void saveUser(String userid, boolean create, Map<String, String> attributes, List<String> groupList,
            boolean append) {
        if (create && users.containsKey(userid)) {
            throw PveError.fail("create user failed: user '" + userid + "' already exists");
        }
        String realm = userid.substring(userid.lastIndexOf('@') + 1);
        if (!realm.equals("pam") && !realm.equals("pve")) {
            throw PveError.fail("create user failed: auth domain '" + realm + "' does not exist");
        }
        if (groupList != null) {
            for (String g : groupList) {
                if (!groups.containsKey(g)) {
                    throw PveError.fail((create ? "create" : "update") + " user failed: no such group '" + g + "'");
                }
            }
        }
        User u = create ? new User(userid) : requireUser(userid);
        attributes.forEach((k, v) -> {
            switch (k) {
                case "firstname" -> u.firstname = v;
                case "lastname" -> u.lastname = v;
                case "email" -> u.email = v;
                case "comment" -> u.comment = v;
                case "keys" -> u.keys = v;
                case "enable" -> u.enabled = "1".equals(v);
                case "expire" -> u.expire = Long.parseLong(v);
                case "password" -> u.password = v;
                default -> {
                }
            }
        });
        users.put(userid, u);
        if (groupList != null) {
            if (!append) {
                for (Group g : groups.values()) {
                    g.members.remove(userid);
                }
            }
            for (String g : groupList) {
                groups.get(g).members.add(userid);
            }
        }
    }

    /** @param userid a user to delete, with its tokens, group memberships and ACL entries */
    public void deleteUser(String userid) {
        requireUser(userid);
        if (userid.equals("root@pam")) {
            throw PveError.fail("delete user failed: refusing to delete root@pam");
        }
        users.remove(userid);
        for (Group g : groups.values()) {
            g.members.remove(userid);
        }
        acls.removeIf(a -> a.ugid().equals(userid) || a.ugid().startsWith(userid + "!"));
    }

    /**
     * @param userid the user
     * @param password the new password
     */
    public void setPassword(String userid, String password) {
        if (userid.endsWith("@pam") && !userid.equals("root@pam")) {
            requireUser(userid);
        }
        if (password.length() < 5) {
            throw PveError.param("password", "value must be at least 5 characters long");
        }
        requireUser(userid).password = password;
    }

    /**
     * @param userid the user
     * @param name the token name
     * @return the token
     */
    public Token requireToken(String userid, String name) {
        Token t = requireUser(userid).tokens.get(name);
        if (t == null) {
            throw PveError.fail("no such token '" + name + "' for user '" + userid + "'");
        }
        return t;
    }

    /**
     * Creates a token with a fresh secret.
     *
     * @param userid the user
     * @param name the token name
     * @param privsep privilege separation
     * @param expire expiry (seconds), 0 for never
     * @param comment a comment, or {@code null}
     * @return the secret
     */
    public String createToken(String userid, String name, boolean privsep, long expire, String comment) {
        User u = requireUser(userid);
        if (u.tokens.containsKey(name)) {
            throw PveError.param("tokenid", "Token already exists.");
        }
        String secret = java.util.UUID.randomUUID().toString();
        u.tokens.put(name, new Token(secret, privsep, expire, comment));
        return secret;
    }

    /**
     * @param userid the user
     * @param name a token to delete, with its ACL entries
     */
    public void deleteToken(String userid, String name) {
        requireToken(userid, name);
        users.get(userid).tokens.remove(name);
        acls.removeIf(a -> a.ugid().equals(userid + "!" + name));
    }

    /**
     * @param userid the user
     * @param name the token
     * @param privsep new privilege separation, or {@code null}
     * @param expire new expiry, or {@code null}
     * @param comment new comment, or {@code null}
     * @param delete options to reset ({@code comment}, {@code expire})
     */
    public void updateToken(String userid, String name, Boolean privsep, Long expire, String comment,
            List<String> delete) {
        Token t = requireToken(userid, name);
        if (privsep != null) {
            t.privsep = privsep;
        }
        if (expire != null) {
            t.expire = expire;
        }
        if (comment != null) {
            t.comment = comment;
        }
        for (String d : delete) {
            switch (d) {
                case "comment" -> t.comment = null;
                case "expire" -> t.expire = 0;
                default -> throw PveError.param("delete", "unknown option '" + d + "'");
            }
        }
    }

    /** @return the groups as {@code /access/groups} lists them */
    public List<Map<String, Object>> describeGroups() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Group g : groups.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("groupid", g.id);
            putIf(m, "comment", g.comment);
            m.put("users", String.join(",", g.members));
            out.add(m);
        }
        return out;
    }

    /**
     * @param id a group id
     * @return the group
     */
    public Group requireGroup(String id) {
        Group g = groups.get(id);
        if (g == null) {
            throw PveError.fail("group '" + id + "' does not exist");
        }
        return g;
    }

    /**
     * @param id a new group
     * @param comment its comment, or {@code null}
     */
    public void createGroup(String id, String comment) {
        if (groups.containsKey(id)) {
            throw PveError.fail("create group failed: group '" + id + "' already exists");
        }
        Group g = new Group(id);
        g.comment = comment;
        groups.put(id, g);
    }

    /**
     * @param id a group
     * @param comment its new comment
     */
    public void updateGroup(String id, String comment) {
        requireGroup(id).comment = comment;
    }

    /** @param id a group to delete, with its ACL entries */
    public void deleteGroup(String id) {
        requireGroup(id);
        groups.remove(id);
        acls.removeIf(a -> a.ugid().equals("@" + id));
    }

    /**
     * @param g a group
     * @return its comment and members
     */
    public Map<String, Object> describe(Group g) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "comment", g.comment);
        m.put("members", new ArrayList<>(g.members));
        return m;
    }

    /** @return the roles as {@code /access/roles} lists them */
    public List<Map<String, Object>> describeRoles() {
        List<Map<String, Object>> out = new ArrayList<>();
        BUILTIN_ROLES.forEach((id, privs) -> out.add(Map.of("roleid", id, "privs", String.join(",", new TreeSet<>(privs)),
                "special", 1)));
        customRoles.forEach((id, privs) -> out.add(Map.of("roleid", id, "privs", String.join(",", new TreeSet<>(privs)),
                "special", 0)));
        return out;
    }

    /**
     * Creates or changes a custom role.
     *
     * @param id the role
     * @param privs privileges
     * @param create whether it must be new
     * @param append whether to add to the privileges rather than replace them
     */
    public void saveRole(String id, List<String> privs, boolean create, boolean append) {
        if (BUILTIN_ROLES.containsKey(id)) {
            throw PveError.fail(create ? "create role failed: role '" + id + "' already exists"
                    : "auto-generated role '" + id + "' cannot be modified");
        }
        if (create && customRoles.containsKey(id)) {
            throw PveError.fail("create role failed: role '" + id + "' already exists");
        }
        if (!create && !customRoles.containsKey(id)) {
            throw PveError.fail("role '" + id + "' does not exist");
        }
        for (String p : privs) {
            if (!PRIVILEGES.contains(p)) {
                throw PveError.param("privs", "invalid privilege '" + p + "'");
            }
        }
        Set<String> set = create || !append ? new LinkedHashSet<>() : new LinkedHashSet<>(customRoles.get(id));
        set.addAll(privs);
        customRoles.put(id, set);
    }

    /** @param id a custom role to delete, with its ACL entries */
    public void deleteRole(String id) {
        if (BUILTIN_ROLES.containsKey(id)) {
            throw PveError.fail("auto-generated role '" + id + "' cannot be deleted");
        }
        if (customRoles.remove(id) == null) {
            throw PveError.fail("role '" + id + "' does not exist");
        }
        acls.removeIf(a -> a.role().equals(id));
    }

    /** @return the ACL entries (live) */
    public List<Acl> acls() {
        return acls;
    }

    /**
     * Adds or removes ACL entries, as {@code PUT /access/acl} does.
     *
     * @param path the path
     * @param roles the roles
     * @param userList users
     * @param groupList groups
     * @param tokenList tokens
     * @param propagate propagation
     * @param delete whether to remove rather than add
     */
    public void updateAcl(String path, List<String> roles, List<String> userList, List<String> groupList,
            List<String> tokenList, boolean propagate, boolean delete) {
        for (String role : roles) {
            if (!roleExists(role)) {
                throw PveError.fail("role '" + role + "' does not exist");
            }
            for (String g : groupList) {
                requireGroup(g);
                apply(path, "@" + g, role, propagate, delete);
            }
            for (String u : userList) {
                if (!users.containsKey(u)) {
                    throw PveError.fail("user '" + u + "' does not exist");
                }
                apply(path, u, role, propagate, delete);
            }
            for (String t : tokenList) {
                int bang = t.indexOf('!');
                if (bang < 0 || !users.containsKey(t.substring(0, bang))
                        || !users.get(t.substring(0, bang)).tokens.containsKey(t.substring(bang + 1))) {
                    throw PveError.fail("no such token '" + (bang < 0 ? t : t.substring(bang + 1)) + "' for user '"
                            + (bang < 0 ? "" : t.substring(0, bang)) + "'");
                }
                apply(path, t, role, propagate, delete);
            }
        }
    }

    private void apply(String path, String ugid, String role, boolean propagate, boolean delete) {
        if (delete) {
            acls.removeIf(a -> a.path().equals(path) && a.ugid().equals(ugid) && a.role().equals(role));
        } else {
            addAcl(path, ugid, role, propagate);
        }
    }

    /** Authentication failed; the message is Proxmox's. */
    public static final class AuthException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public AuthException(String message) {
            super(message);
        }
    }
}
