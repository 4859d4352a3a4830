package dev.underpass.server.cli;

import dev.underpass.store.Backend;
import dev.underpass.store.PostgresBackend;
import dev.underpass.store.SqliteBackend;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which store a command opens: {@code --store URL} (PostgreSQL) or else {@code --data-dir DIR} (SQLite). */
final class StoreOptions {
    @Option(names = "--data-dir", defaultValue = "${env:UNDERPASS_DATA_DIR:-.underpass}",
            description = "The SQLite data dir (env UNDERPASS_DATA_DIR; default ${DEFAULT-VALUE}); no server may be "
                    + "running on it.")
    String dataDir;

    @Option(names = "--store", paramLabel = "URL", defaultValue = "${env:UNDERPASS_STORE}",
            description = "A PostgreSQL store instead, postgresql://user:pass@host:5432/db (env UNDERPASS_STORE); "
                    + "servers may keep running on it.")
    String store;

    Backend open() {
        return store == null || store.isEmpty() ? new SqliteBackend(Path.of(dataDir).toAbsolutePath())
                : new PostgresBackend(store);
    }
}
