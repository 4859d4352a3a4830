package dev.underpass.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * Runs {@code underpass serve ARGS} as {@code main} would, on its own thread: a refused start returns at once, and a
 * regression that starts serving shows as a timeout rather than a hung build. Shared by the serve-command tests.
 */
final class ServeRuns {
    private ServeRuns() {}

    /** The exit status and what the command wrote to standard error. */
    record Run(int status, String err) {}

    static Run serve(List<String> args) throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(args);
        FutureTask<Integer> task = new FutureTask<>(() -> cli.execute(all.toArray(String[]::new)));
        Thread t = new Thread(task, "serve-under-test");
        t.setDaemon(true);
        t.start();
        return new Run(task.get(60, TimeUnit.SECONDS), err.toString());
    }
}
