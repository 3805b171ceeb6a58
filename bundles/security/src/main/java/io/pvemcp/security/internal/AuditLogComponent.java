package io.pvemcp.security.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.pvemcp.api.Caller;
import io.pvemcp.security.AuditEvent;
import io.pvemcp.security.AuditLog;
import io.pvemcp.security.store.AuditChain;
import io.pvemcp.security.store.AuditTrail;
import io.pvemcp.security.store.SharedState;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit events to the hash-chained {@link AuditTrail} (or the shared state's trail), with secrets redacted
 * from arguments.
 */
@Component(service = AuditLog.class, configurationPid = "io.pvemcp.audit")
@Designate(ocd = AuditConfig.class)
public final class AuditLogComponent implements AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLogComponent.class);
    static final String REDACTED = "[redacted]";
    /**
     * Member names that suggest a secret, lower-cased: anything with pass (password, passwd, passphrase, cloud-init's
     * cipassword), pwd, secret, token, private, credential, cookie, auth (authorization, auth_key), ticket or csrf in
     * it, and key as a name or its last part (key, api_key, apikey, secretKey, ssh_private_key); not public keys
     * ({@code ssh_keys}, {@code sshkeys} hold public keys, which are no secret).
     */
    private static final Pattern SECRET = Pattern.compile(
            ".*(pass|pwd|secret|token|private|credential|cookie|auth|ticket|csrf).*|(.*[^h])?key");
    /** Values that are credentials whatever their member is called: JWTs, our API keys, Proxmox API tokens. */
    private static final Pattern SECRET_VALUE = Pattern.compile(
            "eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.|pvemcp_[0-9a-f]{12}_|PVEAPIToken=|PVEAuthCookie=");
    private static final int MAX_STRING = 1000;
    private static final int MAX_DEPTH = 6;

    private final AuditChain trail;
    private volatile String failure;

    /**
     * @param state the state replicas share, whose trail is used instead of the files of {@code dir}; with a state
     *        database configured, the launcher makes this reference mandatory ({@code state.cardinality.minimum})
     */
    @Activate
    public AuditLogComponent(AuditConfig config, @Reference(name = "state", cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = ReferencePolicyOption.GREEDY) SharedState state) throws IOException {
        this.trail = state != null ? state.audit() : new AuditTrail(Path.of(config.dir()), config.max_file_bytes());
    }

    @Deactivate
    void deactivate() throws IOException {
        trail.close();
    }

    @Override
    public void record(AuditEvent e) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("time", e.time().toString());
        Caller c = e.caller();
        Map<String, Object> caller = new LinkedHashMap<>();
        caller.put("subject", c.subject());
        put(caller, "token", c.tokenId());
        put(caller, "token_name", c.tokenName());
        put(caller, "client", c.clientName() == null ? null : c.clientName()
                + (c.clientVersion() == null ? "" : " " + c.clientVersion()));
        put(caller, "address", c.remoteAddress());
        put(caller, "transport", c.transport());
        put(caller, "session", c.sessionId());
        entry.put("caller", caller);
        entry.put("action", e.action());
        put(entry, "target", e.target());
        entry.put("arguments", redact(e.arguments(), 0));
        entry.put("outcome", e.outcome());
        put(entry, "message", e.message() == null ? null : truncate(e.message()));
        entry.put("duration_ms", e.durationMillis());
        entry.put("tasks", e.tasks() == null ? List.of() : e.tasks());
        put(entry, "confirmation", e.confirmation());
        try {
            trail.append(entry);
            failure = null;
        } catch (IOException | RuntimeException ex) {
            failure = "the audit log in " + trail.where() + " cannot be written (" + ex.getClass().getSimpleName() + ")";
            LOG.error("Cannot write the audit log in {}: {}", trail.where(), ex.toString());
        }
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** @return the value with every member whose name suggests a secret replaced, and long strings shortened */
    static Object redact(Object value, int depth) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (var e : map.entrySet()) {
                String k = String.valueOf(e.getKey());
                boolean secret = SECRET.matcher(k.toLowerCase(Locale.ROOT)).matches();
                out.put(k, secret && e.getValue() != null ? REDACTED
                        : depth >= MAX_DEPTH ? "[nested too deep]" : redact(e.getValue(), depth + 1));
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(depth >= MAX_DEPTH ? "[nested too deep]" : redact(o, depth + 1));
            }
            return out;
        }
        if (value instanceof String s) {
            return SECRET_VALUE.matcher(s).find() ? REDACTED : truncate(s);
        }
        return value == null || value instanceof Number || value instanceof Boolean ? value : truncate(value.toString());
    }

    private static String truncate(String s) {
        return s.length() <= MAX_STRING ? s : s.substring(0, MAX_STRING) + "... [" + (s.length() - MAX_STRING)
                + " more characters]";
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public List<Map<String, Object>> latest(int count) {
        try {
            return trail.latest(count);
        } catch (IOException e) {
            LOG.warn("Cannot read the audit log in {}: {}", trail.where(), e.toString());
            return List.of();
        }
    }
}
