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

    static String serve(String version, String host, int port, String listenHost, String simulatorUrl,
            String simulated) {
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/mcp";
        StringBuilder b = new StringBuilder();
        b.append('\n').append("Proxmox MCP Server ").append(version).append(" is ready")
                .append(simulatorUrl != null ? " (demo mode)" : "").append(".\n\n");
        b.append("  MCP endpoint   ").append(url).append('\n');
        if (simulatorUrl != null) {
            b.append("  Proxmox VE     ").append(simulated).append(" at ").append(simulatorUrl).append('\n');
        }
        b.append("  Health         http://").append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port)
                .append("/readyz\n\n");
        b.append("Connect an MCP client:\n");
        b.append("  Claude Code    claude mcp add --transport http proxmox ").append(url).append('\n');
        b.append("  Cursor         ~/.cursor/mcp.json\n");
        b.append("                 {\"mcpServers\": {\"proxmox\": {\"url\": \"").append(url).append("\"}}}\n");
        b.append("  VS Code        .vscode/mcp.json\n");
        b.append("                 {\"servers\": {\"proxmox\": {\"type\": \"http\", \"url\": \"").append(url).append("\"}}}\n");
        b.append("  Inspector      npx @modelcontextprotocol/inspector  (transport Streamable HTTP, URL above)\n\n");
        if (!listenHost.equals("127.0.0.1") && !listenHost.equals("localhost") && !listenHost.equals("::1")) {
            b.append("Warning: the server listens on ").append(listenHost).append(" and authentication is not "
                    + "available yet: anyone who can reach this port can use it.\n");
        }
        b.append("Press Ctrl+C to stop.\n");
        return b.toString();
    }
}
