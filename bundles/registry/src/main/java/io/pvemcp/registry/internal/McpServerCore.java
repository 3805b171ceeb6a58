package io.pvemcp.registry.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.pvemcp.api.Caller;
import io.pvemcp.api.Prompt;
import io.pvemcp.api.Resource;
import io.pvemcp.api.ResourceUpdates;
import io.pvemcp.api.metrics.MetricSource;
import io.pvemcp.api.metrics.MetricWriter;
import io.pvemcp.api.Tool;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.registry.ToolRegistry;
import io.pvemcp.security.AuditLog;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The MCP server core. A whiteboard: {@link Tool}, {@link Resource} and {@link Prompt} services are served
 * to the sessions of every MCP transport as they come and go, and clients are told with list-changed
 * notifications. The server is built once; contributions change the live tables only.
 */
@Component(service = {ToolRegistry.class, ResourceUpdates.class, MetricSource.class}, immediate = true,
        configurationPid = "io.pvemcp.registry")
@Designate(ocd = RegistryConfig.class)
public final class McpServerCore implements ToolRegistry, ResourceUpdates, MetricSource {

    private static final Logger LOG = LoggerFactory.getLogger(McpServerCore.class);
    /** This bundle's symbolic name: its own tools do not talk to Proxmox. */
    static final String BUNDLE = "io.pvemcp.registry";

    static final String INSTRUCTIONS = "This server manages a Proxmox VE cluster (virtual machines, containers, "
            + "storage, nodes). Tools are named proxmox_<category>_<action>; read-only and destructive ones are marked. "
            + "Every tool that changes something takes dry_run: true to preview the call. A person confirms "
            + "destructive calls: the server asks the user, or holds the call for approval in its admin console and "
            + "tells you the approval id. "
            + "Start with the resource proxmox://cluster/overview or proxmox_test_connection when you need context. "
            + "Errors say what to fix; follow them rather than guessing.";
    /** Added when the server has more than one cluster (no names: a tenant learns them from the tools). */
    static final String SEVERAL_CLUSTERS = " This server reaches several clusters: proxmox_cluster_list names those you "
            + "can use; tools take cluster (default: the first), resources ?cluster=NAME, prompts cluster.";

    /**
     * How long lists (and calls for a tool not there yet) wait for the start at most (the launcher waits as long for a
     * start level).
     */
    static final long STARTUP_WAIT_MS = 60_000;

    private final Contributions<Tool, ToolEntry> tools;
    private final Contributions<Resource, ResourceEntry> resources;
    private final Contributions<Prompt, PromptEntry> prompts;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private final SchemaChecker schemas;
    private final Scheduler scheduler;
    private final McpSessions sessions;
    private final ListChangedNotifier notifier;
    private final StartupGate gate;
    private final Set<McpStreamableServerTransportProvider> transports = new CopyOnWriteArraySet<>();
    private final Set<McpServerTransportProvider> connectionTransports = new CopyOnWriteArraySet<>();
    private final McpSchema.Implementation serverInfo;
    private final McpSchema.ServerCapabilities capabilities;
    private final Clusters clusters = new Clusters();
    /** Whether a thread prepares the clusters' clients (see {@link #prepareClusters()}). */
    private final AtomicBoolean preparing = new AtomicBoolean();
    private volatile AuditLog audit;
    private volatile io.pvemcp.security.Gatekeeper gatekeeper;
    private final SwitchStore switches;
    private final McpHandlers handlers;
    private final org.osgi.framework.ServiceRegistration<Tool> approvalStatus;
    private final List<org.osgi.framework.ServiceRegistration<Tool>> discovery = new ArrayList<>();
    /** The admin console's approvals page, where held calls are decided; without it, nothing can be held. */
    private final org.osgi.util.tracker.ServiceTracker<Object, Object> approvalPages;

    @Activate
    public McpServerCore(BundleContext context, RegistryConfig config, @Reference(name = "state",
            cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            io.pvemcp.security.store.SharedState state) {
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        McpJsonMapper json = new JacksonMcpJsonMapper(mapper);
        String stateDir = config.state_dir() == null ? "" : config.state_dir().strip();
        this.schemas = new SchemaChecker(mapper, stateDir.isEmpty() ? null : Path.of(stateDir));
        this.tools = new Contributions<>("tool", Tool.NAME, s -> ToolEntry.read(s, schemas));
        this.resources = new Contributions<>("resource", Resource.URI, ResourceEntry::read);
        this.prompts = new Contributions<>("prompt", Prompt.NAME, PromptEntry::read);

        int threads = Math.max(1, config.max_concurrent_calls());
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(Math.max(1, config.max_queued_calls())), r -> {
                    Thread t = new Thread(r, "pvemcp-call-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.workers.allowCoreThreadTimeOut(true);
        this.scheduler = Schedulers.fromExecutorService(workers, "pvemcp-calls");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pvemcp-registry-timer");
            t.setDaemon(true);
            return t;
        });
        this.notifier = new ListChangedNotifier(timer, Math.max(0, config.list_changed_delay_ms()), this::broadcast);
        this.gate = new StartupGate(context, timer, STARTUP_WAIT_MS);

        Version v = context.getBundle().getVersion();
        String version = v.getMajor() + "." + v.getMinor() + "." + v.getMicro()
                + (v.getQualifier().isEmpty() ? "" : "-" + v.getQualifier());
        this.serverInfo = new McpSchema.Implementation("proxmox-mcp", "Proxmox MCP Server", version);
        this.capabilities = McpSchema.ServerCapabilities.builder().tools(true).resources(true, true).prompts(true)
                .logging().completions().build();

        // with a state database (the launcher then makes the reference mandatory), replicas share switches and approvals
        this.switches = new SwitchStore(state != null ? state.documents()
                : stateDir.isEmpty() ? null : io.pvemcp.security.store.Documents.folder(Path.of(stateDir)));
        McpHandlers handlers = new McpHandlers(tools, resources, prompts, json, mapper, scheduler, clusters,
                () -> audit, switches::get, gate);
        this.sessions = new McpSessions(handlers.requestHandlers(), handlers.notificationHandlers(),
                new LazySchemaValidator(() -> new DefaultJsonSchemaValidator(mapper)),
                Duration.ofSeconds(Math.max(1, config.client_request_timeout_s())),
                protocol -> new McpSchema.InitializeResult(protocol, capabilities, serverInfo, clusters.several()
                        ? INSTRUCTIONS + SEVERAL_CLUSTERS : INSTRUCTIONS));
        handlers.sessions(sessions);
        this.handlers = handlers;
        handlers.invoker().safety().policy(policy(config));
        handlers.invoker().callersMayRun(threads);
        if (state != null) {
            handlers.invoker().shareApprovals(state.documents());
        }
        try {
            this.approvalPages = new org.osgi.util.tracker.ServiceTracker<>(context, context.createFilter(
                    "(&(objectClass=jakarta.servlet.Servlet)(felix.webconsole.label=mcp-approvals))"), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        approvalPages.open(true);
        handlers.invoker().approvers(() -> !approvalPages.isEmpty());
        handlers.invoker().credentials(caller -> {
            io.pvemcp.security.Gatekeeper g = gatekeeper;
            return g == null ? null : g.invalidated(caller);
        });
        this.approvalStatus = context.registerService(Tool.class, new ApprovalStatusTool(this::approval),
                ApprovalStatusTool.properties());
        discovery.add(context.registerService(Tool.class, new ClusterListTool(clusters), ClusterListTool.properties()));
        Toolsets toolsets = new Toolsets(io.pvemcp.security.LimitsFormat.toolsets(config.toolsets()),
                config.toolsets_dynamic());
        handlers.invoker().toolsets(toolsets);
        sessions.onClosed(toolsets::forget);
        sessions.onOpened(this::prepareClusters);
        if (toolsets.dynamic()) {
            ToolsetTools tt = new ToolsetTools(() -> handlers.invoker().toolsets(), this::catalogue, sessions::notify);
            discovery.add(context.registerService(Tool.class, tt.list(), ToolsetTools.listProperties()));
            discovery.add(context.registerService(Tool.class, tt.enable(), ToolsetTools.enableProperties()));
        }
        timer.scheduleWithFixedDelay(this::followSwitches, 1, 1, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(schemas::save, 5, 30, TimeUnit.SECONDS);
        LOG.info("MCP registry {} started ({} concurrent tool calls)", version, threads);
    }

    @Deactivate
    void deactivate() {
        gate.close();
        approvalPages.close();
        try {
            approvalStatus.unregister();
        } catch (IllegalStateException e) {
            LOG.debug("the approval status tool was already gone");
        }
        for (var r : discovery) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                LOG.debug("a toolset discovery tool was already gone");
            }
        }
        for (McpStreamableServerTransportProvider t : transports) {
            t.setSessionFactory(null);
        }
        for (McpServerTransportProvider t : connectionTransports) {
            t.setSessionFactory(null);
        }
        sessions.closeAll();
        timer.shutdownNow();
        schemas.save();
        workers.shutdownNow();
        scheduler.dispose();
        tools.clear();
        resources.clear();
        prompts.clear();
    }

    // ---- whiteboard

    @Reference(service = Tool.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTool(ComponentServiceObjects<Tool> objects, Map<String, Object> properties) {
        if (tools.add(objects, properties)) {
            listChanged(McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED);
            // a call that came during the start may wait for this tool only
            gate.changed();
        }
    }

    void updatedTool(ComponentServiceObjects<Tool> objects, Map<String, Object> properties) {
        boolean removed = tools.remove(objects, properties);
        if (tools.add(objects, properties) || removed) {
            listChanged(McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED);
            gate.changed();
        }
    }

    void unbindTool(ComponentServiceObjects<Tool> objects, Map<String, Object> properties) {
        if (tools.remove(objects, properties)) {
            listChanged(McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED);
        }
    }

    @Reference(service = Resource.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindResource(ComponentServiceObjects<Resource> objects, Map<String, Object> properties) {
        if (resources.add(objects, properties)) {
            listChanged(McpSchema.METHOD_NOTIFICATION_RESOURCES_LIST_CHANGED);
        }
    }

    void updatedResource(ComponentServiceObjects<Resource> objects, Map<String, Object> properties) {
        boolean removed = resources.remove(objects, properties);
        if (resources.add(objects, properties) || removed) {
            listChanged(McpSchema.METHOD_NOTIFICATION_RESOURCES_LIST_CHANGED);
        }
    }

    void unbindResource(ComponentServiceObjects<Resource> objects, Map<String, Object> properties) {
        if (resources.remove(objects, properties)) {
            listChanged(McpSchema.METHOD_NOTIFICATION_RESOURCES_LIST_CHANGED);
        }
    }

    @Reference(service = Prompt.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPrompt(ComponentServiceObjects<Prompt> objects, Map<String, Object> properties) {
        if (prompts.add(objects, properties)) {
            listChanged(McpSchema.METHOD_NOTIFICATION_PROMPTS_LIST_CHANGED);
        }
    }

    void updatedPrompt(ComponentServiceObjects<Prompt> objects, Map<String, Object> properties) {
        boolean removed = prompts.remove(objects, properties);
        if (prompts.add(objects, properties) || removed) {
            listChanged(McpSchema.METHOD_NOTIFICATION_PROMPTS_LIST_CHANGED);
        }
    }

    void unbindPrompt(ComponentServiceObjects<Prompt> objects, Map<String, Object> properties) {
        if (prompts.remove(objects, properties)) {
            listChanged(McpSchema.METHOD_NOTIFICATION_PROMPTS_LIST_CHANGED);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindProxmox(ProxmoxClient client, Map<String, Object> properties) {
        if (clusters.bind(client, properties)) {
            clustersChanged();
        }
    }

    void updatedProxmox(ProxmoxClient client, Map<String, Object> properties) {
        if (clusters.bind(client, properties)) {
            clustersChanged();
        }
    }

    void unbindProxmox(ProxmoxClient client) {
        if (clusters.unbind(client)) {
            clustersChanged();
        }
    }

    /**
     * A client that opens a session is about to call tools: the clusters' clients get ready meanwhile (open a
     * connection, see {@link ProxmoxClient#prepare()}) on a thread of their own, one such thread at a time, so that the
     * first call does not wait for the TLS handshake. On stdio that overlaps with the tools still starting.
     */
    private void prepareClusters() {
        if (!preparing.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                for (Clusters.Cluster c : clusters.all()) {
                    if (c.configured()) {
                        try {
                            c.client().prepare();
                        } catch (RuntimeException e) {
                            LOG.debug("Preparing the client of cluster {} failed", c.name(), e);
                        }
                    }
                }
            } finally {
                preparing.set(false);
            }
        }, "pvemcp-prepare");
        t.setDaemon(true);
        t.start();
    }

    /** Tools and prompts take the cluster's name, so their lists change with the clusters. */
    private void clustersChanged() {
        listChanged(McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED);
        listChanged(McpSchema.METHOD_NOTIFICATION_PROMPTS_LIST_CHANGED);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAudit(AuditLog log) {
        audit = log;
    }

    void unbindAudit(AuditLog log) {
        if (audit == log) {
            audit = null;
        }
    }

    /** Tells whether a held call's caller still holds valid credentials when a person approves it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindGatekeeper(io.pvemcp.security.Gatekeeper g) {
        gatekeeper = g;
    }

    void unbindGatekeeper(io.pvemcp.security.Gatekeeper g) {
        if (gatekeeper == g) {
            gatekeeper = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindTransport(McpStreamableServerTransportProvider transport, Map<String, Object> properties) {
        Object name = properties.get("pvemcp.transport");
        transport.setSessionFactory(sessions.streamableFactory(name == null ? "http" : name.toString()));
        transports.add(transport);
    }

    void unbindTransport(McpStreamableServerTransportProvider transport) {
        transports.remove(transport);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindConnectionTransport(McpServerTransportProvider transport, Map<String, Object> properties) {
        Object name = properties.get("pvemcp.transport");
        transport.setSessionFactory(sessions.serverFactory(name == null ? "stdio" : name.toString()));
        connectionTransports.add(transport);
    }

    void unbindConnectionTransport(McpServerTransportProvider transport) {
        connectionTransports.remove(transport);
    }

    /** @return the tools a caller could use by toolset, were the toolset enabled (the registry's own left out) */
    private Map<String, List<ToolsetTools.Listed>> catalogue(io.pvemcp.api.Caller caller) {
        List<Map.Entry<String, ToolsetTools.Listed>> out = new ArrayList<>();
        Toolsets sets = handlers.invoker().toolsets();
        ToolRegistry.Switches on = switches.get();
        for (ToolEntry t : tools.active()) {
            if (!Toolsets.REGISTRY.equals(t.category) && caller.hasScope(t.scope) && on.allows(t.bundle, t.name)
                    && sets.allowed(caller, t.category)) {
                out.add(Map.entry(t.category, new ToolsetTools.Listed(t.name, t.descriptor.title() == null ? t.name
                        : t.descriptor.title(), t.risk.id())));
            }
        }
        return ToolsetTools.group(out);
    }

    private void listChanged(String method) {
        // during the start no session has listed anything yet: their first lists wait for the start and see it all
        if (gate.isOpen()) {
            notifier.changed(method);
        }
    }

    private void broadcast(String method) {
        LOG.debug("announcing {} to {} transport(s)", method, transports.size());
        for (McpServerTransportProviderBase t : List.<McpServerTransportProviderBase>copyOf(transports)) {
            announce(t, method);
        }
        for (McpServerTransportProviderBase t : List.<McpServerTransportProviderBase>copyOf(connectionTransports)) {
            announce(t, method);
        }
    }

    private static void announce(McpServerTransportProviderBase t, String method) {
        t.notifyClients(method, null).onErrorResume(e -> {
            LOG.debug("announcing {} failed: {}", method, e.toString());
            return Mono.empty();
        }).subscribe();
    }

    // ---- reports

    @Override
    public List<ContributionInfo> tools() {
        return tools.infos();
    }

    @Override
    public boolean started() {
        return gate.isOpen();
    }

    @Override
    public List<ContributionInfo> resources() {
        return resources.infos();
    }

    @Override
    public List<ContributionInfo> prompts() {
        return prompts.infos();
    }

    @Override
    public List<Rejection> rejections() {
        List<Rejection> out = new ArrayList<>();
        out.addAll(tools.rejections());
        out.addAll(resources.rejections());
        out.addAll(prompts.rejections());
        return out;
    }

    @Override
    public List<SessionInfo> sessions() {
        return sessions.list();
    }

    @Override
    public List<ClusterInfo> clusters() {
        List<Clusters.Cluster> all = clusters.all();
        List<ClusterInfo> out = new ArrayList<>();
        for (Map<String, Object> m : Clusters.health(all, all.isEmpty() ? null : all.get(0), Clusters.Cluster::client)) {
            out.add(new ClusterInfo((String) m.get("name"), Boolean.TRUE.equals(m.get("default")),
                    (String) m.get("host"), Boolean.TRUE.equals(m.get("ok")), (String) m.get("version"),
                    m.get("nodes") instanceof Integer n ? n : 0, m.get("nodesOnline") instanceof Integer n ? n : 0,
                    Boolean.TRUE.equals(m.get("quorate")), m.get("latencyMs") instanceof Long l ? l : 0,
                    (String) m.get("error")));
        }
        return out;
    }

    @Override
    public void updated(String uri) {
        handlers.resourceUpdated(uri);
    }

    /** The operator's safety policy; a setting that cannot be read keeps the safe default and says why. */
    private static Safety.Policy policy(RegistryConfig c) {
        try {
            return Safety.Policy.of(c.confirm(), c.protected_tags(), c.protected_vmids(), c.protected_pools(),
                    c.destroy_per_minute(), c.approval_minutes(), c.approvals_url());
        } catch (IllegalArgumentException e) {
            LOG.error("The safety settings of io.pvemcp.registry cannot be read ({}); using the defaults: destroy calls "
                    + "are confirmed, nothing else is protected", e.getMessage());
            return Safety.Policy.DEFAULT;
        }
    }

    @Override
    public List<Approval> approvals() {
        return handlers.invoker().approvals();
    }

    @Override
    public Approval approval(String id) {
        return handlers.invoker().approval(id);
    }

    @Override
    public Approval decide(String id, boolean approve, String by) {
        return handlers.invoker().decide(id, approve, by);
    }

    @Override
    public List<ToolDescription> describeTools(Caller caller) {
        return handlers.describe(caller);
    }

    @Override
    public java.util.concurrent.CompletionStage<CallOutcome> call(Caller caller, String tool,
            Map<String, Object> arguments) {
        return handlers.call(caller, tool, arguments);
    }

    @Override
    public Switches switches() {
        return switches.get();
    }

    private void followSwitches() {
        try {
            if (switches.reloadIfChanged()) {
                LOG.info("The operator's switches changed in another process: bundles {}, tools {} are off",
                        switches.get().disabledBundles(), switches.get().disabledTools());
                listChanged(McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED);
                listChanged(McpSchema.METHOD_NOTIFICATION_RESOURCES_LIST_CHANGED);
                listChanged(McpSchema.METHOD_NOTIFICATION_PROMPTS_LIST_CHANGED);
            }
        } catch (RuntimeException e) {
            LOG.debug("checking the switches failed: {}", e.toString());
        }
    }

    @Override
    public void setBundleEnabled(String symbolicName, boolean enabled) {
        if (switches.setBundle(symbolicName, enabled)) {
            LOG.info("The operator switched bundle {} {}", symbolicName, enabled ? "on" : "off");
            listChanged(McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED);
            listChanged(McpSchema.METHOD_NOTIFICATION_RESOURCES_LIST_CHANGED);
            listChanged(McpSchema.METHOD_NOTIFICATION_PROMPTS_LIST_CHANGED);
        }
    }

    @Override
    public void setToolEnabled(String tool, boolean enabled) {
        if (switches.setTool(tool, enabled)) {
            LOG.info("The operator switched tool {} {}", tool, enabled ? "on" : "off");
            listChanged(McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED);
        }
    }

    @Override
    public void collect(MetricWriter out) {
        handlers.invoker().metrics().collect(out);
        out.gauge("pvemcp_sessions", "Open MCP sessions", Map.of(), sessions.count());
    }
}
