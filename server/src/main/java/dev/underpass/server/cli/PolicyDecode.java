package dev.underpass.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.underpass.policy.AuthorizationMessage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code underpass policy decode TOKEN}: prints the decision inside an encoded authorization message (the token EC2
 * puts after "Encoded authorization failure message:" when a service control policy refuses a request), as STS
 * {@code DecodeAuthorizationMessage} returns it, indented. Works offline: the token is self-contained. The whole
 * error message may be given instead of the token alone; {@code -} or no argument reads standard input.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Print the decision (JSON) inside an encoded authorization failure message.")
public final class PolicyDecode implements Callable<Integer> {
    private static final String MARKER = "Encoded authorization failure message:";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TOKEN",
            description = "The encoded message (or the whole error message); standard input when absent or -.")
    String token;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text;
        try {
            text = token == null || token.equals("-") ? PolicyCommand.read(null) : token;
        } catch (PolicyCommand.BadInput e) {
            return PolicyCommand.badInput(err, "decode", e.getMessage());
        }
        int at = text.indexOf(MARKER);
        String encoded = (at < 0 ? text : text.substring(at + MARKER.length())).strip();
        String json;
        try {
            json = AuthorizationMessage.decode(encoded);
        } catch (IllegalArgumentException e) {
            return PolicyCommand.badInput(err, "decode", e.getMessage());
        }
        out.println(PolicyCommand.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(PolicyCommand.JSON.readTree(json)));
        out.flush();
        return PolicyCommand.OK;
    }
}
