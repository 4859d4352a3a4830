package dev.underpass.server;

import dev.underpass.model.Caller;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The answers the {@code /_underpass/…} control endpoints share: a JSON error ({@code {"error": code, "message":
 * text}}), the refusal of a method the endpoint does not take, and the check of an {@code account} parameter
 * against the signer. Each check returns the refusal to send, or null when the request may go on, so that an
 * endpoint reads as its steps.
 */
final class ControlAnswers {
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");

    private ControlAnswers() {}

    /** A JSON error answer of the control endpoint {@code action}. */
    static Router.Outcome error(int status, String code, String message, String action) {
        return Router.json(status, Map.of("error", code, "message", message), action);
    }

    /** 400 InvalidParameterValue. */
    static Router.Outcome invalid(String message, String action) {
        return error(400, "InvalidParameterValue", message, action);
    }

    /** 400 MissingParameter. */
    static Router.Outcome missing(String message, String action) {
        return error(400, "MissingParameter", message, action);
    }

    /**
     * 405 unless the request uses {@code method}; {@code subject} starts the message ("Trace takes", "Decisions
     * take").
     */
    static Router.Outcome unlessMethod(Router.Request req, String method, String subject, String action) {
        return req.method().equals(method) ? null
                : error(405, "MethodNotAllowed", subject + " " + method + ", not " + req.method() + ".", action);
    }

    /**
     * The refusal of an {@code account} parameter (absent is fine): 400 unless it is a 12-digit account id, and 403
     * when a signed call names another account than its signer's, for a signed call acts for its own account only.
     * {@code signed} starts that message ("A signed trace starts in").
     */
    static Router.Outcome unlessAccountAllowed(String account, Caller caller, String signed, String action) {
        if (account != null && !ACCOUNT_ID.matcher(account).matches()) {
            return invalid("The account '" + account + "' is not a 12-digit AWS account id.", action);
        }
        if (caller != null && account != null && !account.equals(caller.accountId())) {
            return error(403, "AccessDenied", signed + " the signer's own account (" + caller.accountId()
                    + ") only, not account " + account + ".", action);
        }
        return null;
    }
}
