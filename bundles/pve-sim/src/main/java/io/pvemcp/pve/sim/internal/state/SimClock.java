package io.pvemcp.pve.sim.internal.state;

import java.time.Duration;

/**
 * The simulated cluster's clock: the system clock plus an offset that tests can move forward, to expire
 * tickets or age tasks without waiting.
 */
public final class SimClock {

    private volatile long offsetMillis;

    /** @return milliseconds since the epoch, simulated */
    public long millis() {
        return System.currentTimeMillis() + offsetMillis;
    }

    /** @return seconds since the epoch, simulated */
    public long seconds() {
        return millis() / 1000;
    }

    /** @param by how far to move the clock forward */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward");
        }
        offsetMillis += by.toMillis();
    }
}
