package io.pvemcp.api;

import java.util.Locale;

/**
 * How much harm a {@link Tool} can do, declared by every tool ({@link Tool#RISK}, {@link ToolService#risk()}). The
 * registry decides from it which calls a human confirms first (by default {@link #DESTROY}), which accept
 * {@code dry_run} (all but {@link #READ}), which guard rails apply, and the behaviour hints clients see.
 *
 * @since 1.5
 */
public enum Risk {

    /** Only reads; changes nothing. */
    READ,
    /** Changes the power state of a guest in a way it recovers from: start, shutdown, reboot, suspend, resume. */
    POWER,
    /** Creates or changes something that can be changed back: create, clone, migrate, resize, configure. */
    CHANGE,
    /**
     * Loses something for good or interrupts a workload without warning: delete a guest, snapshot, backup or
     * disk; roll back; restore over an existing guest; stop (pull the plug).
     */
    DESTROY;

    /** @return the lower-case name used in configuration, tokens and results, e.g. {@code destroy} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id a risk class as written in configuration ({@code read}, {@code power}, {@code change},
     *        {@code destroy}), in any case
     * @return the risk class
     * @throws IllegalArgumentException naming the classes there are, when {@code id} is none of them
     */
    public static Risk of(String id) {
        for (Risk r : values()) {
            if (r.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException("'" + id + "' is not a risk class; use read, power, change or destroy");
    }
}
