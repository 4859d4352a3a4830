package dev.underpass.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the SQLite driver's native library in the user's cache directory between starts. Left alone, the driver
 * copies its library out of its jar into the temporary directory under a new name on every start and compares the
 * copy with the original, about a tenth of an empty server's start-up CPU. The cached copy's name carries the driver
 * version and the jar entry's CRC, so a different driver never loads a stale library. Anything unexpected (no cache
 * directory, a platform without a bundled library, an explicit {@code org.sqlite.lib.path}) leaves the driver's own
 * way in place.
 */
final class SqliteNative {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteNative.class);
    private static boolean done;

    private SqliteNative() {}

    static synchronized void useCachedLibrary() {
        if (done) {
            return;
        }
        done = true;
        if (System.getProperty("org.sqlite.lib.path") != null || System.getProperty("org.sqlite.lib.name") != null) {
            return;
        }
        try {
            String name = System.mapLibraryName("sqlitejdbc");
            String resource = "/org/sqlite/native/" + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS()
                    + "/" + name;
            URL url = org.sqlite.JDBC.class.getResource(resource);
            if (url == null) {
                return;
            }
            URLConnection connection = url.openConnection();
            if (!(connection instanceof JarURLConnection jar) || jar.getJarEntry() == null
                    || jar.getJarEntry().getCrc() < 0) {
                return;
            }
            connection.setUseCaches(false);
            Path dir = cacheDir();
            if (dir == null) {
                return;
            }
            String version = org.sqlite.SQLiteJDBCLoader.getVersion();
            String cachedName = String.format(Locale.ROOT, "sqlite-%s-%08x-", version, jar.getJarEntry().getCrc())
                    .replaceAll("[^A-Za-z0-9._-]", "_") + name;
            Path cached = dir.resolve(cachedName);
            if (!Files.isRegularFile(cached) || Files.size(cached) != jar.getJarEntry().getSize()) {
                Path tmp = Files.createTempFile(dir, "sqlite", ".part");
                try (InputStream in = jar.getInputStream()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", cachedName);
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.debug("the SQLite library is not cached ({}); the driver extracts it itself", e.toString());
        }
    }

    /** {@code $XDG_CACHE_HOME/underpass} or {@code ~/.cache/underpass}, private to the user; null if unusable. */
    private static Path cacheDir() throws IOException {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base;
        if (xdg != null && !xdg.isBlank()) {
            base = Path.of(xdg);
        } else {
            String home = System.getProperty("user.home");
            if (home == null || home.isBlank() || home.equals("?")) {
                return null;
            }
            base = Path.of(home, ".cache");
        }
        Path dir = base.resolve("underpass").resolve("native");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the user's profile directory is private already.
            }
        }
        return Files.isWritable(dir) ? dir : null;
    }
}
