package dev.underpass.dataplane;

import dev.underpass.model.World;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread on which something that follows the world (the data plane, the service endpoints) opens and
 * closes its listeners, and the version of the world it last applied. Both poll the same way: they redo their work
 * when the world's version moves, and at least once a second even when it does not, since some states (instance
 * transitions, expiries) follow the clock rather than the version. Kept in one place so that the two cannot drift.
 */
public final class ControlThread {
    /** How long a world may stand without a full pass over it, even when its version has not moved. */
    public static final long FULL_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Logger LOG = LoggerFactory.getLogger(ControlThread.class);

    private final ScheduledExecutorService executor;
    private long seenVersion = -1;
    private long lastFull;

    /** A daemon thread named {@code name}. */
    public ControlThread(String name) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    public ScheduledExecutorService executor() {
        return executor;
    }

    /**
     * Whether {@code w} wants a pass: its version is new, or the last full pass is a second old. Answering yes
     * records {@code w} as applied (control thread only).
     */
    public boolean due(World w) {
        long now = System.nanoTime();
        if (w.version() == seenVersion && now - lastFull < FULL_REFRESH_NANOS) {
            return false;
        }
        seenVersion = w.version();
        lastFull = now;
        return true;
    }

    /** Runs {@code refresh} on the control thread as if the world were new, and waits until it is done. */
    public void sync(Runnable refresh) {
        try {
            executor.submit(() -> {
                seenVersion = -1;
                refresh.run();
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Runs {@code last} on the control thread, waiting five seconds at the most, then stops the thread. A failure is
     * logged as {@code what}'s, and the thread is stopped all the same.
     */
    public void stop(String what, Runnable last) {
        try {
            executor.submit(last).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("{}: closing listeners failed", what, e);
        }
        executor.shutdownNow();
    }
}
