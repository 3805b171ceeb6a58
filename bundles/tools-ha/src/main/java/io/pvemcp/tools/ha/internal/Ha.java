package io.pvemcp.tools.ha.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.pvemcp.api.Json;
import io.pvemcp.api.pve.GuestRef;
import io.pvemcp.api.pve.ProxmoxClient;
import io.pvemcp.tools.guest.Futures;

/** What the HA tools share: a guest's HA service id and resource, and the names of guests. */
final class Ha {

    private Ha() {
    }

    /** @return the service id HA knows the guest by, e.g. {@code vm:100} or {@code ct:200} */
    static String sid(GuestRef guest) {
        return ("qemu".equals(guest.type()) ? "vm:" : "ct:") + guest.vmid();
    }

    /** @return the guest's HA resource, or {@code null} if HA does not manage it */
    static Map<String, Object> resource(ProxmoxClient pve, GuestRef guest) {
        String sid = sid(guest);
        for (Object o : Json.list(Futures.join(pve.get("/cluster/ha/resources", Map.of())))) {
            Map<String, Object> r = Json.map(o);
            if (sid.equals(Json.string(r, "sid"))) {
                return r;
            }
        }
        return null;
    }

    static Map<Long, String> names(ProxmoxClient pve) {
        Map<Long, String> names = new LinkedHashMap<>();
        for (Object o : Json.list(Futures.join(pve.get("/cluster/resources", Map.of("type", "vm"))))) {
            Map<String, Object> r = Json.map(o);
            names.put(Json.longValue(r, "vmid", 0), r.get("name") == null ? null : Json.string(r, "name"));
        }
        return names;
    }
}
