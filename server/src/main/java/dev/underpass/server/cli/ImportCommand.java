package dev.underpass.server.cli;

import dev.underpass.store.Backend;
import dev.underpass.store.StoreExport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code underpass import}: reads an export into an empty store, all in one commit. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Read what 'underpass export' wrote into an empty store (SQLite or PostgreSQL), in one commit.")
public final class ImportCommand implements Callable<Integer> {
    @Mixin
    StoreOptions to = new StoreOptions();

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "What to read (default: standard input).")
    Path input;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try (BufferedReader in = input == null
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(input, StandardCharsets.UTF_8);
                Backend backend = to.open()) {
            StoreExport.Summary summary = StoreExport.importInto(backend, in);
            spec.commandLine().getErr().println("imported " + summary.resources() + " resources into "
                    + backend.describe() + " (now at version " + summary.version() + ")");
            return 0;
        } catch (IllegalArgumentException | IllegalStateException e) {
            spec.commandLine().getErr().println("underpass: " + e.getMessage());
            return 1;
        }
    }
}
