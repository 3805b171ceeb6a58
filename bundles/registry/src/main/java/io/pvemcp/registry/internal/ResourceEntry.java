package io.pvemcp.registry.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.modelcontextprotocol.spec.McpSchema;
import io.pvemcp.api.Resource;
import io.pvemcp.api.Scopes;
import io.pvemcp.registry.ToolRegistry.ContributionInfo;

/** An accepted resource or resource template. */
final class ResourceEntry extends Contributions.Entry<Resource> {

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    final String uri;
    final String name;
    final String mimeType;
    final String scope;
    final boolean template;
    private final Pattern matcher;
    private final List<String> variables = new ArrayList<>();
    final McpSchema.Resource resource;
    final McpSchema.ResourceTemplate resourceTemplate;

    private ResourceEntry(Contributions.Source<Resource> source) {
        super(Properties.required(source.properties(), Resource.URI), source);
        Map<String, Object> p = source.properties();
        this.uri = key;
        if (!uri.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.+")) {
            throw new Contributions.Rejected("the resource URI '" + uri + "' must look like scheme://path, e.g. "
                    + "proxmox://cluster/overview");
        }
        this.name = Properties.required(p, Resource.NAME);
        String title = Properties.optional(p, Resource.TITLE, null);
        String description = Properties.optional(p, Resource.DESCRIPTION, null);
        this.mimeType = Properties.optional(p, Resource.MIME_TYPE, "application/json");
        this.scope = Properties.optional(p, Resource.SCOPE, Scopes.READ);
        if (!Scopes.isKnown(scope)) {
            throw new Contributions.Rejected("the scope '" + scope + "' is not one of " + Scopes.ALL);
        }
        this.template = uri.contains("{");
        if (template) {
            StringBuilder regex = new StringBuilder();
            Matcher m = VARIABLE.matcher(uri);
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(uri.substring(last, m.start()))).append("([^/?#]+)");
                variables.add(m.group(1));
                last = m.end();
            }
            regex.append(Pattern.quote(uri.substring(last)));
            String rest = VARIABLE.matcher(uri).replaceAll("");
            if (rest.contains("{") || rest.contains("}") || variables.isEmpty()) {
                throw new Contributions.Rejected("the URI template '" + uri + "' must use simple {variable} "
                        + "placeholders (RFC 6570 level 1)");
            }
            this.matcher = Pattern.compile(regex.toString());
            this.resource = null;
            this.resourceTemplate = McpSchema.ResourceTemplate.builder().uriTemplate(uri).name(name).title(title)
                    .description(description).mimeType(mimeType).build();
        } else {
            this.matcher = null;
            this.resource = McpSchema.Resource.builder().uri(uri).name(name).title(title).description(description)
                    .mimeType(mimeType).build();
            this.resourceTemplate = null;
        }
    }

    static ResourceEntry read(Contributions.Source<Resource> source) {
        return new ResourceEntry(source);
    }

    /** @return the template variables if {@code concrete} matches this template, else {@code null} */
    Map<String, String> match(String concrete) {
        if (!template) {
            return uri.equals(concrete) ? Map.of() : null;
        }
        Matcher m = matcher.matcher(concrete);
        if (!m.matches()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < variables.size(); i++) {
            values.put(variables.get(i), java.net.URLDecoder.decode(m.group(i + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        return values;
    }

    @Override
    ContributionInfo info() {
        String title = template ? resourceTemplate.title() : resource.title();
        return new ContributionInfo("resource", uri, title == null ? "" : title, "", scope, "", true, false, bundle,
                bundleId, serviceId, ranking);
    }
}
