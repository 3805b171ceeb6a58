package io.pvemcp.runtime;

import java.io.Console;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import io.pvemcp.api.Limits;
import io.pvemcp.security.store.SecureFiles;
import io.pvemcp.security.store.Tokens;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code proxmox-mcp init}: sets the server up for a Proxmox VE cluster. Asks what is missing on a terminal, takes
 * everything from options and {@code PROXMOX_*} variables otherwise; looks at the node's certificate and asks to trust
 * it, tests the connection, and only then writes {@code conf/io.pvemcp.pve.client.cfg} (mode 0600), creates the
 * signing key and prints a first token with the client configurations to paste.
 */
@Command(name = "init", mixinStandardHelpOptions = true, description = {
    "Sets the server up for your Proxmox VE cluster: connection, certificate trust, a first client token.",
    "On a terminal it asks for what the options and PROXMOX_* variables do not give; with --yes it never asks.",
    "Nothing is written unless the connection works. Exit code 0 when set up, 1 when the connection or the "
        + "certificate check failed, 2 when something needed is missing."})
final class InitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", description = "The node: https://pve1.example.com:8006, or a host name "
            + "or address (PROXMOX_HOST, PROXMOX_PORT).")
    String url;

    @Option(names = "--token-id", paramLabel = "ID", description = "API token id, e.g. root@pam!mcp (PROXMOX_TOKEN_ID).")
    String tokenId;

    @Option(names = "--token-secret", paramLabel = "SECRET", description = "API token secret (PROXMOX_TOKEN_SECRET; "
            + "prefer the variable: options show in the process list).")
    String tokenSecret;

    @Option(names = "--username", paramLabel = "USER", description = "Instead of a token: user, e.g. root@pam "
            + "(PROXMOX_USERNAME).")
    String username;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Its password (PROXMOX_PASSWORD).")
    String password;

    @Option(names = "--fingerprint", paramLabel = "SHA256", description = "Trust the node's certificate only if it has "
            + "this SHA-256 fingerprint (PROXMOX_FINGERPRINT; Node > System > Certificates).")
    String fingerprint;

    @Option(names = "--trust", description = "Trust the certificate the node presents, whatever it is (only on a network "
            + "you trust).")
    boolean trust;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "Trust certificates signed by this CA (PEM, e.g. a "
            + "copy of /etc/pve/pve-root-ca.pem) instead of pinning (PROXMOX_CA_FILE).")
    Path caFile;

    @Option(names = "--scopes", paramLabel = "SCOPES", description = "Scopes of the first client token (default: "
            + "proxmox:read,proxmox:power).")
    String scopes = "proxmox:read,proxmox:power";

    @Option(names = "--client-name", paramLabel = "NAME", description = "Name of the first client token (default: "
            + "first-client).")
    String clientName = "first-client";

    @Option(names = {"-y", "--yes"}, description = "Never ask: take everything from options and variables.")
    boolean yes;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Add a further cluster named NAME "
            + "(conf/io.pvemcp.pve.cluster~NAME.cfg) instead of configuring the default one; no token is created.")
    String cluster;

    @Option(names = "--force", description = "Replace an existing Proxmox configuration.")
    boolean force;

    @Option(names = "--data", paramLabel = "DIR", description = "The server's state folder (default: data/ in the "
            + "distribution, or PVEMCP_DATA).")
    Path data;

    @Option(names = "--json", description = "Print JSON for scripts (implies --yes).")
    boolean json;

    private Terminal t;
    private Console console;

    @Override
    public Integer call() throws Exception {
        t = new Terminal(spec.commandLine().getOut(), spec.commandLine().getErr());
        console = yes || json ? null : System.console();
        Map<String, String> env = System.getenv();
        Path home = Home.locate();
        if (cluster != null && !cluster.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            return fail(2, "--cluster: '" + cluster + "' is not a valid cluster name (letters, digits, '.', '_' and "
                    + "'-', up to 64 characters).");
        }
        Path conf = Home.conf(home).resolve(cluster == null ? ProxmoxSetup.PID + ".cfg"
                : Clusters.FACTORY_PID + "~" + cluster + ".cfg");
        if (cluster != null && Clusters.configured(SecuritySetup.read(home)).containsKey(cluster) && !force
                && !configured(conf)) {
            return fail(2, "A cluster named " + cluster + " is configured already (the default connection's name); "
                    + "choose another name.");
        }
        if (!force && configured(conf)) {
            if (console == null || !confirm("A Proxmox connection is configured in " + conf + ". Replace it?", false)) {
                return fail(2, "A Proxmox connection is configured already in " + conf + "; pass --force to replace it.");
            }
        }

        String target = first(url, env.get("PROXMOX_HOST"));
        if (target == null) {
            target = ask("Proxmox VE node (host name, address or https://host:8006)", null);
        }
        if (target == null || target.isBlank()) {
            return fail(2, "Which Proxmox VE node? Pass --url (or PROXMOX_HOST).");
        }
        URI node = node(target, first(env.get("PROXMOX_PORT"), null));
        String id = first(tokenId, env.get("PROXMOX_TOKEN_ID"));
        String secret = first(tokenSecret, env.get("PROXMOX_TOKEN_SECRET"));
        String user = first(username, env.get("PROXMOX_USERNAME"));
        String pass = first(password, env.get("PROXMOX_PASSWORD"));
        if (id == null && user == null && console != null) {
            String how = ask("Sign in with an API token (t) or user and password (p)?", "t");
            if (how != null && how.toLowerCase(Locale.ROOT).startsWith("p")) {
                user = ask("User (e.g. root@pam)", "root@pam");
            } else {
                id = ask("API token id (Datacenter > Permissions > API Tokens, e.g. root@pam!mcp)", null);
            }
        }
        if (id != null && secret == null) {
            secret = secret("API token secret");
        }
        if (user != null && id == null && pass == null) {
            pass = secret("Password of " + user);
        }
        if ((id == null || secret == null) && (user == null || pass == null)) {
            return fail(2, "How should the server sign in to Proxmox VE? Give --token-id and PROXMOX_TOKEN_SECRET (an API "
                    + "token, preferred), or --username and PROXMOX_PASSWORD.");
        }

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("host", node.getHost());
        settings.put("port", Integer.toString(node.getPort()));
        if (id != null) {
            settings.put("token.id", id);
            settings.put("token.secret", secret);
        } else {
            settings.put("username", user);
            settings.put("password", pass);
        }
        String ca = caFile != null ? caFile.toAbsolutePath().toString() : env.get("PROXMOX_CA_FILE");
        String pinned = first(fingerprint, env.get("PROXMOX_FINGERPRINT"));
        Map<String, Object> certificate = new LinkedHashMap<>();
        if (ca != null && !ca.isBlank()) {
            if (!Files.isRegularFile(Path.of(ca))) {
                return fail(2, "The CA file " + ca + " does not exist.");
            }
            settings.put("ca.file", ca);
            certificate.put("trust", "ca-file");
        } else {
            ProxmoxSetup.Presented p;
            try (Terminal.Spinner s = json ? null : t.spinner("Looking at the certificate of " + node.getHost())) {
                p = ProxmoxSetup.presented(node.getHost(), node.getPort());
            } catch (IOException e) {
                return fail(1, e.getMessage());
            }
            certificate.put("fingerprint", p.fingerprint());
            certificate.put("subject", p.subject());
            certificate.put("issuer", p.issuer());
            certificate.put("expires", p.notAfter());
            if (pinned != null) {
                if (!ProxmoxSetup.sameFingerprint(pinned, p.fingerprint())) {
                    return fail(1, "The node presented a certificate with fingerprint " + p.fingerprint() + ", not the "
                            + "expected " + pinned + ". Do not connect until you know why (another machine answering?).");
                }
                settings.put("fingerprint", p.fingerprint());
                certificate.put("trust", "fingerprint");
            } else if (p.trusted()) {
                certificate.put("trust", "system");
            } else if (trust) {
                settings.put("fingerprint", p.fingerprint());
                certificate.put("trust", "fingerprint");
            } else if (console != null) {
                t.println("The node's certificate is not signed by a CA this machine trusts (normal for a fresh node):");
                t.println("  subject      " + p.subject());
                t.println("  issuer       " + p.issuer());
                t.println("  expires      " + p.notAfter());
                t.println("  fingerprint  " + t.style("@|bold " + p.fingerprint() + "|@"));
                t.println(t.dim("Compare it with Node > System > Certificates in the Proxmox VE web interface."));
                if (!confirm("Trust this certificate (pin its fingerprint)?", false)) {
                    return fail(1, "The certificate was not trusted; nothing was written. Pass --ca-file with the "
                            + "cluster's CA (/etc/pve/pve-root-ca.pem) to trust it another way.");
                }
                settings.put("fingerprint", p.fingerprint());
                certificate.put("trust", "fingerprint");
            } else {
                return fail(1, "The node's certificate (SHA-256 " + p.fingerprint() + ") is not signed by a trusted "
                        + "CA. Check it in Node > System > Certificates, then pass --fingerprint " + p.fingerprint()
                        + " (or --ca-file, or --trust).");
            }
        }

        Map<String, Object> proxmox;
        try (Terminal.Spinner s = json ? null : t.spinner("Testing the connection to " + node.getHost())) {
            proxmox = ProxmoxSetup.check(settings);
        } catch (IOException e) {
            return fail(1, e.getMessage() + " Nothing was written.");
        }

        write(conf, settings);
        if (cluster != null) {
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("ok", true);
                out.put("cluster", cluster);
                out.put("proxmox", proxmox);
                out.put("certificate", certificate);
                out.put("config", conf.toString());
                t.println(McpHttpClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
                return 0;
            }
            t.println(t.ok("Connected") + " to Proxmox VE " + proxmox.get("version") + " at " + proxmox.get("url")
                    + ".");
            t.println("Saved cluster " + cluster + " in " + conf + " (readable by you only). Restart the server to "
                    + "offer it; tools then take cluster: " + cluster + ", and proxmox-mcp token create --clusters "
                    + cluster + " makes a token for it alone.");
            return 0;
        }
        Path dataDir = Home.data(home, data);
        SecureFiles.privateDirectory(dataDir);
        Configurations config = SecuritySetup.read(home);
        String resource = SecuritySetup.resource(config, SecuritySetup.tls(config.asMap().get(SecuritySetup.TLS_PID)),
                null, null);
        Tokens tokens = SecuritySetup.tokens(config, dataDir, resource);
        Set<String> scopeSet = new LinkedHashSet<>();
        for (String s : scopes.split(",")) {
            if (!s.isBlank()) {
                scopeSet.add(s.strip());
            }
        }
        Tokens.Issued issued;
        try {
            issued = tokens.issueJwt(clientName + "-" + Instant.now().getEpochSecond(), null, scopeSet,
                    Duration.ofDays(90), Limits.NONE);
        } catch (IllegalArgumentException e) {
            return fail(2, e.getMessage() + " The connection was saved in " + conf + "; create a token with: proxmox-mcp "
                    + "token create.");
        }

        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", true);
            out.put("proxmox", proxmox);
            out.put("certificate", certificate);
            out.put("config", conf.toString());
            out.put("url", resource);
            out.put("token", issued.token());
            out.put("token_id", issued.record().id());
            out.put("scopes", scopeSet);
            t.println(McpHttpClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
            return 0;
        }
        t.println(t.ok("Connected") + " to Proxmox VE " + proxmox.get("version") + " at " + proxmox.get("url") + ".");
        t.println("Saved the connection in " + conf + " (readable by you only).");
        t.println("A first client token '" + issued.record().name() + "' (" + String.join(" ", scopeSet)
                + ", valid 90 days); it is shown only now:");
        t.println("");
        t.println(issued.token());
        t.print(Banner.clients(resource, issued.token(), false, false));
        t.println("Start the server with: " + home.resolve("bin/proxmox-mcp") + " serve");
        return 0;
    }

    private static boolean configured(Path conf) throws IOException {
        if (!Files.isRegularFile(conf)) {
            return false;
        }
        for (String line : Files.readAllLines(conf, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#") && !l.startsWith("!")) {
                return true;
            }
        }
        return false;
    }

    private static void write(Path conf, Map<String, Object> settings) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# The Proxmox VE connection, written by 'proxmox-mcp init' on ").append(Instant.now()).append(".\n");
        b.append("# Holds a secret: keep this file readable by the server's user only. PROXMOX_* variables override it;\n");
        b.append("# check it with: proxmox-mcp test-connection\n");
        for (var e : settings.entrySet()) {
            b.append(e.getKey()).append(" = ").append(escape(String.valueOf(e.getValue()))).append('\n');
        }
        SecureFiles.write(conf, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Escapes a value for a Java properties file. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        if (b.length() > 0 && b.charAt(0) == ' ') {
            b.insert(0, '\\');
        }
        return b.toString();
    }

    static URI node(String target, String port) {
        String t = target.strip();
        if (!t.contains("://")) {
            t = "https://" + t;
        }
        URI u = URI.create(t);
        int p = u.getPort() > 0 ? u.getPort() : port != null ? Integer.parseInt(port.strip()) : 8006;
        return URI.create("https://" + u.getHost() + ":" + p);
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a.strip() : b != null && !b.isBlank() ? b.strip() : null;
    }

    private String ask(String question, String fallback) throws IOException {
        if (console == null) {
            return fallback;
        }
        String line = console.readLine("%s%s: ", question, fallback == null ? "" : " [" + fallback + "]");
        return line == null || line.isBlank() ? fallback : line.strip();
    }

    private String secret(String question) throws IOException {
        if (console == null) {
            return null;
        }
        char[] s = console.readPassword("%s: ", question);
        return s == null || s.length == 0 ? null : new String(s);
    }

    private boolean confirm(String question, boolean fallback) throws IOException {
        String a = ask(question + (fallback ? " [Y/n]" : " [y/N]"), null);
        return a == null ? fallback : a.toLowerCase(Locale.ROOT).startsWith("y");
    }

    private int fail(int code, String message) throws IOException {
        if (json) {
            t.println(McpHttpClient.JSON.writeValueAsString(Map.of("ok", false, "error", message)));
        } else {
            t.error(t.bad("init: ") + message);
        }
        return code;
    }
}
