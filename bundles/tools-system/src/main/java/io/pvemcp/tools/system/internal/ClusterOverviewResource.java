package io.pvemcp.tools.system.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.pvemcp.api.Json;
import io.pvemcp.api.Resource;
import io.pvemcp.api.ResourceContents;
import io.pvemcp.api.ResourceRequest;
import io.pvemcp.api.ResourceService;
import io.pvemcp.api.pve.ProxmoxClient;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code proxmox://cluster/overview}: the cluster at a glance, small enough for any model context however
 * many guests the cluster runs (guests are counted, not listed).
 */
@Component(service = Resource.class, configurationPolicy = ConfigurationPolicy.IGNORE)
@ResourceService(uri = ClusterOverviewResource.URI, name = "cluster-overview", title = "Proxmox cluster overview",
        description = "The cluster at a glance: name, quorum, Proxmox VE version, every node with its status, CPU, "
                + "memory and uptime, guest counts by type and status, and storage use. Read it first for context.")
public final class ClusterOverviewResource implements Resource {

    static final String URI = "proxmox://cluster/overview";

    @Override
    public ResourceContents read(ResourceRequest request) throws Exception {
        ProxmoxClient pve = request.proxmox();
        Map<String, Object> version = Json.map(pve.get("/version", Map.of()).get());
        List<Object> status = Json.list(pve.get("/cluster/status", Map.of()).get());
        List<Object> resources = Json.list(pve.get("/cluster/resources", Map.of()).get());
        return ResourceContents.text(URI, "application/json", Json.write(overview(version, status, resources)));
    }

    static Map<String, Object> overview(Map<String, Object> version, List<Object> status, List<Object> resources) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> cluster = new LinkedHashMap<>();
        for (Object o : status) {
            Map<String, Object> m = Json.map(o);
            if ("cluster".equals(m.get("type"))) {
                cluster.put("name", Json.string(m, "name"));
                cluster.put("quorate", Json.bool(m, "quorate", false));
            }
        }
        cluster.put("version", Json.string(version, "version"));
        out.put("cluster", cluster);
        List<Map<String, Object>> nodes = new ArrayList<>();
        Map<String, Map<String, Integer>> guests = new TreeMap<>();
        Set<String> sharedSeen = new HashSet<>();
        long storageUsed = 0;
        long storageTotal = 0;
        for (Object o : resources) {
            Map<String, Object> r = Json.map(o);
            String type = Json.string(r, "type");
            if ("node".equals(type)) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("node", Json.string(r, "node"));
                n.put("status", Json.string(r, "status"));
                if ("online".equals(r.get("status"))) {
                    n.put("cpuPercent", Math.round(Json.doubleValue(r, "cpu", 0) * 1000) / 10.0);
                    n.put("cpus", Json.longValue(r, "maxcpu", 0));
                    long mem = Json.longValue(r, "mem", 0);
                    long maxmem = Json.longValue(r, "maxmem", 0);
                    n.put("memoryUsedBytes", mem);
                    n.put("memoryTotalBytes", maxmem);
                    n.put("memoryPercent", maxmem == 0 ? 0 : Math.round(mem * 1000.0 / maxmem) / 10.0);
                    n.put("uptimeSeconds", Json.longValue(r, "uptime", 0));
                }
                nodes.add(n);
            } else if ("qemu".equals(type) || "lxc".equals(type)) {
                String state = Json.bool(r, "template", false) ? "template" : String.valueOf(r.get("status"));
                guests.computeIfAbsent(type, k -> new TreeMap<>()).merge(state, 1, Integer::sum);
            } else if ("storage".equals(type)) {
                if (Json.bool(r, "shared", false) && !sharedSeen.add(Json.string(r, "storage"))) {
                    continue;
                }
                storageUsed += Json.longValue(r, "disk", 0);
                storageTotal += Json.longValue(r, "maxdisk", 0);
            }
        }
        nodes.sort((a, b) -> String.valueOf(a.get("node")).compareTo(String.valueOf(b.get("node"))));
        cluster.put("nodes", nodes.size());
        cluster.put("nodesOnline", nodes.stream().filter(n -> "online".equals(n.get("status"))).count());
        out.put("nodes", nodes);
        out.put("guests", guests);
        out.put("storage", Map.of("usedBytes", storageUsed, "totalBytes", storageTotal));
        return out;
    }
}
