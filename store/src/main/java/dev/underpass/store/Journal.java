package dev.underpass.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The commit log in front of SQLite: a preallocated file that each commit overwrites a little further, then makes
 * durable with one {@code fdatasync}. Because the file's size and blocks never change after it is created, that sync
 * writes only the record's pages: the disk's own cost of a durable small write, which SQLite's own commit (WAL frames
 * for every touched page, synced with {@code fsync}) is several times over.
 *
 * <p>A record is {@code magic, payload length, version, payload, CRC-32C} (the CRC covers length, version and
 * payload). Records are laid end to end from offset 0, each one version after the one before it. When the next record
 * would not fit, the writer first makes SQLite durable up to the last record and starts again at offset 0. Reading
 * back follows the chain from offset 0 while the magic, the CRC and the consecutive versions hold: a torn last write
 * fails its CRC, and a record left over from before the last wrap has an older version, so either ends the chain.
 */
final class Journal implements AutoCloseable {
    /** The size a new journal starts with: small enough for a tiny data directory. */
    static final int CAPACITY = 1 << 20;
    /**
     * How far the journal grows, a {@link #CAPACITY} at a time, before it wraps around instead: commits that carry
     * large records (a network ACL with thousands of subnet associations) would otherwise wrap, and so checkpoint
     * SQLite, every few commits.
     */
    static final int MAX_CAPACITY = 16 << 20;
    private static final int MAGIC = 0x55504a31; // "UPJ1"
    /** magic, length, version before the payload; CRC after it. */
    private static final int OVERHEAD = 4 + 4 + 8 + 4;

    /** One committed batch: the JSON of the rows it puts and the ids of the rows it removes. */
    record Entry(long version, List<String> putJson, List<String> removeIds) {}

    private final Path file;
    private final FileChannel channel;
    private int capacity;
    /** Where the next record goes. */
    private long position;

    private Journal(Path file, FileChannel channel, int capacity) {
        this.file = file;
        this.channel = channel;
        this.capacity = capacity;
    }

    /**
     * Opens the journal at {@code file}, creating and filling it with zeros first if it is missing or short, so that
     * later writes never change its size or allocation. The directory entry is made durable too.
     */
    static Journal open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long size = ch.size();
            if (size < CAPACITY) {
                ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
                for (long at = size; at < CAPACITY; ) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), CAPACITY - at));
                    at += ch.write(zeros, at);
                }
                ch.force(true);
                try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                    dir.force(true);
                }
                size = CAPACITY;
            }
            return new Journal(file, ch, (int) Math.min(size, Integer.MAX_VALUE));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** The encoded record of one batch, ready for {@link #write}. */
    static ByteBuffer encode(long version, List<String> putJson, List<String> removeIds) {
        List<byte[]> puts = new ArrayList<>(putJson.size());
        int payload = 8;
        for (String json : putJson) {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            puts.add(b);
            payload += 4 + b.length;
        }
        List<byte[]> removes = new ArrayList<>(removeIds.size());
        for (String id : removeIds) {
            byte[] b = id.getBytes(StandardCharsets.UTF_8);
            removes.add(b);
            payload += 4 + b.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(OVERHEAD + payload);
        buf.putInt(MAGIC).putInt(payload).putLong(version);
        buf.putInt(puts.size());
        for (byte[] b : puts) {
            buf.putInt(b.length).put(b);
        }
        buf.putInt(removes.size());
        for (byte[] b : removes) {
            buf.putInt(b.length).put(b);
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 4, buf.position() - 4);
        buf.putInt((int) crc.getValue());
        return buf.flip();
    }

    /** Whether {@code record} fits after the last record; if not, the caller settles SQLite and {@link #rewind}s. */
    boolean fits(ByteBuffer record) {
        return position + record.remaining() <= capacity;
    }

    /** Whether {@code record} fits in the journal at all (after a {@link #rewind}). */
    boolean fitsEmpty(ByteBuffer record) {
        return record.remaining() <= capacity;
    }

    /**
     * Makes room for {@code record} after the last one by filling more of the file with zeros (and syncing its new
     * size), up to {@link #MAX_CAPACITY}. Returns whether it fits now; false when the journal is at its largest or
     * the disk has no room, and the caller wraps around (or commits without the journal) instead.
     */
    boolean grow(ByteBuffer record) {
        long needed = position + record.remaining();
        if (needed > MAX_CAPACITY) {
            return false;
        }
        long target = Math.min(MAX_CAPACITY, ((needed + CAPACITY - 1) / CAPACITY) * CAPACITY);
        try {
            ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
            for (long at = capacity; at < target; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), target - at));
                at += channel.write(zeros, at);
            }
            channel.force(true);
            capacity = (int) target;
            return true;
        } catch (IOException full) {
            return false; // The zeros written so far are past the capacity in use: they end any chain read back.
        }
    }

    /**
     * Writes {@code record} at the current position and waits until it is on disk. The position only moves on
     * {@link #advance}, once the caller knows the batch is applied; a failed batch's record is overwritten by the next.
     */
    void write(ByteBuffer record) throws IOException {
        ByteBuffer b = record.duplicate();
        for (long at = position; b.hasRemaining(); ) {
            at += channel.write(b, at);
        }
        channel.force(false);
    }

    void advance(ByteBuffer record) {
        position += record.remaining();
    }

    /** Starts again at offset 0; only once everything recorded so far is durable elsewhere. */
    void rewind() {
        position = 0;
    }

    /** The chain of records from offset 0 (see the class comment). */
    List<Entry> read() throws IOException {
        List<Entry> out = new ArrayList<>();
        ByteBuffer all = ByteBuffer.allocate(capacity);
        while (all.hasRemaining() && channel.read(all, all.position()) >= 0) {
            // read until full or end of file
        }
        all.flip();
        long expected = -1;
        int at = 0;
        while (at + OVERHEAD <= all.limit()) {
            if (all.getInt(at) != MAGIC) {
                break;
            }
            int payload = all.getInt(at + 4);
            if (payload < 8 || payload > all.limit() - at - OVERHEAD) {
                break;
            }
            long version = all.getLong(at + 8);
            CRC32C crc = new CRC32C();
            crc.update(all.array(), at + 4, 4 + 8 + payload);
            if ((int) crc.getValue() != all.getInt(at + 16 + payload) || (expected >= 0 && version != expected)) {
                break;
            }
            ByteBuffer body = all.slice(at + 16, payload);
            List<String> puts = strings(body);
            List<String> removes = strings(body);
            out.add(new Entry(version, puts, removes));
            expected = version + 1;
            at += OVERHEAD + payload;
        }
        return out;
    }

    private static List<String> strings(ByteBuffer body) {
        int n = body.getInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[body.getInt()];
            body.get(b);
            out.add(new String(b, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
