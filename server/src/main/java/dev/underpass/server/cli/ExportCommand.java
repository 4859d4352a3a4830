package dev.underpass.server.cli;

import dev.underpass.store.Backend;
import dev.underpass.store.StoreExport;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code underpass export}: one consistent snapshot of a store, as JSON Lines, for a backup or a move. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write every resource of a store (SQLite or PostgreSQL) as one consistent snapshot, in JSON "
                + "Lines; 'underpass import' reads it into an empty store.")
public final class ExportCommand implements Callable<Integer> {
    @Mixin
    StoreOptions from = new StoreOptions();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write (default: standard output). Written to a temporary file first and "
                    + "renamed, so FILE is never half written.")
    Path output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try (Backend backend = from.open()) {
            StoreExport.Summary summary;
            if (output == null) {
                Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
                summary = StoreExport.export(backend, out);
            } else {
                Path absolute = output.toAbsolutePath();
                Path tmp = Files.createTempFile(absolute.getParent(), ".underpass-export", ".tmp");
                try {
                    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                        summary = StoreExport.export(backend, out);
                    }
                    Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            spec.commandLine().getErr().println("exported " + summary.resources() + " resources at version "
                    + summary.version() + " from " + backend.describe());
            return 0;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("underpass: " + e.getMessage());
            return 1;
        }
    }
}
