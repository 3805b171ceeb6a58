package io.pvemcp.runtime;

/** What the server prints on standard output once it is ready: where it is and how to connect a client. */
final class Banner {

    private Banner() {
    }

    /**
     * @param cluster the cluster name
     * @param nodes the node names, comma-separated
     * @param guests the number of guests
     * @return how the banner describes a simulated cluster
     */
    static String simulated(Object cluster, Object nodes, Object guests) {
        String[] names = String.valueOf(nodes).split(",");
        String list = names.length <= 4 ? String.join(", ", names) : names[0] + " ... " + names[names.length - 1];
        return "simulated cluster \"" + cluster + "\" (Proxmox VE 9.1, " + names.length + " nodes: " + list + "; "
                + guests + " guests)";
    }

    static String serve(String version, String url, String listenHost, String simulatorUrl, String simulated,
            boolean authOff, String token) {
        return serve(version, url, listenHost, simulatorUrl, simulated, authOff, token, false, null);
    }

    static String serve(String version, String url, String listenHost, String simulatorUrl, String simulated,
            boolean authOff, String token, boolean console, java.nio.file.Path deploy) {
        String origin = url.substring(0, url.indexOf('/', url.indexOf("//") + 2));
        StringBuilder b = new StringBuilder();
        b.append('\n').append("Proxmox MCP Server ").append(version).append(" is ready")
                .append(simulatorUrl != null ? " (demo mode)" : "").append(".\n\n");
        b.append("  MCP endpoint   ").append(url).append('\n');
        if (simulatorUrl != null) {
            b.append("  Proxmox VE     ").append(simulated).append(" at ").append(simulatorUrl).append('\n');
        }
        b.append("  Health         ").append(origin).append("/readyz\n");
        if (console) {
            b.append("  Admin console  ").append(origin).append("/system/console/mcp-tools (from this machine)\n");
        }
        if (deploy != null) {
            b.append("  Plugins        drop tool bundles into ").append(deploy).append('\n');
        }
        if (authOff) {
            b.append("  Authentication OFF: clients on this machine need no token\n");
        } else if (token != null) {
            b.append("  Token          ").append(token).append('\n');
            b.append("                 (scope proxmox:admin, valid 24 h; more with: proxmox-mcp token create)\n");
        } else {
            b.append("  Authentication bearer tokens; create one with: proxmox-mcp token create --name NAME "
                    + "--scopes proxmox:read\n");
        }
        b.append(clients(url, token, authOff, simulatorUrl != null));
        if (!ServeCommand.isLoopback(listenHost) && url.startsWith("http:")) {
            b.append("Warning: the server listens on ").append(listenHost).append(" without TLS: tokens cross the network "
                    + "in clear text. Configure MCP_TLS_CERT and MCP_TLS_KEY, or put a TLS proxy in front.\n");
        }
        b.append("Press Ctrl+C to stop.\n");
        return b.toString();
    }

    /**
     * @param url the MCP endpoint
     * @param token the token to show, or {@code null} for a placeholder
     * @param authOff whether the server runs without authentication
     * @param demo whether the stdio server should start the simulator too
     * @return how to connect the common MCP clients, ready to paste
     */
    static String clients(String url, String token, boolean authOff, boolean demo) {
        StringBuilder b = new StringBuilder();
        String shown = token != null ? token : "TOKEN";
        String header = authOff ? "" : " --header \"Authorization: Bearer " + shown + "\"";
        String headers = authOff ? "" : ", \"headers\": {\"Authorization\": \"Bearer " + shown + "\"}";
        b.append('\n').append("Connect an MCP client:\n");
        b.append("  Claude Code    claude mcp add --transport http proxmox ").append(url).append(header).append('\n');
        b.append("  Cursor         ~/.cursor/mcp.json\n");
        b.append("                 {\"mcpServers\": {\"proxmox\": {\"url\": \"").append(url).append('"').append(headers)
                .append("}}}\n");
        b.append("  VS Code        .vscode/mcp.json\n");
        b.append("                 {\"servers\": {\"proxmox\": {\"type\": \"http\", \"url\": \"").append(url).append('"')
                .append(headers).append("}}}\n");
        String command = Home.locate().resolve("bin").resolve("proxmox-mcp").toAbsolutePath().toString();
        b.append("  Claude Desktop claude_desktop_config.json (it starts its own server over stdio; no token needed)\n");
        b.append("                 {\"mcpServers\": {\"proxmox\": {\"command\": \"").append(command.replace("\\", "\\\\"))
                .append("\", \"args\": [\"stdio\"").append(demo ? ", \"--demo\"" : "").append("]}}}\n");
        b.append("  Inspector      npx @modelcontextprotocol/inspector  (transport Streamable HTTP, URL above")
                .append(authOff ? "" : ", header Authorization: Bearer <token>").append(")\n\n");
        return b.toString();
    }
}
