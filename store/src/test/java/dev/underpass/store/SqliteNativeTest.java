package dev.underpass.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver loads SQLite from the per-user cache, a library with the version and CRC in its name. */
class SqliteNativeTest {
    @Test
    void theNativeLibrary_isLoadedFromTheUsersCache(@TempDir Path dir) {
        try (SqliteBackend backend = new SqliteBackend(dir)) {
            backend.commit(0, List.of(dev.underpass.model.AccountRegion.of("111111111111", "us-east-1",
                    java.time.Instant.EPOCH)), List.of());
        }
        String path = System.getProperty("org.sqlite.lib.path");
        String name = System.getProperty("org.sqlite.lib.name");
        assertThat(name).as("set unless this platform has no bundled library").isNotNull()
                .startsWith("sqlite-").contains(System.mapLibraryName("sqlitejdbc"));
        assertThat(Files.isRegularFile(Path.of(path, name))).isTrue();
        assertThat(path).endsWith(Path.of("underpass", "native").toString());
    }
}
