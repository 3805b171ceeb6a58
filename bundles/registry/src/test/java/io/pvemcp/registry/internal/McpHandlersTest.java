package io.pvemcp.registry.internal;

import static io.pvemcp.registry.internal.Fixtures.objects;
import static io.pvemcp.registry.internal.Fixtures.props;
import static io.pvemcp.registry.internal.Fixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.pvemcp.api.Caller;
import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Prompt;
import io.pvemcp.api.Resource;
import io.pvemcp.api.Scopes;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolException;
import io.pvemcp.api.ToolResult;
import io.pvemcp.api.pve.ProxmoxException;
import io.pvemcp.registry.McpContextKeys;
import io.pvemcp.security.AuditEvent;
import io.pvemcp.security.AuditLog;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

class McpHandlersTest {

    final ObjectMapper mapper = new ObjectMapper();
    final SchemaChecker schemas = new SchemaChecker(mapper);
    final Contributions<Tool, ToolEntry> tools = new Contributions<>("tool", Tool.NAME, s -> ToolEntry.read(s, schemas));
    final Contributions<Resource, ResourceEntry> resources = new Contributions<>("resource", Resource.URI, ResourceEntry::read);
    final Contributions<Prompt, PromptEntry> prompts = new Contributions<>("prompt", Prompt.NAME, PromptEntry::read);
    final Scheduler scheduler = Schedulers.newBoundedElastic(4, 16, "test");
    final List<AuditEvent> audited = new CopyOnWriteArrayList<>();
    volatile String auditFailure;
    volatile boolean auditRunning = true;
    final AuditLog auditLog = new AuditLog() {
        @Override
        public void record(AuditEvent event) {
            audited.add(event);
        }

        @Override
        public String failure() {
            return auditFailure;
        }

        @Override
        public List<Map<String, Object>> latest(int count) {
            return List.of();
        }
    };
    final SwitchStore switches = new SwitchStore(null);
    final McpHandlers handlers = new McpHandlers(tools, resources, prompts, new JacksonMcpJsonMapper(mapper), mapper,
            scheduler, Clusters.of(null), () -> auditRunning ? auditLog : null, switches::get);
    final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
    long nextId = 1;

    @AfterEach
    void stop() {
        scheduler.dispose();
    }

    void register(String name, Tool t, String scope) {
        Map<String, Object> p = props(name, nextId++, 0);
        p.put(Tool.SCOPE, scope);
        p.put(Tool.RISK, switch (scope) {
            case Scopes.READ -> "read";
            case Scopes.POWER -> "power";
            case Scopes.DESTROY -> "destroy";
            default -> "change";
        });
        assertThat(tools.add(objects(t, p, "test.bundle"), p)).as("%s accepted: %s", name, tools.rejections()).isTrue();
    }

    McpAsyncServerExchange exchange(Caller caller) {
        McpAsyncServerExchange ex = mock(McpAsyncServerExchange.class);
        when(ex.transportContext()).thenReturn(McpTransportContext.create(Map.of(McpContextKeys.CALLER, caller)));
        when(ex.sessionId()).thenReturn("session-1");
        when(ex.getClientInfo()).thenReturn(new McpSchema.Implementation("test-client", "1.0"));
        when(ex.progressNotification(any())).thenAnswer(i -> {
            progress.add(i.getArgument(0));
            return Mono.empty();
        });
        return ex;
    }

    McpSchema.CallToolResult call(McpAsyncServerExchange ex, String name, Map<String, Object> arguments, Object requestId,
            Map<String, Object> meta) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("name", name);
        params.put("arguments", arguments);
        if (meta != null) {
            params.put("_meta", meta);
        }
        Object result = handlers.requestHandlers().get("tools/call").handle(ex, params)
                .contextWrite(c -> c.put(McpContextKeys.REQUEST_ID, requestId)).block(Duration.ofSeconds(10));
        return (McpSchema.CallToolResult) result;
    }

    static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Test
    void unknownToolsAreAProtocolError() {
        assertThatThrownBy(() -> call(exchange(Caller.ANONYMOUS), "nope", Map.of(), 1, null))
                .isInstanceOf(McpError.class).hasMessageContaining("Unknown tool: nope");
    }

    @Test
    void aCallerWithoutTheScopeIsToldWhichScopeIsMissing() {
        register("proxmox_vm_delete", Fixtures.simple("deleted"), Scopes.WRITE);
        Caller reader = Caller.builder().subject("dash").scopes(Set.of(Scopes.READ)).authenticated(true).build();
        McpSchema.CallToolResult r = call(exchange(reader), "proxmox_vm_delete", Map.of(), 1, null);
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("needs the scope proxmox:write");
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("denied");
            assertThat(e.target()).isEqualTo("proxmox_vm_delete");
            assertThat(e.caller().subject()).isEqualTo("dash");
        });
        List<?> listed = ((McpSchema.ListToolsResult) handlers.requestHandlers().get("tools/list")
                .handle(exchange(reader), Map.of()).block()).tools();
        assertThat(listed).isEmpty();
    }

    @Test
    void switchedOffToolsAndBundlesAreHiddenAndRefused() {
        register("proxmox_vm_list", Fixtures.simple("vms"), Scopes.READ);
        register("proxmox_vm_start", Fixtures.simple("started"), Scopes.READ);
        switches.setTool("proxmox_vm_start", false);
        assertThat(listedNames(Caller.ANONYMOUS)).containsExactly("proxmox_vm_list");
        McpSchema.CallToolResult r = call(exchange(Caller.ANONYMOUS), "proxmox_vm_start", Map.of(), 1, null);
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("switched off").contains("proxmox_vm_start");
        assertThat(audited).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo("denied"));
        switches.setBundle("test.bundle", false);
        assertThat(listedNames(Caller.ANONYMOUS)).isEmpty();
        assertThat(text(call(exchange(Caller.ANONYMOUS), "proxmox_vm_list", Map.of(), 2, null))).contains("switched off");
        switches.setBundle("test.bundle", true);
        switches.setTool("proxmox_vm_start", true);
        assertThat(listedNames(Caller.ANONYMOUS)).containsExactly("proxmox_vm_list", "proxmox_vm_start");
        assertThat(text(call(exchange(Caller.ANONYMOUS), "proxmox_vm_start", Map.of(), 3, null))).isEqualTo("started");
    }

    @Test
    void switchesSurviveARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        SwitchStore first = new SwitchStore(io.pvemcp.security.store.Documents.folder(dir));
        assertThat(first.setTool("proxmox_vm_delete", false)).isTrue();
        assertThat(first.setTool("proxmox_vm_delete", false)).as("unchanged").isFalse();
        assertThat(first.setBundle("io.pvemcp.tools.ct", false)).isTrue();
        SwitchStore second = new SwitchStore(io.pvemcp.security.store.Documents.folder(dir));
        assertThat(second.get().disabledTools()).containsExactly("proxmox_vm_delete");
        assertThat(second.get().disabledBundles()).containsExactly("io.pvemcp.tools.ct");
        assertThat(second.get().allows("io.pvemcp.tools.vm", "proxmox_vm_list")).isTrue();
        assertThat(second.get().allows("io.pvemcp.tools.ct", "proxmox_ct_list")).isFalse();
        assertThat(second.reloadIfChanged()).as("nothing changed since it read the file").isFalse();
        first.setTool("proxmox_vm_delete", true);
        java.nio.file.Files.setLastModifiedTime(dir.resolve("switches.json"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(second.reloadIfChanged()).as("another process switched the tool on").isTrue();
        assertThat(second.get().disabledTools()).isEmpty();
        assertThat(second.get().disabledBundles()).containsExactly("io.pvemcp.tools.ct");
        java.nio.file.Files.writeString(dir.resolve("switches.json"), "{ not json");
        assertThat(new SwitchStore(io.pvemcp.security.store.Documents.folder(dir)).get().disabledTools()).as("a broken file switches nothing off").isEmpty();
    }

    @Test
    void resultsOfSeveralPiecesKeepTheirKinds() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        register("pieces", tool(JsonSchema.object().build(), null, c -> ToolResult.of(List.of(
                io.pvemcp.api.Content.text("a chart:"), io.pvemcp.api.Content.image(png, "image/png"),
                io.pvemcp.api.Content.audio(png, "audio/wav"), io.pvemcp.api.Content.resource(
                        io.pvemcp.api.ResourceContents.text("test://r", "text/plain", "inside"))))), Scopes.READ);
        McpSchema.CallToolResult r = call(exchange(Caller.ANONYMOUS), "pieces", Map.of(), 1, null);
        assertThat(r.isError()).isFalse();
        assertThat(r.content()).hasSize(4);
        assertThat(r.content().get(1)).isInstanceOfSatisfying(McpSchema.ImageContent.class, i -> {
            assertThat(i.mimeType()).isEqualTo("image/png");
            assertThat(java.util.Base64.getDecoder().decode(i.data())).isEqualTo(png);
        });
        assertThat(r.content().get(2)).isInstanceOf(McpSchema.AudioContent.class);
        assertThat(r.content().get(3)).isInstanceOfSatisfying(McpSchema.EmbeddedResource.class, e -> assertThat(
                ((McpSchema.TextResourceContents) e.resource()).text()).isEqualTo("inside"));
    }

    @Test
    void completesPromptArgumentsAndRefusesUnknownReferences() {
        Map<String, Object> p = new java.util.HashMap<>();
        p.put(Prompt.NAME, "pick_node");
        p.put(Prompt.DESCRIPTION, "Picks a node.");
        p.put(org.osgi.framework.Constants.SERVICE_ID, 99L);
        Prompt prompt = new Prompt() {
            @Override
            public io.pvemcp.api.PromptResult get(io.pvemcp.api.PromptRequest request) {
                return new io.pvemcp.api.PromptResult(null, List.of(io.pvemcp.api.PromptResult.Message.user(
                        io.pvemcp.api.Content.image(new byte[] {1, 2}, "image/png"))));
            }

            @Override
            public List<String> complete(String argument, String prefix) {
                return java.util.stream.IntStream.range(0, 150).mapToObj(i -> prefix + i).toList();
            }
        };
        assertThat(prompts.add(Fixtures.objects(prompt, p, "test.bundle"), p)).isTrue();
        McpSchema.CompleteResult r = (McpSchema.CompleteResult) handlers.requestHandlers().get("completion/complete")
                .handle(exchange(Caller.ANONYMOUS), Map.of("ref", Map.of("type", "ref/prompt", "name", "pick_node"),
                        "argument", Map.of("name", "node", "value", "pve"))).block();
        assertThat(r.completion().values()).hasSize(100).startsWith("pve0", "pve1");
        assertThat(r.completion().total()).isEqualTo(150);
        assertThat(r.completion().hasMore()).isTrue();
        assertThatThrownBy(() -> handlers.requestHandlers().get("completion/complete").handle(exchange(Caller.ANONYMOUS),
                Map.of("ref", Map.of("type", "ref/prompt", "name", "nope"), "argument", Map.of("name", "x", "value",
                        ""))).block()).isInstanceOf(McpError.class).hasMessageContaining("Unknown prompt: nope");
        McpSchema.GetPromptResult got = (McpSchema.GetPromptResult) handlers.requestHandlers().get("prompts/get")
                .handle(exchange(Caller.ANONYMOUS), Map.of("name", "pick_node")).block();
        assertThat(got.messages().get(0).content()).isInstanceOf(McpSchema.ImageContent.class);
    }

    @Test
    void subscribingNeedsAResourceTheCallerMayRead() {
        assertThatThrownBy(() -> handlers.requestHandlers().get("resources/subscribe").handle(
                exchange(Caller.ANONYMOUS), Map.of("uri", "test://nothing")).block())
                .isInstanceOf(McpError.class);
        assertThatThrownBy(() -> handlers.requestHandlers().get("resources/subscribe").handle(
                exchange(Caller.ANONYMOUS), Map.of()).block()).hasMessageContaining("uri is missing");
    }

    @Test
    void callsFromOtherTransportsGetTheSameChecksAndAreAudited() throws Exception {
        register("proxmox_vm_start", Fixtures.simple("started"), Scopes.POWER);
        Caller reader = Caller.builder().subject("script").scopes(Set.of(Scopes.READ)).transport("rest").build();
        Caller operator = Caller.builder().subject("ops").scopes(Set.of(Scopes.POWER)).transport("rest").build();
        assertThat(handlers.describe(reader)).isEmpty();
        assertThat(handlers.describe(operator)).extracting(d -> d.name()).containsExactly("proxmox_vm_start");
        var denied = handlers.call(reader, "proxmox_vm_start", Map.of()).toCompletableFuture().get();
        assertThat(denied.outcome()).isEqualTo("denied");
        assertThat(denied.text()).contains("needs the scope proxmox:power");
        var ok = handlers.call(operator, "proxmox_vm_start", Map.of()).toCompletableFuture().get();
        assertThat(ok.outcome()).isEqualTo("ok");
        assertThat(ok.content()).singleElement().satisfies(c -> assertThat(c).containsEntry("type", "text")
                .containsEntry("text", "started"));
        assertThat(handlers.call(operator, "nope", Map.of()).toCompletableFuture().get().outcome()).isEqualTo("unknown");
        assertThat(audited).extracting(AuditEvent::outcome).containsExactly("denied", "ok", "unknown");
        assertThat(audited.get(1).caller().transport()).isEqualTo("rest");
    }

    @Test
    void argumentsThatAskForASideEffectOfAnotherScopeAreRefusedBeforeTheToolRuns() {
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        Tool create = new Tool() {
            @Override
            public Map<String, Object> inputSchema() {
                return JsonSchema.object().optional("start", JsonSchema.bool()).build();
            }

            @Override
            public Map<String, String> additionalScopes(io.pvemcp.api.Arguments arguments) {
                return arguments.bool("start", false) ? Map.of(Scopes.POWER, "start=true starts the VM") : Map.of();
            }

            @Override
            public ToolResult call(io.pvemcp.api.ToolCall call) {
                ran.incrementAndGet();
                return ToolResult.text("created");
            }
        };
        register("proxmox_vm_create", create, Scopes.WRITE);
        Caller writer = Caller.builder().subject("w").scopes(Set.of(Scopes.WRITE)).build();
        McpSchema.CallToolResult refused = call(exchange(writer), "proxmox_vm_create", Map.of("start", true), 1, null);
        assertThat(refused.isError()).isTrue();
        assertThat(text(refused)).contains("also needs the scope proxmox:power", "start=true starts the VM",
                "Nothing was done");
        assertThat(ran).hasValue(0);
        assertThat(audited).last().extracting(AuditEvent::outcome).isEqualTo("denied");
        assertThat(call(exchange(writer), "proxmox_vm_create", Map.of("start", false), 2, null).isError()).isFalse();
        Caller both = Caller.builder().subject("b").scopes(Set.of(Scopes.WRITE, Scopes.POWER)).build();
        assertThat(call(exchange(both), "proxmox_vm_create", Map.of("start", true), 3, null).isError()).isFalse();
        assertThat(ran).hasValue(2);
    }

    @Test
    void unknownToolsAreAuditedAndBadParamsAreExplainedWithoutJavaTypes() {
        register("proxmox_vm_list", Fixtures.simple("listed"), Scopes.READ);
        Caller reader = Caller.builder().subject("r").scopes(Set.of(Scopes.READ)).build();
        assertThatThrownBy(() -> call(exchange(reader), "proxmox_vm_steal\nforged", Map.of("x", 1), 1, null))
                .isInstanceOf(McpError.class).hasMessageContaining("Unknown tool: proxmox_vm_steal?forged");
        assertThat(audited).last().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("unknown");
            assertThat(e.target()).isEqualTo("proxmox_vm_steal\nforged");
        });
        for (Map<String, Object> params : List.<Map<String, Object>>of(Map.of("name", "proxmox_vm_list", "arguments",
                "not an object"), Map.of("name", List.of(1), "arguments", Map.of()), Map.of("name", "x", "_meta", 5))) {
            assertThatThrownBy(() -> handlers.requestHandlers().get("tools/call").handle(exchange(reader), params)
                    .block()).as(params.toString()).isInstanceOfSatisfying(McpError.class, e -> {
                        assertThat(e.getJsonRpcError().code()).isEqualTo(-32602);
                        assertThat(e.getMessage()).startsWith("Invalid params: ").doesNotContain("io.", "java.",
                                "McpSchema", "Jackson", "`", "$", "Cannot", "[Source");
                    });
        }
        for (String method : List.of("tools/call", "resources/read", "prompts/get")) {
            assertThatThrownBy(() -> handlers.requestHandlers().get(method).handle(exchange(reader), null).block())
                    .as("%s without params", method).isInstanceOfSatisfying(McpError.class, e ->
                            assertThat(e.getJsonRpcError().code()).isEqualTo(-32602));
        }
    }

    @Test
    void resourcesPromptsAndCompletionsSeeProxmoxWithinTheCallersLimits() throws Exception {
        List<Map<String, Object>> everything = List.of(Map.of("type", "node", "node", "pve1"),
                Map.of("type", "node", "node", "pve2"), Map.of("type", "qemu", "vmid", 100, "node", "pve1"),
                Map.of("type", "qemu", "vmid", 200, "node", "pve2"));
        io.pvemcp.api.pve.ProxmoxClient pve = new io.pvemcp.api.pve.ProxmoxClient() {
            @Override
            public java.util.concurrent.CompletableFuture<Object> request(String method, String path, Map<String, ?> p) {
                return java.util.concurrent.CompletableFuture.completedFuture(path.equals("/nodes")
                        ? List.of(Map.of("node", "pve1"), Map.of("node", "pve2")) : everything);
            }

            @Override
            public java.util.concurrent.CompletableFuture<io.pvemcp.api.pve.TaskResult> awaitTask(String upid,
                    Duration timeout, java.util.function.Consumer<io.pvemcp.api.pve.TaskResult> progress) {
                throw new UnsupportedOperationException("no tasks here");
            }

            @Override
            public io.pvemcp.api.pve.ConnectionInfo connection() {
                return null;
            }
        };
        McpHandlers h = new McpHandlers(tools, resources, prompts, new JacksonMcpJsonMapper(mapper), mapper, scheduler,
                Clusters.of(pve), () -> auditLog, switches::get);
        Map<String, Object> rp = new java.util.HashMap<>();
        rp.put(Resource.URI, "proxmox://cluster/overview");
        rp.put(Resource.NAME, "overview");
        rp.put(org.osgi.framework.Constants.SERVICE_ID, 501L);
        Resource overview = request -> io.pvemcp.api.ResourceContents.text("proxmox://cluster/overview",
                "application/json", io.pvemcp.api.Json.write(request.proxmox().get("/cluster/resources", Map.of()).get()));
        assertThat(resources.add(Fixtures.objects(overview, rp, "test.bundle"), rp)).isTrue();
        Map<String, Object> pp = new java.util.HashMap<>();
        pp.put(Prompt.NAME, "check_node");
        pp.put(Prompt.DESCRIPTION, "Checks a node.");
        pp.put(org.osgi.framework.Constants.SERVICE_ID, 502L);
        Prompt prompt = new Prompt() {
            @Override
            public io.pvemcp.api.PromptResult get(io.pvemcp.api.PromptRequest request) throws Exception {
                return new io.pvemcp.api.PromptResult(null, List.of(io.pvemcp.api.PromptResult.Message.user(
                        io.pvemcp.api.Json.write(request.proxmox().get("/cluster/resources", Map.of()).get()))));
            }

            @Override
            public List<String> complete(io.pvemcp.api.RequestContext context, String argument, String prefix)
                    throws Exception {
                List<String> out = new java.util.ArrayList<>();
                for (Object n : io.pvemcp.api.Json.list(context.proxmox().get("/nodes", Map.of()).get())) {
                    out.add(String.valueOf(io.pvemcp.api.Json.map(n).get("node")));
                }
                return out;
            }
        };
        assertThat(prompts.add(Fixtures.objects(prompt, pp, "test.bundle"), pp)).isTrue();
        Caller limited = Caller.builder().subject("l").scopes(Set.of(Scopes.READ)).tokenName("only-pve1")
                .limits(io.pvemcp.security.LimitsFormat.parse("pve1", null, null)).build();

        McpSchema.ReadResourceResult read = (McpSchema.ReadResourceResult) h.requestHandlers().get("resources/read")
                .handle(exchange(limited), Map.of("uri", "proxmox://cluster/overview")).block();
        String text = ((McpSchema.TextResourceContents) read.contents().get(0)).text();
        assertThat(text).contains("pve1", "100").doesNotContain("pve2", "200");
        McpSchema.GetPromptResult got = (McpSchema.GetPromptResult) h.requestHandlers().get("prompts/get")
                .handle(exchange(limited), Map.of("name", "check_node")).block();
        assertThat(((McpSchema.TextContent) got.messages().get(0).content()).text()).doesNotContain("pve2");
        McpSchema.CompleteResult completed = (McpSchema.CompleteResult) h.requestHandlers().get("completion/complete")
                .handle(exchange(limited), Map.of("ref", Map.of("type", "ref/prompt", "name", "check_node"), "argument",
                        Map.of("name", "node", "value", ""))).block();
        assertThat(completed.completion().values()).containsExactly("pve1");
        McpSchema.ReadResourceResult unlimited = (McpSchema.ReadResourceResult) h.requestHandlers().get("resources/read")
                .handle(exchange(Caller.ANONYMOUS), Map.of("uri", "proxmox://cluster/overview")).block();
        assertThat(((McpSchema.TextResourceContents) unlimited.contents().get(0)).text()).contains("pve2");
    }

    private List<String> listedNames(Caller caller) {
        return ((McpSchema.ListToolsResult) handlers.requestHandlers().get("tools/list").handle(exchange(caller), Map.of())
                .block()).tools().stream().map(McpSchema.Tool::name).toList();
    }

    @Test
    void invalidArgumentsAreAToolErrorThatNamesTheArgument() {
        register("t", tool(JsonSchema.object().required("vmid", JsonSchema.integer().minimum(100)).build(), null,
                c -> ToolResult.text("ran")), Scopes.READ);
        McpSchema.CallToolResult r = call(exchange(Caller.ANONYMOUS), "t", Map.of("vmid", 5), 1, null);
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).startsWith("Invalid arguments for t: vmid: ").contains("100");
        McpSchema.CallToolResult missing = call(exchange(Caller.ANONYMOUS), "t", Map.of(), 1, null);
        assertThat(text(missing)).contains("vmid");
    }

    @Test
    void failuresBecomeToolErrorsWithoutInternals() {
        register("tool_error", tool(JsonSchema.object().build(), null, c -> {
            throw new ToolException("VM 999 does not exist. List the VMs first.");
        }), Scopes.READ);
        register("pve_error", tool(JsonSchema.object().build(), null, c -> {
            throw new java.util.concurrent.CompletionException(new ProxmoxException(ProxmoxException.Kind.PERMISSION, 403,
                    "Proxmox VE refused it: grant VM.Audit", null, Map.of(), "GET", "/x", null));
        }), Scopes.READ);
        register("bug", tool(JsonSchema.object().build(), null, c -> {
            throw new IllegalStateException("secret internal detail at com.example.Foo");
        }), Scopes.READ);
        register("nothing", tool(JsonSchema.object().build(), null, c -> null), Scopes.READ);
        McpAsyncServerExchange ex = exchange(Caller.ANONYMOUS);
        assertThat(text(call(ex, "tool_error", Map.of(), 1, null))).isEqualTo("VM 999 does not exist. List the VMs first.");
        assertThat(text(call(ex, "pve_error", Map.of(), 2, null))).isEqualTo("Proxmox VE refused it: grant VM.Audit");
        McpSchema.CallToolResult bug = call(ex, "bug", Map.of(), 3, null);
        assertThat(bug.isError()).isTrue();
        assertThat(text(bug)).contains("failed unexpectedly (reference ").doesNotContain("secret");
        assertThat(text(call(ex, "nothing", Map.of(), 4, null))).contains("returned no result", "bug in bundle test.bundle");
    }

    @Test
    void aRequestThreadThatMayWaitRunsTheCallItselfWithinItsPlaces() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Thread> ran = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        register("where", tool(JsonSchema.object().optional("hold", JsonSchema.bool()).build(), null, c -> {
            ran.set(Thread.currentThread());
            if (Boolean.TRUE.equals(c.arguments().asMap().get("hold"))) {
                inside.countDown();
                try {
                    release.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ToolResult.text("here");
        }), Scopes.READ);
        McpAsyncServerExchange ex = exchange(Caller.ANONYMOUS);
        java.util.function.Function<Map<String, Object>, McpSchema.CallToolResult> mayBlock = args ->
                (McpSchema.CallToolResult) handlers.requestHandlers().get("tools/call").handle(ex, Map.of("name", "where",
                        "arguments", args)).contextWrite(c -> c.put(McpContextKeys.REQUEST_ID, 1)
                                .put(McpContextKeys.MAY_BLOCK, Boolean.TRUE)).block(Duration.ofSeconds(10));

        handlers.invoker().callersMayRun(1);
        assertThat(text(mayBlock.apply(Map.of()))).isEqualTo("here");
        assertThat(ran.get()).isSameAs(Thread.currentThread());
        assertThat(text(call(ex, "where", Map.of(), 2, null))).isEqualTo("here");
        assertThat(ran.get()).as("a thread that must not wait hands the call over").isNotSameAs(Thread.currentThread());

        // the one place is taken by a call that waits: the next caller's call goes to a worker
        Thread holder = new Thread(() -> mayBlock.apply(Map.of("hold", true)));
        holder.start();
        assertThat(inside.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(text(mayBlock.apply(Map.of()))).isEqualTo("here");
        assertThat(ran.get()).isNotSameAs(Thread.currentThread()).isNotSameAs(holder);
        release.countDown();
        holder.join(10_000);
    }

    @Test
    void structuredResultsAreCheckedAndAlsoSentAsJsonText() throws Exception {
        Map<String, Object> output = JsonSchema.object().required("version", JsonSchema.string()).build();
        register("good", tool(JsonSchema.object().build(), output, c -> ToolResult.of("v1", Map.of("version", "9.1.1"))),
                Scopes.READ);
        register("wrong", tool(JsonSchema.object().build(), output, c -> ToolResult.of("v", Map.of("version", 9))),
                Scopes.READ);
        McpAsyncServerExchange ex = exchange(Caller.ANONYMOUS);
        McpSchema.CallToolResult good = call(ex, "good", Map.of(), 1, null);
        assertThat(good.isError()).isFalse();
        // the structured content goes on the wire as the JSON of the text, written once
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(m.readTree(m.writeValueAsString(good)).get("structuredContent"))
                .isEqualTo(m.valueToTree(Map.of("version", "9.1.1")));
        assertThat(good.content()).extracting(c -> ((McpSchema.TextContent) c).text()).containsExactly("v1",
                "{\"version\":\"9.1.1\"}");
        McpSchema.CallToolResult wrong = call(ex, "wrong", Map.of(), 2, null);
        assertThat(wrong.isError()).isTrue();
        assertThat(text(wrong)).contains("does not match its output schema", "version");
    }

    @Test
    void aToolsFirstResultsAreCheckedFullyThenSampledWithTheRequiredMembersAlwaysChecked() {
        Map<String, Object> output = JsonSchema.object().required("version", JsonSchema.string()).build();
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        // from the 70th call on, a number where a string belongs; the 80th lacks the member altogether
        register("drifts", tool(JsonSchema.object().build(), output, c -> {
            int i = n.incrementAndGet();
            return ToolResult.of("v", i == 80 ? Map.of() : Map.of("version", i >= 70 ? (Object) i : "9.1"));
        }), Scopes.READ);
        McpAsyncServerExchange ex = exchange(Caller.ANONYMOUS);
        List<Integer> refused = new java.util.ArrayList<>();
        for (int i = 1; i <= ToolEntry.FULL_CHECKS + 2 * ToolEntry.SAMPLE_EVERY; i++) {
            if (call(ex, "drifts", Map.of(), i, null).isError()) {
                refused.add(i);
            }
        }
        assertThat(refused).as("the missing member at once, the wrong type when sampled").containsExactly(80, 97);
    }

    @Test
    void reportsProgressWhenTheClientAsksForIt() {
        register("slow", tool(JsonSchema.object().build(), null, c -> {
            c.progress(1, 2.0, "half");
            c.progress(1, 2.0, "repeated values are dropped");
            c.progress(2, 2.0, "done");
            return ToolResult.text("ok");
        }), Scopes.READ);
        call(exchange(Caller.ANONYMOUS), "slow", Map.of(), 1, Map.of("progressToken", "p-1"));
        assertThat(progress).extracting(McpSchema.ProgressNotification::message).containsExactly("half", "done");
        assertThat(progress).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("p-1"));
        progress.clear();
        call(exchange(Caller.ANONYMOUS), "slow", Map.of(), 2, null);
        assertThat(progress).isEmpty();
    }

    @Test
    void aCancelledNotificationStopsTheRunningCall() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        register("wait", tool(JsonSchema.object().build(), null, c -> {
            running.countDown();
            Thread.sleep(30_000);
            return ToolResult.text("finished");
        }), Scopes.READ);
        McpAsyncServerExchange ex = exchange(Caller.ANONYMOUS);
        var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> call(ex, "wait", Map.of(), "req-7", null));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        handlers.notificationHandlers().get("notifications/cancelled")
                .handle(ex, Map.of("requestId", "req-7", "reason", "user pressed stop")).block();
        McpSchema.CallToolResult r = result.get(10, TimeUnit.SECONDS);
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("cancelled");
    }

    @Test
    void setLevelNeedsAValidLevel() {
        McpSessions sessions = new McpSessions(Map.of(), Map.of(), null, Duration.ofSeconds(1), v -> null);
        handlers.sessions(sessions);
        assertThat(handlers.requestHandlers().get("logging/setLevel").handle(exchange(Caller.ANONYMOUS),
                Map.of("level", "debug")).block()).isEqualTo(Map.of());
        assertThatThrownBy(() -> handlers.requestHandlers().get("logging/setLevel").handle(exchange(Caller.ANONYMOUS),
                Map.of("level", "loud")).block()).isInstanceOf(McpError.class);
    }

    @Test
    void everyCallIsAuditedWithItsOutcomeAndArguments() {
        register("t", tool(JsonSchema.object().optional("vmid", JsonSchema.integer()).build(), null,
                c -> ToolResult.text("ran")), Scopes.READ);
        call(exchange(Caller.ANONYMOUS), "t", Map.of("vmid", 101), 1, null);
        call(exchange(Caller.ANONYMOUS), "t", Map.of("vmid", "x"), 2, null);
        assertThat(audited).extracting(AuditEvent::outcome).containsExactly("ok", "invalid");
        assertThat(audited.get(0).arguments()).containsEntry("vmid", 101);
        assertThat(audited.get(0).action()).isEqualTo("tools/call");
    }

    @Test
    void withoutAWorkingAuditLogNothingThatChangesStateRuns() {
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        register("w", tool(JsonSchema.object().build(), null, c -> {
            ran.incrementAndGet();
            return ToolResult.text("ran");
        }), Scopes.WRITE);
        auditFailure = "disk full";
        McpSchema.CallToolResult failing = call(exchange(Caller.ANONYMOUS), "w", Map.of(), 1, null);
        assertThat(failing.isError()).isTrue();
        assertThat(text(failing)).contains("cannot record tool calls", "disk full");
        auditFailure = null;
        auditRunning = false;
        assertThat(text(call(exchange(Caller.ANONYMOUS), "w", Map.of(), 2, null))).contains("audit log is not running");
        assertThat(ran).hasValue(0);
        auditRunning = true;
        assertThat(call(exchange(Caller.ANONYMOUS), "w", Map.of(), 3, null).isError()).isFalse();
        assertThat(ran).hasValue(1);
    }

    @Test
    void aRequestWithoutACallerMayDoNothing() {
        register("r", Fixtures.simple("read"), Scopes.READ);
        McpAsyncServerExchange ex = exchange(Caller.ANONYMOUS);
        when(ex.transportContext()).thenReturn(McpTransportContext.EMPTY);
        assertThat(text(call(ex, "r", Map.of(), 1, null))).contains("needs the scope proxmox:read");
    }
}
