package io.pvemcp.tools.system.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import io.pvemcp.api.Arguments;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Cancellation;
import io.pvemcp.api.LogLevel;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.api.pve.ProxmoxException;

/** A scripted Proxmox client and a tool call for unit tests. */
final class Fakes {

    private Fakes() {
    }

    /** Answers requests by "METHOD path" (the filled path); an unknown request fails as a real node would. */
    static final class Proxmox implements ProxmoxClient {
        final Map<String, Object> answers;
        ConnectionInfo info = new ConnectionInfo(true, "https://pve1:8006/api2/json", "pve1", 8006, "token",
                "root@pam!mcp", "verified");
        final List<String> requests = new ArrayList<>();

        Proxmox(Map<String, Object> answers) {
            this.answers = answers;
        }

        @Override
        public CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
            String filled = path;
            for (var e : params.entrySet()) {
                filled = filled.replace("{" + e.getKey() + "}", String.valueOf(e.getValue()));
            }
            String key = method + " " + filled;
            requests.add(key);
            Object answer = answers.get(key);
            if (answer instanceof ProxmoxException e) {
                return CompletableFuture.failedFuture(e);
            }
            if (answer == null && !answers.containsKey(key)) {
                return CompletableFuture.failedFuture(new ProxmoxException(ProxmoxException.Kind.NOT_IMPLEMENTED, 501,
                        "not scripted: " + key, null, Map.of(), method, filled, null));
            }
            return CompletableFuture.completedFuture(answer);
        }

        @Override
        public CompletableFuture<io.pvemcp.api.pve.TaskResult> awaitTask(String upid, java.time.Duration timeout,
                java.util.function.Consumer<io.pvemcp.api.pve.TaskResult> progress) {
            throw new UnsupportedOperationException("no tasks here");
        }

        @Override
        public ConnectionInfo connection() {
            return info;
        }
    }

    static ProxmoxException failure(ProxmoxException.Kind kind, String message) {
        return new ProxmoxException(kind, 0, message, null, Map.of(), "GET", "/", null);
    }

    /** A tool call with fixed arguments that records progress. */
    static final class Call implements ToolCall {
        final Arguments arguments;
        final ProxmoxClient proxmox;
        final List<String> progress = new ArrayList<>();

        Call(Map<String, Object> arguments, ProxmoxClient proxmox) {
            this.arguments = new Arguments(arguments);
            this.proxmox = proxmox;
        }

        @Override
        public String toolName() {
            return "test";
        }

        @Override
        public Arguments arguments() {
            return arguments;
        }

        @Override
        public void progress(double progress, Double total, String message) {
            this.progress.add(message);
        }

        @Override
        public Caller caller() {
            return Caller.ANONYMOUS;
        }

        @Override
        public ProxmoxClient proxmox() {
            return proxmox;
        }

        @Override
        public void log(LogLevel level, String message) {
        }

        @Override
        public Cancellation cancellation() {
            return new Cancellation() {
                @Override
                public boolean isCancelled() {
                    return false;
                }

                @Override
                public void onCancel(Runnable action) {
                }
            };
        }
    }

    /** @return the problems of {@code value} against {@code schema}; empty if it conforms */
    static List<String> problems(Map<String, Object> schema, Object value) {
        ObjectMapper mapper = new ObjectMapper();
        var s = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012()).getSchema(mapper.valueToTree(schema));
        return s.validate(mapper.valueToTree(value)).stream().map(Error::toString).toList();
    }
}
