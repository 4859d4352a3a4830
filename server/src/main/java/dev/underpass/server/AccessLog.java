package dev.underpass.server;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one-line-per-request access log ({@code action=… account=… status=… ms=…}), written off the request path.
 *
 * <p>Writing each line straight to standard error costs a system call per request, about a seventh of the time of a
 * simple request on two cores. Here the event loop only queues the line; a daemon thread writes whatever has queued
 * up in one buffered write. Lines are never dropped; on shutdown the queue is drained.
 */
final class AccessLog implements AutoCloseable {
    /** {@code -Dunderpass.accessLog=false} (or env {@code UNDERPASS_ACCESS_LOG=false}) turns the log off. */
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("underpass.accessLog",
            System.getenv().getOrDefault("UNDERPASS_ACCESS_LOG", "true")));

    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
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
        List<String> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                String first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch);
                for (String line : batch) {
                    out.write(line);
                }
                out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                return; // standard error is gone; nothing sensible left to do with the log
            } finally {
                batch.clear();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (ENABLED) {
            try {
                writer.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
