package dev.underpass.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks on a statement's Principal, Action and Resource elements: who may be named in which type of policy,
 * the shape of action names and ARNs, and entries another entry of the same list already covers. Kept apart from
 * {@link ConditionChecks} because the two share nothing but the run they report to.
 */
record ElementChecks(ValidationRun run) {
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9*?_-]+:[A-Za-z0-9*?_-]*");

    void principal(Statement s, String path) {
        switch (s.principal()) {
            case PrincipalElement.None n -> {
                if (run.type().requiresPrincipal()) {
                    run.add(FindingType.ERROR, "MISSING_PRINCIPAL", path, "the statement has no Principal; a "
                            + run.typeName() + " must name its principals (use \"Principal\": \"*\" and conditions"
                            + " such as aws:PrincipalOrgID to narrow them)");
                }
            }
            case PrincipalElement.Principal p -> principalIds(p.principals(), path + ".Principal");
            case PrincipalElement.NotPrincipal n -> {
                principalIds(n.principals(), path + ".NotPrincipal");
                if (s.effect() == Effect.ALLOW) {
                    run.add(FindingType.SECURITY_WARNING, "ALLOW_WITH_NOT_PRINCIPAL", path + ".NotPrincipal",
                            "Allow with NotPrincipal grants access to every principal not listed, anonymous"
                                    + " callers included; name the principals in Principal instead");
                }
            }
        }
    }

    private void principalIds(List<PrincipalId> ids, String path) {
        if (!run.type().requiresPrincipal()) {
            run.add(FindingType.ERROR, "UNSUPPORTED_PRINCIPAL", path, "a " + run.typeName() + " cannot name"
                    + " principals; it applies to the identities it is attached to");
            return;
        }
        if (ids.isEmpty()) {
            run.add(FindingType.SUGGESTION, "EMPTY_OBJECT_PRINCIPAL", path, "the principal names nobody, so the"
                    + " statement never applies");
        }
        if (run.type() == PolicyType.RESOURCE_CONTROL
                && !(ids.size() == 1 && ids.getFirst() instanceof PrincipalId.AnyPrincipal)) {
            run.add(FindingType.ERROR, "RCP_SYNTAX_ERROR_PRINCIPAL", path, "a resource control policy must use"
                    + " \"Principal\": \"*\"; narrow principals with conditions");
        }
        for (PrincipalId id : ids) {
            switch (id) {
                case PrincipalId.OtherAws o when o.text().contains("*") || o.text().contains("?") -> run.add(
                        FindingType.ERROR, "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", path, "\"" + o.text()
                                + "\": a wildcard cannot stand for part of a principal ARN; use \"*\" with a"
                                + " condition on aws:PrincipalArn");
                case PrincipalId.OtherAws o -> run.add(FindingType.ERROR, "INVALID_PRINCIPAL_FORMAT", path, "\""
                        + o.text() + "\" is neither an account id nor the ARN of a user, role, role session,"
                        + " federated user or account root");
                case PrincipalId.Service sv when !sv.text().contains(".") || sv.text().contains("*") -> run.add(
                        FindingType.ERROR, "INVALID_PRINCIPAL_FORMAT", path, "\"" + sv.text()
                                + "\" is not a service principal such as \"ec2.amazonaws.com\"");
                default -> {
                }
            }
        }
    }

    void actions(Statement s, String path, JsonNode raw) {
        boolean not = s.action() instanceof ActionElement.NotAction;
        String at = path + (not ? ".NotAction" : ".Action");
        JsonNode rawList = raw.get(not ? "NotAction" : "Action");
        List<ActionElement.Pattern> patterns = s.action().patterns();
        if (patterns.isEmpty()) {
            run.add(FindingType.SUGGESTION, "EMPTY_ARRAY_ACTION", at, "the action list is empty, so the statement"
                    + (not ? " applies to every action" : " never applies"));
        }
        for (int j = 0; j < patterns.size(); j++) {
            String text = patterns.get(j).text();
            String itemAt = ValidationRun.item(at, rawList, j);
            if (text.contains("${")) {
                run.add(FindingType.ERROR, "VARIABLE_UNSUPPORTED_IN_ELEMENT", itemAt, "\"" + text
                        + "\": policy variables work only in Resource and in Condition values");
            }
            if (!text.equals("*") && !ACTION.matcher(text).matches()) {
                run.add(FindingType.ERROR, "INVALID_ACTION", itemAt, "\"" + text + "\" is not an action; write"
                        + " service:ActionName, e.g. \"s3:GetObject\"");
            } else if (!text.equals("*")) {
                String service = text.substring(0, text.indexOf(':'));
                if (service.contains("*") || service.contains("?")) {
                    run.add(FindingType.SUGGESTION, "WILDCARD_IN_SERVICE_NAME", itemAt, "\"" + text + "\" uses a"
                            + " wildcard in the service prefix; name the services");
                }
            }
            if (!patterns.get(j).glob().hasWildcards()) {
                for (int k = 0; k < patterns.size(); k++) {
                    if (k != j && patterns.get(k).glob().hasWildcards() && patterns.get(k).matches(text)) {
                        run.add(FindingType.SUGGESTION, "REDUNDANT_ACTION", itemAt, "\"" + text + "\" is already"
                                + " covered by \"" + patterns.get(k).text() + "\"");
                        break;
                    }
                }
            }
        }
        // Only an action naming IAM counts: "*" would make the warning fire on every broad policy.
        boolean namesPassRole = patterns.stream().anyMatch(p -> p.text().regionMatches(true, 0, "iam:", 0, 4)
                && p.matches("iam:PassRole"));
        if (s.effect() == Effect.ALLOW && !not && namesPassRole
                && s.resource() instanceof ResourceElement.Resource r
                && r.patterns().stream().anyMatch(p -> p.text().equals("*"))) {
            run.add(FindingType.SECURITY_WARNING, "PASS_ROLE_WITH_STAR_IN_RESOURCE", at, "the statement allows"
                    + " iam:PassRole on every role; list the roles that may be passed");
        }
    }

    void resources(Statement s, String path, JsonNode raw) {
        switch (s.resource()) {
            case ResourceElement.None n -> {
                if (run.type() != PolicyType.ROLE_TRUST) {
                    run.add(FindingType.ERROR, "MISSING_RESOURCE", path, "the statement has no Resource or"
                            + " NotResource; add \"Resource\": \"*\" or the ARNs it covers");
                }
            }
            case ResourceElement.Resource r -> resourcePatterns(r.patterns(), path + ".Resource",
                    raw.get("Resource"));
            case ResourceElement.NotResource r -> resourcePatterns(r.patterns(), path + ".NotResource",
                    raw.get("NotResource"));
        }
    }

    private void resourcePatterns(List<ResourceElement.Pattern> patterns, String at, JsonNode rawList) {
        if (patterns.isEmpty()) {
            run.add(FindingType.SUGGESTION, "EMPTY_ARRAY_RESOURCE", at, "the resource list is empty");
        }
        for (int j = 0; j < patterns.size(); j++) {
            ResourceElement.Pattern p = patterns.get(j);
            String text = p.text();
            String itemAt = ValidationRun.item(at, rawList, j);
            run.variables(p.template(), text, itemAt, true);
            if (text.equals("*")) {
                continue;
            }
            run.arn(text, itemAt, p.template());
            if (!p.template().hasVariables() && !p.template().compiled().hasWildcards()) {
                for (int k = 0; k < patterns.size(); k++) {
                    ResourceElement.Pattern other = patterns.get(k);
                    if (k != j && !other.template().hasVariables() && other.template().compiled().hasWildcards()
                            && other.template().compiled().matches(text)) {
                        run.add(FindingType.SUGGESTION, "REDUNDANT_RESOURCE", itemAt, "\"" + text + "\" is already"
                                + " covered by \"" + other.text() + "\"");
                        break;
                    }
                }
            }
        }
    }
}
