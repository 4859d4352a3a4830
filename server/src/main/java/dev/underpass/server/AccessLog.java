package dev.underpass.server;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one-line-per-request access log ({@code action=… account=… status=… ms=…}), written off the request path.
 *
 * <p>Writing each line straight to standard error costs a system call per request, about a seventh of the time of a
 * simple request on two cores. Here the event loop only queues the line; a daemon thread writes whatever has queued
 * up in one buffered write. It is not woken per line (waking it is a system call and a context switch per request,
 * which a lone client pays in full): it looks every {@link #INTERVAL_NANOS}, so a line appears at most that much
 * later. Lines are never dropped; on shutdown the queue is drained.
 */
final class AccessLog implements AutoCloseable {
    /** {@code -Dunderpass.accessLog=false} (or env {@code UNDERPASS_ACCESS_LOG=false}) turns the log off. */
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("underpass.accessLog",
            System.getenv().getOrDefault("UNDERPASS_ACCESS_LOG", "true")));

    /** How often the log thread writes what has queued up. */
    static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final Writer out;
    private final Thread writer;
    private volatile boolean closed;

    AccessLog(PrintStream stream) {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        this.writer = Thread.ofPlatform().name("underpass-access-log").daemon(true).unstarted(this::run);
        if (ENABLED) {
            writer.start();
        }
    }

    void log(String action, String account, int status, String errorCode, long nanos) {
        if (!ENABLED) {
            return;
        }
        StringBuilder sb = new StringBuilder(96);
        sb.append(Instant.now()).append(" INFO access - action=").append(action == null ? "-" : action)
                .append(" account=").append(account).append(" status=").append(status);
        if (errorCode != null) {
            sb.append(" code=").append(errorCode);
        }
        sb.append(" ms=").append(millis(nanos)).append('\n');
        queue.add(sb.toString());
    }

    /** Nanoseconds as milliseconds with two decimals. */
    static String millis(long nanos) {
        long hundredths = (nanos + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
    }

    private void run() {
        while (!closed || !queue.isEmpty()) {
            try {
                boolean wrote = false;
                for (String line; (line = queue.poll()) != null;) {
                    out.write(line);
                    wrote = true;
                }
                if (wrote) {
                    out.flush();
                }
            } catch (IOException e) {
                return; // standard error is gone; nothing sensible left to do with the log
            }
            if (!closed) {
                LockSupport.parkNanos(INTERVAL_NANOS);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (ENABLED) {
            LockSupport.unpark(writer);
            try {
                writer.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
