package dev.tollgate.platform;

import java.time.Duration;

/**
 * Work a feature has accepted and not yet written (usage events, charges, …), as the system statistics show it and
 * the services restart drains it. Implemented by the feature that owns the queue; found as CDI beans of this type.
 * Every method is thread-safe and callable from a worker thread (not from an event loop: {@link #drain} blocks).
 */
public interface WorkQueue {

    /** A short stable name, e.g. {@code usage_events}. */
    String name();

    /** Items waiting now. */
    int depth();

    /** Most items the queue holds; -1 when it has no bound. */
    int capacity();

    /**
     * Writes out what was accepted before the call and waits for it, at most {@code timeout}. Items accepted meanwhile
     * may or may not be included. Returns whether everything accepted before the call is written.
     */
    boolean drain(Duration timeout) throws InterruptedException;
}
