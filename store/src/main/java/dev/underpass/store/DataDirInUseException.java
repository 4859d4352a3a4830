package dev.underpass.store;

import java.nio.file.Path;

/** Another underpass (another process, or another store in this one) already serves the data directory. */
public final class DataDirInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    DataDirInUseException(Path dataDir, String holder) {
        super("the data dir " + dataDir + " is in use by another underpass process (" + holder
                + "); stop that one or choose another --data-dir");
    }
}
