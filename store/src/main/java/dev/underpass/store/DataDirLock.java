package dev.underpass.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The claim of one process on a data directory: an OS lock on {@code underpass.lock} in it, held until the store is
 * closed (or the process dies: the kernel drops the lock with the process, so a {@code kill -9} leaves no stale
 * claim), with the holder's pid written inside for the message the next claimant prints.
 *
 * <p>SQLite's own locking would let two servers share the file, each with its own in-memory world: both would accept
 * writes, neither would see the other's, and a resource one deletes could come back half-made from the other. So a
 * second server refuses to start instead.
 */
final class DataDirLock implements AutoCloseable {
    static final String FILE = "underpass.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Claims {@code dataDir} for this process, or throws {@link DataDirInUseException} naming the holder. */
    static DataDirLock acquire(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // Held by another store in this very process.
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(file);
            channel.close();
            throw new DataDirInUseException(dataDir, holder);
        }
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
        channel.force(true);
        return new DataDirLock(channel, lock);
    }

    /** The pid the holder wrote, or a phrase saying it is not known (yet). */
    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d+") ? "pid " + pid : "pid unknown";
        } catch (IOException e) {
            return "pid unknown";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock in any case; nothing to recover.
        }
    }
}
