package io.pvemcp.runtime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.pvemcp.security.store.AuditTrail;
import io.pvemcp.security.store.PostgresState;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code proxmox-mcp audit}: the audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Works with the audit log of tool calls.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Checks the audit log's hash chain: reports the first edited, deleted, inserted or reordered entry.",
        "With a state database configured (MCP_STATE_DB_URL), checks the trail the replicas share there.",
        "Exit code 0 when intact, 1 when broken."})
    static final class Verify implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", paramLabel = "DIR", description = "The server's state folder (default: data/ in the "
                + "distribution, or PVEMCP_DATA).")
        Path data;

        @Option(names = "--dir", paramLabel = "DIR", description = "The audit folder itself (default: DATA/audit).")
        Path dir;

        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Path home = Home.locate();
            Configurations config = SecuritySetup.read(home);
            PostgresState state = dir != null ? null : SecuritySetup.state(config);
            String where;
            AuditTrail.Verification v;
            if (state != null) {
                try (state) {
                    where = state.where();
                    v = state.audit().verify();
                }
            } else {
                Path auditDir = dir != null ? dir : SecuritySetup.auditDir(config, Home.data(home, data));
                where = auditDir.toString();
                v = AuditTrail.verify(auditDir);
            }
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("intact", v.intact());
                m.put("entries", v.entries());
                m.put("files", v.files());
                m.put("last_seq", v.lastSeq());
                m.put("problem", v.problem());
                m.put(state != null ? "database" : "dir", where);
                spec.commandLine().getOut().println(TokenCommand.JSON.writeValueAsString(m));
            } else if (v.intact()) {
                spec.commandLine().getOut().println("Audit log intact: " + v.entries() + " entries in " + (state != null
                        ? "the database " + where : v.files() + " file" + (v.files() == 1 ? "" : "s") + " (" + where + ")")
                        + ".");
            } else {
                spec.commandLine().getOut().println("Audit log BROKEN in " + where + ": " + v.problem() + ". " + v.entries()
                        + " entries before it verify.");
            }
            return v.intact() ? 0 : 1;
        }
    }
}
