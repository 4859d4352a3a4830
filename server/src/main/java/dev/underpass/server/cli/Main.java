package dev.underpass.server.cli;

import dev.underpass.server.Prestart;
import dev.underpass.server.Version;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code underpass} command line. Picocli builds a command's model by reflection over its annotations, and its
 * classes (Java 5 class files) cannot come from the class-data-sharing archive: for {@code serve} the whole tree cost
 * about 90 ms of CPU more than {@code serve} alone. So {@link #main} builds only the subcommand its first argument
 * names; anything else (no argument, an option, a misspelt command) gets the whole tree, so help, version and
 * suggestions are as before.
 */
@Command(name = "underpass", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "AWS private networking on one machine.")
public final class Main implements Runnable {
    /** The subcommands in the order the help lists them, by name. */
    static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("underpass.warmup")) {
            // The launcher's training run for the class-data-sharing archive, through -jar like a real start, so
            // that the jar's Enable-Native-Access applies to both.
            Warmup.main(args);
            return;
        }
        if (args.length > 0 && args[0].equals("serve")) {
            Prestart.begin();
        }
        System.exit(commandLine(args.length == 0 ? null : args[0]).execute(args));
    }

    /** The full command tree, for tests. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /** The tree with only the subcommand {@code first} names, or the full tree if it names none. */
    static CommandLine commandLine(String first) {
        CommandLine cli = new CommandLine(new Main());
        Supplier<Object> only = first == null ? null : SUBCOMMANDS.get(first);
        if (only != null) {
            cli.addSubcommand(only.get());
        } else {
            SUBCOMMANDS.values().forEach(s -> cli.addSubcommand(s.get()));
        }
        return cli;
    }

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("serve", ServeCommand::new);
        all.put("policy", PolicyCommand::new);
        all.put("trace", TraceCommand::new);
        all.put("addr", AddrCommand::new);
        all.put("export", ExportCommand::new);
        all.put("import", ImportCommand::new);
        return java.util.Collections.unmodifiableMap(all);
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
