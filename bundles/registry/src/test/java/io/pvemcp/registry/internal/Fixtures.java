package io.pvemcp.registry.internal;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.HashMap;
import java.util.Map;

import io.pvemcp.api.JsonSchema;
import io.pvemcp.api.Tool;
import io.pvemcp.api.ToolCall;
import io.pvemcp.api.ToolResult;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

/** Mocked service registrations for registry unit tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** A tool that behaves as the function says. */
    interface Behaviour {
        ToolResult call(ToolCall call) throws Exception;
    }

    static Tool tool(Map<String, Object> input, Map<String, Object> output, Behaviour behaviour) {
        return new Tool() {
            @Override
            public Map<String, Object> inputSchema() {
                return input;
            }

            @Override
            public Map<String, Object> outputSchema() {
                return output;
            }

            @Override
            public ToolResult call(ToolCall call) throws Exception {
                return behaviour.call(call);
            }
        };
    }

    static Tool simple(String text) {
        return tool(JsonSchema.object().build(), null, c -> ToolResult.text(text));
    }

    static Map<String, Object> props(String name, long serviceId, int ranking) {
        Map<String, Object> p = new HashMap<>();
        p.put(Tool.NAME, name);
        p.put(Tool.DESCRIPTION, "A tool for tests.");
        p.put(Tool.CATEGORY, "test");
        p.put(Constants.SERVICE_ID, serviceId);
        p.put(Constants.SERVICE_RANKING, ranking);
        return p;
    }

    @SuppressWarnings("unchecked")
    static <T> ComponentServiceObjects<T> objects(T service, Map<String, Object> props, String bundle) {
        ServiceReference<T> ref = mock(ServiceReference.class);
        Bundle b = mock(Bundle.class);
        when(b.getSymbolicName()).thenReturn(bundle);
        when(b.getBundleId()).thenReturn(7L);
        when(ref.getBundle()).thenReturn(b);
        when(ref.getProperty(Constants.SERVICE_ID)).thenReturn(props.get(Constants.SERVICE_ID));
        when(ref.getProperty(Constants.SERVICE_RANKING)).thenReturn(props.get(Constants.SERVICE_RANKING));
        ComponentServiceObjects<T> objects = mock(ComponentServiceObjects.class);
        when(objects.getServiceReference()).thenReturn(ref);
        when(objects.getService()).thenReturn(service);
        return objects;
    }
}
