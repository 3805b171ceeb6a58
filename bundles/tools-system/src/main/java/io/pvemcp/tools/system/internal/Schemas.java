package io.pvemcp.tools.system.internal;

import io.pvemcp.api.JsonSchema;

/** Schema fragments shared by the system tools. */
final class Schemas {

    /** A Proxmox node name, as the API accepts it. */
    static JsonSchema node() {
        return JsonSchema.string().pattern("^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$").maxLength(63);
    }

    private Schemas() {
    }
}
