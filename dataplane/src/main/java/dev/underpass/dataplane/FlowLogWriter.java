package dev.underpass.dataplane;

import dev.underpass.model.World;
import dev.underpass.model.ec2.FlowLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes VPC flow log records for the flows the data plane reports: each record goes to every flow log that
 * watches the interface (or its subnet or VPC), in that flow log's format, into one file per aggregation window
 * ({@code MaxAggregationInterval}, 60 or 600 s) under {@code <dir>/<flow-log-id>/}, named as AWS names its S3
 * objects ({@code <account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log}, the time being the
 * window's start), with AWS's header line of field names first. Whatever the destination type (CloudWatch Logs,
 * S3, Firehose), the records land here: there is nowhere else to deliver them.
 *
 * <p>Differences from AWS, on purpose: files are plain text rather than gzip, so that they can be appended to and
 * read with {@code cat} while the window is open; a record is written when its connection ends or, for one still
 * open, at each window's end (AWS delivers within minutes of the window's end); a record goes to the file of the
 * window its start falls in.
 *
 * <p>Records are formatted and written on one thread of their own, fed through a bounded queue, so an event loop
 * never waits for the disk; when the queue is full, records are dropped and counted ({@link #dropped()}), as AWS
 * skips records ({@code SKIPDATA}) under pressure. Without a directory the records are kept in memory only (the
 * newest 10,000 per flow log).
 */
public final class FlowLogWriter implements FlowRecorder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlowLogWriter.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int KEPT_IN_MEMORY = 10_000;

    private final Supplier<World> worlds;
    private final Supplier<LoopbackAddresses> book;
    private final Path dir;
    private final ThreadPoolExecutor writer;
    private final AtomicLong dropped = new AtomicLong();
    /** Writer thread only, except reads under its lock. */
    private final Map<String, ArrayDeque<String>> memory = new HashMap<>();

    /**
     * @param dir where the flow logs' directories go ({@code --data-dir/flow-logs}), or null to keep records in
     *     memory only
     */
    public FlowLogWriter(Supplier<World> worlds, Supplier<LoopbackAddresses> book, Path dir) {
        this.worlds = worlds;
        this.book = book;
        this.dir = dir;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(65_536), r -> {
            Thread t = new Thread(r, "underpass-flow-logs");
            t.setDaemon(true);
            return t;
        }, (r, pool) -> dropped.incrementAndGet());
    }

    @Override
    public void record(Leg leg) {
        World w = worlds.get();
        if (FlowLogRecords.none(w)) {
            return;
        }
        LoopbackAddresses b = book.get();
        writer.execute(() -> {
            try {
                write(FlowLogRecords.lines(w, b, leg));
            } catch (RuntimeException e) {
                LOG.warn("flow logs: could not write records for {}", leg, e);
            }
        });
    }

    /** Records dropped because the writer fell behind. */
    public long dropped() {
        return dropped.get();
    }

    /** Waits until every record reported so far is written (tests, and the control endpoint before reading). */
    public void sync() {
        try {
            writer.submit(() -> {}).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("flow logs: sync failed: {}", e.toString());
        }
    }

    private void write(List<FlowLogRecords.Line> lines) {
        for (FlowLogRecords.Line line : lines) {
            FlowLog f = line.flowLog();
            synchronized (memory) {
                ArrayDeque<String> kept = memory.computeIfAbsent(f.id(), k -> new ArrayDeque<>());
                if (kept.size() == KEPT_IN_MEMORY) {
                    kept.removeFirst();
                }
                kept.addLast(line.text());
            }
            if (dir == null) {
                continue;
            }
            Path file = dir.resolve(f.id()).resolve(fileName(f, line.window()));
            try {
                if (!Files.exists(file)) {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, FlowLogRecords.header(f) + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                Files.writeString(file, line.text() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                LOG.warn("flow logs: cannot write {}: {}", file, e.toString());
            }
        }
    }

    /** AWS's S3 object name for a flow log's file, with the window's start as its time. */
    static String fileName(FlowLog f, long window) {
        String stamp = STAMP.format(Instant.ofEpochSecond(window));
        String hash;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((f.id() + "/" + window).getBytes(StandardCharsets.UTF_8));
            hash = HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return f.ownerId() + "_vpcflowlogs_" + f.region() + "_" + f.id() + "_" + stamp + "_" + hash + ".log";
    }

    /** A flow log's files (name and records, header lines left out), oldest window first. */
    public record LogFile(String name, List<String> records) {}

    /**
     * The records of flow log {@code f}: from its files when there is a directory (so records of earlier runs
     * count), else from memory (as one file with a null name).
     */
    public List<LogFile> read(FlowLog f) {
        sync();
        if (dir == null) {
            synchronized (memory) {
                ArrayDeque<String> kept = memory.get(f.id());
                return kept == null ? List.of() : List.of(new LogFile(null, List.copyOf(kept)));
            }
        }
        Path d = dir.resolve(f.id());
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        List<LogFile> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(d)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                out.add(new LogFile(p.getFileName().toString(), lines.isEmpty() ? lines : lines.subList(1,
                        lines.size())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The field names of {@code f}'s records, in order. */
    public static List<String> fields(FlowLog f) {
        return FlowLogRecords.fields(f);
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
