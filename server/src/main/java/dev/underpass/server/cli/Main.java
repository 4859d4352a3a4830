package dev.underpass.server.cli;

import dev.underpass.server.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code underpass} command line. */
@Command(name = "underpass", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "AWS private networking on one machine.",
        subcommands = {ServeCommand.class, PolicyCommand.class, TraceCommand.class, AddrCommand.class,
            ExportCommand.class, ImportCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The full command tree, for tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Reads the version from the jar. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"underpass " + Version.get()};
        }
    }
}
