package io.pvemcp.registry.internal;

import static io.pvemcp.registry.internal.Fixtures.objects;
import static io.pvemcp.registry.internal.Fixtures.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Elicitation;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Limits;
import io.pvemcp.api.LogLevel;
import io.pvemcp.api.Preview;
import io.pvemcp.api.Prompt;
import io.pvemcp.api.Resource;
import io.pvemcp.api.Risk;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.ConnectionInfo;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.security.AuditEvent;
import io.pvemcp.security.AuditLog;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The safety gates of the one call path: confirmation, approval, dry runs, guard rails, blast radius, policies. */
class SafetyGatesTest {

    final ObjectMapper mapper = new ObjectMapper();
    final SchemaChecker schemas = new SchemaChecker(mapper);
    final Contributions<Tool, ToolEntry> tools = new Contributions<>("tool", Tool.NAME, s -> ToolEntry.read(s, schemas));
    final Scheduler scheduler = Schedulers.newBoundedElastic(4, 16, "safety-test");
    final List<AuditEvent> audited = new CopyOnWriteArrayList<>();
    final AuditLog auditLog = new AuditLog() {
        @Override
        public void record(AuditEvent event) {
            audited.add(event);
        }

        @Override
        public String failure() {
            return null;
        }

        @Override
        public List<Map<String, Object>> latest(int count) {
            return List.of();
        }
    };
    final List<String> sent = new CopyOnWriteArrayList<>();
    final ProxmoxClient pve = new ProxmoxClient() {
        @Override
        public CompletableFuture<Object> request(String method, String path, Map<String, ?> params) {
            sent.add(method + " " + path);
            return CompletableFuture.completedFuture(Map.of());
        }

        @Override
        public CompletableFuture<io.pvemcp.api.pve.TaskResult> awaitTask(String upid, java.time.Duration timeout,
                java.util.function.Consumer<io.pvemcp.api.pve.TaskResult> progress) {
            throw new UnsupportedOperationException("no tasks here");
        }

        @Override
        public ConnectionInfo connection() {
            return null;
        }
    };
    final McpHandlers handlers = new McpHandlers(tools, new Contributions<Resource, ResourceEntry>("resource",
            Resource.URI, ResourceEntry::read), new Contributions<Prompt, PromptEntry>("prompt", Prompt.NAME,
            PromptEntry::read), new JacksonMcpJsonMapper(mapper), mapper, scheduler, Clusters.of(pve), () -> auditLog,
            new SwitchStore(null)::get);
    final ToolInvoker invoker = handlers.invoker();
    final AtomicInteger ran = new AtomicInteger();
    final Caller alice = Caller.builder().subject("alice").scopes(Set.of(Scopes.ADMIN)).sessionId("s1")
            .clientName("test-client").build();
    long nextId = 1;

    /** A guest tool of the given risk whose target is VM 108 with the given tags and HA state. */
    Tool guestTool(List<String> tags, String ha) {
        return new Tool() {
            @Override
            public Map<String, Object> inputSchema() {
                return JsonSchema.object().required("vmid", JsonSchema.integer()).build();
            }

            @Override
            public Map<String, Object> outputSchema() {
                return JsonSchema.object().required("done", JsonSchema.bool()).build();
            }

            @Override
            public Preview preview(ToolCall call) {
                return new Preview("Delete VM 108 (web01) on pve1 for good.", List.of(new Preview.Target("qemu", 108L,
                        "web01", "pve1", "running", tags, "prod-pool", ha, false)), List.of(new Preview.Request(
                        "DELETE", "/nodes/pve1/qemu/108", Map.of("purge", 1, "password", "s3cret"))),
                        "VM 108 no longer exists.", false, true);
            }

            @Override
            public ToolResult call(ToolCall call) {
                ran.incrementAndGet();
                return ToolResult.of("deleted", Map.of("done", true));
            }
        };
    }

    void register(String name, Tool t, Risk risk) {
        Map<String, Object> p = props(name, nextId++, 0);
        p.put(Tool.RISK, risk.id());
        p.put(Tool.SCOPE, risk == Risk.READ ? Scopes.READ : Scopes.WRITE);
        assertThat(tools.add(objects(t, p, "test.bundle"), p)).as("%s: %s", name, tools.rejections()).isTrue();
    }

    /** A client that can ask its user and answers as told. */
    static final class AskingClient implements ClientChannel {
        final List<String> asked = new CopyOnWriteArrayList<>();
        final Elicitation answer;

        AskingClient(Elicitation answer) {
            this.answer = answer;
        }

        @Override
        public void progress(Object token, double progress, Double total, String message) {
        }

        @Override
        public void log(LogLevel level, String logger, String message) {
        }

        @Override
        public String sample(String tool, String prompt, int maxTokens, CancellationSignal cancellation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Elicitation elicit(String tool, String message, Map<String, Object> schema,
                CancellationSignal cancellation) {
            asked.add(message);
            return answer;
        }

        @Override
        public boolean canElicit() {
            return true;
        }
    }

    ToolInvoker.Invocation call(Caller caller, String tool, Map<String, Object> args, ClientChannel channel) {
        return invoker.invoke(caller, tool, args, channel, null, new CancellationSignal()).join();
    }

    @AfterEach
    void stop() {
        scheduler.dispose();
    }

    @Test
    void aDestroyCallRunsOnlyWhenTheUserSaysYes() {
        register("del", guestTool(List.of("web"), null), Risk.DESTROY);
        AskingClient yes = new AskingClient(new Elicitation("accept", Map.of("confirm", true)));
        ToolInvoker.Invocation done = call(alice, "del", Map.of("vmid", 108), yes);
        assertThat(done.outcome()).isEqualTo("ok");
        assertThat(ran).hasValue(1);
        assertThat(yes.asked).singleElement().asString().contains("Delete VM 108 (web01)", "on pve1", "running",
                "tags web", "not HA-managed", "cannot be undone");
        assertThat(audited.get(0).confirmation()).containsEntry("how", "elicitation");

        for (Elicitation no : List.of(new Elicitation("decline", null), new Elicitation("cancel", null),
                new Elicitation("accept", Map.of("confirm", false)))) {
            ToolInvoker.Invocation refused = call(alice, "del", Map.of("vmid", 108), new AskingClient(no));
            assertThat(refused.outcome()).as(no.action()).isEqualTo("declined");
            assertThat(refused.message()).contains("nothing was done");
        }
        assertThat(ran).as("no other call ran").hasValue(1);
        assertThat(audited).extracting(AuditEvent::outcome).containsExactly("ok", "declined", "declined", "declined");
        assertThat(audited.get(1).confirmation()).containsEntry("answer", "declined");
    }

    @Test
    void withoutElicitationTheCallWaitsForAPersonInTheConsole() throws Exception {
        register("del", guestTool(List.of(), null), Risk.DESTROY);
        ToolInvoker.Invocation held = call(alice, "del", Map.of("vmid", 108), ClientChannel.NONE);
        assertThat(held.outcome()).isEqualTo("pending");
        assertThat(held.message()).contains("needs a person's approval", "mcp-approvals", "proxmox_approval_status");
        String id = (String) held.details().get("approval_id");
        assertThat(id).startsWith("ap-");
        assertThat(ran).hasValue(0);
        assertThat(call(alice, "del", Map.of("vmid", 108), ClientChannel.NONE).details())
                .as("the same call again is the same approval").containsEntry("approval_id", id);
        assertThat(invoker.approvals()).singleElement().satisfies(a -> {
            assertThat(a.state()).isEqualTo("pending");
            assertThat(a.summary()).contains("Delete VM 108");
            assertThat(a.owner()).isEqualTo("subject:alice");
        });

        ToolRegistry.Approval approved = invoker.decide(id, true, "console user admin");
        assertThat(approved.state()).isIn("approved", "done");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!invoker.approval(id).state().equals("done") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(invoker.approval(id).state()).isEqualTo("done");
        assertThat(invoker.approval(id).structuredContent()).containsEntry("done", true);
        assertThat(ran).hasValue(1);
        assertThat(audited).filteredOn(e -> e.outcome().equals("ok")).singleElement()
                .satisfies(e -> assertThat(e.confirmation()).containsEntry("how", "console")
                        .containsEntry("by", "console user admin"));
        assertThatThrownBy(() -> invoker.decide(id, true, "again")).hasMessageContaining("no longer pending");

        ToolInvoker.Invocation picked = call(alice, "del", Map.of("vmid", 108), ClientChannel.NONE);
        assertThat(picked.outcome()).isEqualTo("approved");
        assertThat(picked.result().structuredContent()).containsEntry("done", true);
        assertThat(ran).as("picking up the outcome does not run it again").hasValue(1);

        String second = (String) call(alice, "del", Map.of("vmid", 108), ClientChannel.NONE).details()
                .get("approval_id");
        assertThat(second).as("after the outcome was picked up, a new call is a new approval").isNotEqualTo(id);
        assertThat(invoker.decide(second, false, "console user admin").state()).isEqualTo("rejected");
        assertThat(ran).hasValue(1);
        assertThat(audited.get(audited.size() - 1).outcome()).isEqualTo("rejected");
        assertThat(call(alice, "del", Map.of("vmid", 108), ClientChannel.NONE).message()).contains("was rejected by");
    }

    @Test
    void withoutElicitationAndWithoutAConsoleNothingCanBeHeldSoTheCallIsRefused() {
        register("del", guestTool(List.of(), null), Risk.DESTROY);
        invoker.approvers(() -> false);
        ToolInvoker.Invocation refused = call(alice, "del", Map.of("vmid", 108), ClientChannel.NONE);
        assertThat(refused.outcome()).isEqualTo("denied");
        assertThat(refused.message()).contains("no admin console runs on this server", "nothing was done");
        assertThat(invoker.approvals()).isEmpty();
        assertThat(call(alice, "del", Map.of("vmid", 108), new AskingClient(new Elicitation("accept",
                Map.of("confirm", true)))).outcome()).as("a client that asks still can").isEqualTo("ok");
        assertThat(ran).hasValue(1);
    }

    @Test
    void anApprovedCallOfACallerWhoseTokenEndedDoesNotRun() {
        register("del", guestTool(List.of(), null), Risk.DESTROY);
        String id = (String) call(alice, "del", Map.of("vmid", 108), ClientChannel.NONE).details().get("approval_id");
        invoker.credentials(c -> c.subject().equals("alice") ? "it was revoked" : null);
        ToolRegistry.Approval a = invoker.decide(id, true, "console user admin");
        assertThat(a.state()).isEqualTo("failed");
        assertThat(a.result()).contains("no longer valid", "it was revoked");
        assertThat(ran).hasValue(0);
        assertThat(audited.get(audited.size() - 1).outcome()).isEqualTo("denied");
    }

    /** A tool whose calls differ (as proxmox_api's by method): its call's risk, at most its declared one, decides. */
    @Test
    void aCallIsConfirmedAndGuardedByItsOwnRiskClass() {
        Tool base = guestTool(List.of("production"), null);
        Tool perCall = new Tool() {
            @Override
            public Map<String, Object> inputSchema() {
                return JsonSchema.object().required("vmid", JsonSchema.integer()).optional("how", JsonSchema.string())
                        .build();
            }

            @Override
            public Map<String, Object> outputSchema() {
                return base.outputSchema();
            }

            @Override
            public Risk risk(io.pvemcp.api.Arguments arguments) {
                return Risk.of(arguments.string("how", "destroy"));
            }

            @Override
            public Preview preview(ToolCall call) throws Exception {
                return base.preview(call);
            }

            @Override
            public ToolResult call(ToolCall call) throws Exception {
                return base.call(call);
            }
        };
        register("api", perCall, Risk.DESTROY);
        invoker.safety().policy(Safety.Policy.of("destroy", "prod*", "", "", 5, 15, ""));

        ToolInvoker.Invocation read = call(alice, "api", Map.of("vmid", 108, "how", "read"), ClientChannel.NONE);
        assertThat(read.outcome()).as("a read asks nobody and meets no guard rail").isEqualTo("ok");
        assertThat(ran).hasValue(1);

        ToolInvoker.Invocation change = call(alice, "api", Map.of("vmid", 108, "how", "change"), ClientChannel.NONE);
        assertThat(change.outcome()).as("a change is not confirmed by this policy, nor guarded").isEqualTo("ok");
        assertThat(ran).hasValue(2);

        ToolInvoker.Invocation destroy = call(alice, "api", Map.of("vmid", 108), ClientChannel.NONE);
        assertThat(destroy.outcome()).isEqualTo("denied");
        assertThat(destroy.message()).contains("tag production");
        invoker.safety().policy(Safety.Policy.of("destroy", "", "", "", 5, 15, ""));
        ToolInvoker.Invocation held = call(alice, "api", Map.of("vmid", 108), ClientChannel.NONE);
        assertThat(held.outcome()).isEqualTo("pending");
        assertThat(held.message()).startsWith("This destroy call needs a person's approval");
        ToolInvoker.Invocation dry = call(alice, "api", Map.of("vmid", 108, "how", "power", "dry_run", true),
                ClientChannel.NONE);
        @SuppressWarnings("unchecked")
        Map<String, Object> preview = (Map<String, Object>) dry.result().structuredContent().get("dry_run");
        assertThat(preview).containsEntry("risk", "power").containsEntry("needs_confirmation", false);
        assertThat(ran).hasValue(2);
    }

    @Test
    void aDryRunShowsThePlanAndChangesNothing() {
        register("del", guestTool(List.of(), "started"), Risk.DESTROY);
        AskingClient client = new AskingClient(new Elicitation("accept", Map.of("confirm", true)));
        ToolInvoker.Invocation dry = call(alice, "del", Map.of("vmid", 108, "dry_run", true), client);
        assertThat(dry.outcome()).isEqualTo("ok");
        @SuppressWarnings("unchecked")
        Map<String, Object> preview = (Map<String, Object>) dry.result().structuredContent().get("dry_run");
        assertThat(preview).containsEntry("risk", "destroy").containsEntry("needs_confirmation", true)
                .containsEntry("undoable", false).containsKey("refused");
        assertThat(preview.get("refused").toString()).contains("managed by HA", "allow_ha");
        assertThat(preview.get("requests").toString()).contains("DELETE", "/nodes/pve1/qemu/108", "(hidden)")
                .doesNotContain("s3cret");
        assertThat(dry.result().text()).startsWith("Dry run of del, nothing was changed.");
        assertThat(ran).hasValue(0);
        assertThat(client.asked).as("a dry run asks nobody").isEmpty();
        assertThat(call(alice, "del", Map.of("vmid", 108, "dry_run", "yes"), client).outcome()).isEqualTo("invalid");
    }

    @Test
    void guardRailsRefuseProtectedAndHaGuestsAndTooManyDestroys() {
        register("del", guestTool(List.of("production"), null), Risk.DESTROY);
        register("del-ha", guestTool(List.of(), "started"), Risk.DESTROY);
        register("del-plain", guestTool(List.of(), null), Risk.DESTROY);
        invoker.safety().policy(Safety.Policy.of("none", "prod*", "", "", 2, 15, ""));
        ToolInvoker.Invocation tagged = call(alice, "del", Map.of("vmid", 108), ClientChannel.NONE);
        assertThat(tagged.outcome()).isEqualTo("denied");
        assertThat(tagged.message()).contains("protected by the operator", "tag production");

        invoker.safety().policy(Safety.Policy.of("none", "", "100-110", "", 2, 15, ""));
        assertThat(call(alice, "del-plain", Map.of("vmid", 108), ClientChannel.NONE).message())
                .contains("protected VMIDs 100-110");
        invoker.safety().policy(Safety.Policy.of("none", "", "", "prod-pool", 2, 15, ""));
        assertThat(call(alice, "del-plain", Map.of("vmid", 108), ClientChannel.NONE).message()).contains("pool prod-pool");

        invoker.safety().policy(Safety.Policy.of("none", "", "", "", 2, 15, ""));
        ToolInvoker.Invocation ha = call(alice, "del-ha", Map.of("vmid", 108), ClientChannel.NONE);
        assertThat(ha.message()).contains("managed by HA", "allow_ha: true");
        assertThat(ran).hasValue(0);
        assertThat(call(alice, "del-ha", Map.of("vmid", 108, "allow_ha", true), ClientChannel.NONE).outcome())
                .isEqualTo("ok");
        assertThat(call(alice, "del-plain", Map.of("vmid", 108), ClientChannel.NONE).outcome()).isEqualTo("ok");
        ToolInvoker.Invocation third = call(alice, "del-plain", Map.of("vmid", 108), ClientChannel.NONE);
        assertThat(third.outcome()).isEqualTo("denied");
        assertThat(third.message()).contains("2 destroying calls in the last minute");
        assertThat(ran).hasValue(2);
        Caller other = Caller.builder().subject("bob").scopes(Set.of(Scopes.ADMIN)).sessionId("s2").build();
        assertThat(call(other, "del-plain", Map.of("vmid", 108), ClientChannel.NONE).outcome())
                .as("the limit is per session").isEqualTo("ok");
    }

    @Test
    void operatorsAndTokensChooseWhatIsConfirmed() {
        register("del", guestTool(List.of(), null), Risk.DESTROY);
        register("start", guestTool(List.of(), null), Risk.POWER);
        Caller automation = Caller.builder().subject("ci").scopes(Set.of(Scopes.ADMIN))
                .limits(Limits.NONE.withConfirm(EnumSet.noneOf(Risk.class))).build();
        assertThat(call(automation, "del", Map.of("vmid", 108), ClientChannel.NONE).outcome()).isEqualTo("ok");
        assertThat(call(alice, "start", Map.of("vmid", 108), ClientChannel.NONE).outcome())
                .as("power is not confirmed by default").isEqualTo("ok");
        Caller careful = Caller.builder().subject("intern").scopes(Set.of(Scopes.ADMIN))
                .limits(Limits.NONE.withConfirm(EnumSet.of(Risk.POWER))).build();
        assertThat(call(careful, "start", Map.of("vmid", 108), ClientChannel.NONE).outcome()).isEqualTo("pending");
        Map<String, Object> unset = new java.util.HashMap<>(Map.of("vmid", 109));
        unset.put("allow_ha", null);
        assertThat(call(careful, "start", unset, ClientChannel.NONE).outcome()).as("a null safety argument is unset")
                .isEqualTo("pending");
        invoker.safety().policy(Safety.Policy.of("power,destroy", "", "", "", 5, 15, ""));
        assertThat(call(alice, "start", Map.of("vmid", 108), ClientChannel.NONE).outcome()).isEqualTo("pending");
        assertThat(ran).hasValue(2);
        assertThatThrownBy(() -> Safety.Policy.of("delete", "", "", "", 5, 15, ""))
                .hasMessageContaining("confirm: 'delete' is not a risk class");
    }

    @Test
    @SuppressWarnings("unchecked")
    void clientsSeeTheSafetyArgumentsAndPreviewResults() {
        register("del", guestTool(List.of(), null), Risk.DESTROY);
        register("make", guestTool(List.of(), null), Risk.CHANGE);
        register("look", Fixtures.simple("ok"), Risk.READ);
        ToolEntry del = tools.get("del");
        assertThat(del.descriptor.annotations().destructiveHint()).isTrue();
        assertThat(inputs(del)).containsKeys("vmid", "dry_run", "allow_ha");
        assertThat(del.description.outputSchema()).containsKey("anyOf").doesNotContainKey("required");
        Map<String, Object> wire = del.descriptor.outputSchema();
        assertThat(wire).doesNotContainKeys("anyOf", "required");
        assertThat((Map<String, Object>) wire.get("properties")).containsOnlyKeys("done");
        SchemaChecker.Compiled lean = schemas.compile("wire", wire);
        assertThat(lean.problems(Map.of("dry_run", Map.of("summary", "x")))).as("a preview conforms").isEmpty();
        assertThat(lean.problems(Map.of("done", "yes"))).isNotEmpty();
        assertThat(inputs(tools.get("make"))).containsKey("dry_run")
                .doesNotContainKey("allow_ha");
        assertThat(tools.get("make").descriptor.annotations().destructiveHint()).isFalse();
        assertThat(inputs(tools.get("look"))).doesNotContainKey("dry_run");
        assertThat(tools.get("look").descriptor.annotations().readOnlyHint()).isTrue();

        Tool own = Fixtures.tool(JsonSchema.object().optional("dry_run", JsonSchema.bool()).build(), null,
                c -> ToolResult.text("x"));
        Map<String, Object> p = props("own", nextId++, 0);
        p.put(Tool.RISK, "change");
        assertThat(tools.add(objects(own, p, "test.bundle"), p)).isFalse();
        assertThat(tools.rejections()).extracting(ToolRegistry.Rejection::reason).anySatisfy(r ->
                assertThat(r).contains("declares 'dry_run'"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> inputs(ToolEntry t) {
        return (Map<String, Object>) t.descriptor.inputSchema().getOrDefault("properties", Map.of());
    }

    @Test
    void aPreviewThatTriesToChangeSomethingIsABug() {
        Tool sneaky = new Tool() {
            @Override
            public Map<String, Object> inputSchema() {
                return JsonSchema.object().build();
            }

            @Override
            public Preview preview(ToolCall call) {
                call.proxmox().post("/nodes/{node}/qemu", Map.of("node", "pve1")).join();
                return null;
            }

            @Override
            public ToolResult call(ToolCall call) {
                ran.incrementAndGet();
                return ToolResult.text("x");
            }
        };
        register("sneaky", sneaky, Risk.CHANGE);
        ToolInvoker.Invocation i = call(alice, "sneaky", Map.of(), ClientChannel.NONE);
        assertThat(i.outcome()).isEqualTo("error");
        assertThat(i.message()).contains("failed unexpectedly in its preview", "nothing was changed");
        assertThat(sent).as("the POST never reached Proxmox").isEmpty();
        assertThat(ran).hasValue(0);
    }
}
