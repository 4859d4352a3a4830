package dev.underpass.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code main} builds only the subcommand named first; what a user sees is the same as with the whole tree. */
class MainTest {
    private static final List<String> NAMES = List.of("serve", "policy", "trace", "addr", "export", "import");

    private static String usage(CommandLine cli) {
        StringWriter out = new StringWriter();
        cli.usage(new PrintWriter(out, true));
        return out.toString();
    }

    private record Run(int status, String out, String err) {}

    private static Run run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void fullTree_listsEverySubcommandInHelpOrder() {
        assertThat(Main.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(NAMES);
        assertThat(Main.SUBCOMMANDS.keySet()).containsExactlyElementsOf(NAMES);
        assertThat(usage(Main.commandLine())).contains("serve", "policy", "trace", "addr", "export", "import",
                "AWS private networking on one machine.");
    }

    @Test
    void eachName_buildsOnlyThatSubcommand_withTheSameHelpAsInTheFullTree() {
        CommandLine full = Main.commandLine();
        for (String name : NAMES) {
            CommandLine lazy = Main.commandLine(name);
            assertThat(lazy.getSubcommands().keySet()).as(name).containsExactly(name);
            assertThat(usage(lazy.getSubcommands().get(name))).as(name)
                    .isEqualTo(usage(full.getSubcommands().get(name)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"serv", "--help", "-h", "--version", "-V", "help"})
    void anythingElseFirst_getsTheFullTree_andTheSameAnswer(String first) {
        assertThat(Main.commandLine(first).getSubcommands().keySet()).containsExactlyElementsOf(NAMES);
        Run lazy = run(Main.commandLine(first), first);
        Run full = run(Main.commandLine(), first);
        assertThat(lazy).isEqualTo(full);
    }

    @Test
    void misspeltCommand_isAUsageErrorWithASuggestion() {
        Run r = run(Main.commandLine("serv"), "serv", "--port", "1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument", "'serv'", "serve");
    }

    @Test
    void serveHelp_andServeUsageError_areTheSameAsWithTheFullTree() {
        assertThat(run(Main.commandLine("serve"), "serve", "--help"))
                .isEqualTo(run(Main.commandLine(), "serve", "--help"));
        Run lazy = run(Main.commandLine("serve"), "serve", "--no-such-option");
        assertThat(lazy.status()).isEqualTo(2);
        assertThat(lazy.err()).contains("Unknown option: '--no-such-option'", "Possible solutions: --no-default-vpcs");
        assertThat(lazy).isEqualTo(run(Main.commandLine(), "serve", "--no-such-option"));
    }
}
