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

    private static final Map<String, Set<String>> BUILTIN_ROLES = builtinRoles();

    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, Set<String>> groups = new LinkedHashMap<>();
    private final List<Acl> acls = new ArrayList<>();
    private final byte[] ticketKey = new byte[32];
    private final SecureRandom random = new SecureRandom();

    Access() {
        random.nextBytes(ticketKey);
    }

    /** A user account. */
    static final class User {
        final String userid;
        String password;
        boolean enabled = true;
        long expire;
        final Map<String, Token> tokens = new LinkedHashMap<>();

        User(String userid) {
            this.userid = userid;
        }
    }

    /** An API token of a user. */
    record Token(String secret, boolean privsep, long expire) {
    }

    /** An ACL entry: {@code ugid} is a userid, a {@code @group} or a token id. */
    record Acl(String path, String ugid, String role, boolean propagate) {
    }

    void addUser(String userid, String password) {
        users.computeIfAbsent(userid, User::new).password = password;
    }

    void addToken(String userid, String tokenName, String secret, boolean privsep) {
        users.computeIfAbsent(userid, User::new).tokens.put(tokenName, new Token(secret, privsep, 0));
    }

    void addGroupMember(String group, String userid) {
        groups.computeIfAbsent(group, g -> new LinkedHashSet<>()).add(userid);
    }

    void addAcl(String path, String ugid, String role, boolean propagate) {
        acls.add(new Acl(path, ugid, role, propagate));
    }

    /**
     * Checks a username and password.
     *
     * @return the canonical userid
     * @throws AuthException if they do not match an enabled user
     */
    public String authenticate(String userid, String password) {
        User u = users.get(userid);
        if (u == null || !u.enabled || u.password == null || !constantTimeEquals(u.password, password)) {
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
        Token t = u.tokens.get(name);
        if (t == null) {
            throw new AuthException("no such token '" + name + "' for user '" + userid + "'");
        }
        if (t.expire() > 0 && t.expire() < System.currentTimeMillis() / 1000) {
            throw new AuthException("token '" + name + "' access expired");
        }
        if (!constantTimeEquals(t.secret(), secret)) {
            throw new AuthException("invalid token value!");
        }
        return tokenId;
    }

    /** @return a new ticket for {@code userid}, in Proxmox's format {@code PVE:user:HEXTIME::signature} */
    public String createTicket(String userid) {
        String plain = "PVE:" + userid + ":" + String.format(Locale.ROOT, "%08X", System.currentTimeMillis() / 1000);
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
        long issued = Long.parseLong(parts[2], 16);
        long age = System.currentTimeMillis() / 1000 - issued;
        if (age < -300 || age > TICKET_LIFETIME_SECONDS) {
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
        String time = String.format(Locale.ROOT, "%08X", System.currentTimeMillis() / 1000);
        return time + ":" + sign(time + ":" + userid);
    }

    /** @throws AuthException if {@code token} is not a valid CSRF token for {@code userid} */
    public void verifyCsrfToken(String userid, String token) {
        int colon = token == null ? -1 : token.indexOf(':');
        if (colon < 0 || !constantTimeEquals(sign(token.substring(0, colon) + ":" + userid), token.substring(colon + 1))) {
            throw new AuthException("Permission denied - invalid csrf token");
        }
        long age = System.currentTimeMillis() / 1000 - Long.parseLong(token.substring(0, colon), 16);
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
        if (t == null || !t.privsep()) {
            return user;
        }
        Set<String> token = aclPrivileges(Set.of(authid), path);
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
        for (var g : groups.entrySet()) {
            if (g.getValue().contains(userid)) {
                ids.add("@" + g.getKey());
            }
        }
        return aclPrivileges(ids, path);
    }

    /** Applies the ACLs for the given ids along {@code path}: the deepest applicable level decides. */
    private Set<String> aclPrivileges(Set<String> ids, String path) {
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
        Set<String> privs = new LinkedHashSet<>();
        if (roles == null || roles.contains("NoAccess")) {
            return privs;
        }
        for (String role : roles) {
            privs.addAll(BUILTIN_ROLES.getOrDefault(role, Set.of()));
        }
        return privs;
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

    /** Authentication failed; the message is Proxmox's. */
    public static final class AuthException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public AuthException(String message) {
            super(message);
        }
    }
}
