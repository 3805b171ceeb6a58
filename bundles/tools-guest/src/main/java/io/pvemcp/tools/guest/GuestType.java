package io.pvemcp.tools.guest;

/** The two kinds of Proxmox VE guests, with the words tools use for them. */
public enum GuestType {

    /** A QEMU/KVM virtual machine ({@code /nodes/{node}/qemu}). */
    VM("qemu", "VM", "VMs", "vms", "proxmox_vm"),
    /** An LXC container ({@code /nodes/{node}/lxc}). */
    CONTAINER("lxc", "container", "containers", "containers", "proxmox_ct");

    private final String api;
    private final String noun;
    private final String plural;
    private final String listKey;
    private final String toolPrefix;

    GuestType(String api, String noun, String plural, String listKey, String toolPrefix) {
        this.api = api;
        this.noun = noun;
        this.plural = plural;
        this.listKey = listKey;
        this.toolPrefix = toolPrefix;
    }

    /** @return the API's name: {@code qemu} or {@code lxc} */
    public String api() {
        return api;
    }

    /** @return {@code VM} or {@code container} */
    public String noun() {
        return noun;
    }

    /** @return {@code VMs} or {@code containers} */
    public String plural() {
        return plural;
    }

    /** @return the key of the list in list results: {@code vms} or {@code containers} */
    public String listKey() {
        return listKey;
    }

    /** @return the prefix of the standard tools for this type: {@code proxmox_vm} or {@code proxmox_ct} */
    public String toolPrefix() {
        return toolPrefix;
    }

    /**
     * @param api the API's name of a guest type, {@code qemu} or {@code lxc}
     * @return the guest type
     * @throws IllegalArgumentException for another name
     */
    public static GuestType of(String api) {
        for (GuestType t : values()) {
            if (t.api.equals(api)) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a guest type: " + api);
    }
}
