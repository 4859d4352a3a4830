package dev.underpass.aws.ssm;

import dev.underpass.aws.AwsResponse;
import dev.underpass.aws.JsonApi;
import dev.underpass.aws.SdkActions;
import dev.underpass.aws.authz.OrgGuard;
import dev.underpass.model.Caller;
import dev.underpass.model.AwsException;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.ssm.PublicParameters;
import dev.underpass.model.ssm.SsmError;
import dev.underpass.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;
import software.amazon.awssdk.services.ssm.model.SsmRequest;
import software.amazon.awssdk.services.ssm.model.SsmResponse;

/**
 * AWS Systems Manager (awsJson1.1, {@code X-Amz-Target: AmazonSSM.<Action>}), only as far as infrastructure code
 * uses it to find an AMI: {@code GetParameter}, {@code GetParameters} and {@code GetParametersByPath} over the public
 * {@code /aws/service/ami-amazon-linux-latest/…} parameters ({@link PublicParameters}). Every other SSM action answers
 * {@code UnsupportedOperationException} (400), which the SDKs map to SSM's modelled exception of that name; a target
 * that is no SSM action answers {@code UnknownOperationException}.
 *
 * <p>Follows <a href="https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html">
 * GetParameter</a>, <a href="https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html">
 * GetParameters</a> (1–10 names; unknown ones are listed in {@code InvalidParameters}, not an error) and <a
 * href="https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html">
 * GetParametersByPath</a> ({@code MaxResults} 1–10, default 10; filter keys {@code Type}, {@code KeyId},
 * {@code Label}). Names may be given as ARNs and with a {@code :version} selector.
 *
 * <p>A member account's reads are checked against its organization's service control policies first
 * ({@link OrgGuard}): {@code ssm:GetParameter}, {@code ssm:GetParameters} or {@code ssm:GetParametersByPath} on
 * the parameter ARNs named ({@code arn:aws:ssm:<region>::parameter/aws/service/…}: public parameters have no account
 * in their ARN); a refusal is {@code AccessDeniedException} (400) and returns nothing.
 */
public final class SsmApi extends JsonApi<SsmRequest, SsmResponse> {
    public static final String VERSION = "2014-11-06";
    public static final String TARGET_PREFIX = "AmazonSSM.";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private static final Pattern ARN = Pattern.compile("arn:aws:ssm:([a-z0-9-]+):(\\d{12})?:parameter(/.*)");
    private static final int NAME_MAX = 2048;

    public SsmApi(Store store) {
        super(store, VERSION, TARGET_PREFIX, CONTENT_TYPE);
        read("GetParameter", GetParameterRequest::builder, this::getParameter);
        read("GetParameters", GetParametersRequest::builder, this::getParameters);
        read("GetParametersByPath", GetParametersByPathRequest::builder, this::getParametersByPath);
    }

    @Override
    protected CompletableFuture<AwsResponse> run(Operation op, String action, Caller caller, String requestId,
            SsmRequest request) {
        var denial = OrgGuard.scpDenial(store.world(), caller, store.clock().instant(),
                () -> check(action, request, caller));
        if (denial.isPresent()) {
            return CompletableFuture.completedFuture(renderError(SsmError.ACCESS_DENIED.with(denial.get()), requestId,
                    action));
        }
        return super.run(op, action, caller, requestId, request);
    }

    /** The SCP check of a read: {@code ssm:<Action>} on each parameter (or the path) it names. */
    private static OrgGuard.Check check(String action, SsmRequest request, Caller caller) {
        List<String> names = switch (request) {
            case GetParameterRequest r -> r.name() == null ? List.of() : List.of(r.name());
            case GetParametersRequest r -> r.hasNames() ? r.names() : List.of();
            case GetParametersByPathRequest r -> r.path() == null ? List.of() : List.of(r.path());
            default -> List.of();
        };
        List<OrgGuard.Target> targets = new ArrayList<>();
        for (String name : names) {
            String arn = parameterArn(name, caller);
            if (targets.stream().noneMatch(t -> t.arn().equals(arn))) {
                targets.add(new OrgGuard.Target(arn, Map.of()));
            }
        }
        return new OrgGuard.Check("ssm:" + action, targets, Map.of());
    }

    /** The ARN IAM authorizes a name on: as given if an ARN, without any {@code :version} or label selector. */
    private static String parameterArn(String given, Caller caller) {
        String name = ARN.matcher(given).matches() ? ARN.matcher(given).replaceFirst("$3") : given;
        int colon = name.lastIndexOf(':');
        if (colon > 0) {
            name = name.substring(0, colon);
        }
        if (!name.startsWith("/")) {
            name = "/" + name;
        }
        String account = name.startsWith("/aws/") ? "" : caller.accountId();
        String region = caller.region();
        Matcher arn = ARN.matcher(given);
        if (arn.matches()) {
            region = arn.group(1);
            account = arn.group(2) == null ? "" : arn.group(2);
        }
        return "arn:aws:ssm:" + region + ":" + account + ":parameter" + name;
    }

    @Override
    protected AwsException unknownAction(String action) {
        if (SdkActions.exists(SsmRequest.class, action)) {
            return SsmError.UNSUPPORTED_OPERATION.format("The action %s is not supported by underpass; it serves "
                    + "only GetParameter, GetParameters and GetParametersByPath for public parameters.", action);
        }
        return SsmError.UNKNOWN_OPERATION.format("The operation %s is not known to this service.", action);
    }

    @Override
    protected AwsException translate(AwsException e) {
        if (e.code().equals(ErrorCode.INTERNAL_ERROR.wire())) {
            return SsmError.INTERNAL_SERVER_ERROR.with(e.getMessage());
        }
        return super.translate(e);
    }

    private GetParameterResponse getParameter(GetParameterRequest req, ReadContext ctx) {
        String region = ctx.caller().region();
        Named named = named(req.name(), "name", region);
        // AWS's message for a parameter that does not exist is empty.
        PublicParameters.Parameter p = PublicParameters.find(region, named.name()).filter(x -> !named.label())
                .orElseThrow(() -> SsmError.PARAMETER_NOT_FOUND.with(""));
        if (named.version() != null && named.version() != p.version()) {
            throw SsmError.PARAMETER_VERSION_NOT_FOUND.format("Systems Manager could not find version %d of %s. "
                    + "Verify the version and try again.", named.version(), named.name());
        }
        return GetParameterResponse.builder().parameter(shape(p, named.selector())).build();
    }

    private GetParametersResponse getParameters(GetParametersRequest req, ReadContext ctx) {
        String region = ctx.caller().region();
        if (!req.hasNames() || req.names().isEmpty()) {
            throw validation("Value null at 'names' failed to satisfy constraint: Member must not be null");
        }
        if (req.names().size() > 10) {
            throw validation("Value '" + req.names() + "' at 'names' failed to satisfy constraint: Member must have "
                    + "length less than or equal to 10");
        }
        List<Parameter> found = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (String given : req.names()) {
            Named named = named(given, "names", region);
            Optional<PublicParameters.Parameter> p = PublicParameters.find(region, named.name())
                    .filter(x -> !named.label() && (named.version() == null || named.version() == x.version()));
            if (p.isPresent()) {
                found.add(shape(p.get(), named.selector()));
            } else if (!invalid.contains(given)) {
                invalid.add(given);
            }
        }
        return GetParametersResponse.builder().parameters(found).invalidParameters(invalid).build();
    }

    private GetParametersByPathResponse getParametersByPath(GetParametersByPathRequest req, ReadContext ctx) {
        String region = ctx.caller().region();
        String path = req.path();
        if (path == null) {
            throw validation("Value null at 'path' failed to satisfy constraint: Member must not be null");
        }
        if (path.isEmpty() || path.length() > NAME_MAX) {
            throw validation("Value '" + path + "' at 'path' failed to satisfy constraint: Member must have length "
                    + "between 1 and 2048");
        }
        if (!path.startsWith("/")) {
            throw validation("The parameter doesn't meet the parameter name requirements. The parameter name must "
                    + "begin with a forward slash \"/\".");
        }
        int max = req.maxResults() == null ? 10 : req.maxResults();
        if (max < 1 || max > 10) {
            throw validation("Value '" + max + "' at 'maxResults' failed to satisfy constraint: Member must have "
                    + "value " + (max < 1 ? "greater than or equal to 1" : "less than or equal to 10"));
        }
        List<PublicParameters.Parameter> all = PublicParameters.underPath(region, path,
                Boolean.TRUE.equals(req.recursive()));
        for (ParameterStringFilter f : req.parameterFilters()) {
            all = filter(all, f);
        }
        int start = 0;
        if (req.nextToken() != null) {
            String after = token(req.nextToken());
            while (start < all.size() && all.get(start).name().compareTo(after) <= 0) {
                start++;
            }
        }
        int end = Math.min(all.size(), start + max);
        String next = end < all.size() ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + all.get(end - 1).name()).getBytes(StandardCharsets.UTF_8)) : null;
        return GetParametersByPathResponse.builder()
                .parameters(all.subList(start, end).stream().map(p -> shape(p, null)).toList()).nextToken(next)
                .build();
    }

    /** GetParametersByPath's filters: {@code Type} (Equals), {@code KeyId} and {@code Label}, which nothing here has. */
    private static List<PublicParameters.Parameter> filter(List<PublicParameters.Parameter> in,
            ParameterStringFilter f) {
        String key = f.key() == null ? "" : f.key();
        String option = f.option() == null ? "Equals" : f.option();
        switch (key) {
            case "Type" -> {
                if (!option.equals("Equals")) {
                    throw SsmError.INVALID_FILTER_OPTION.format("The filter option '%s' is not valid for key 'Type'. "
                            + "Valid options: Equals.", option);
                }
                return in.stream().filter(p -> f.values().contains(p.type())).toList();
            }
            case "KeyId", "Label" -> {
                return List.of();
            }
            default -> throw SsmError.INVALID_FILTER_KEY.format("The following filter key is not valid: %s. "
                    + "Valid filter keys for GetParametersByPath: Type, KeyId, Label.", key);
        }
    }

    private static String token(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith("v1:")) {
                return s.substring(3);
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw SsmError.INVALID_NEXT_TOKEN.with("The specified token is not valid.");
    }

    /**
     * A requested name: the parameter's name, its {@code :version} if the selector is numeric, whether the selector
     * is a label instead (public parameters carry none), and the selector as given.
     */
    private record Named(String name, Long version, boolean label, String selector) {}

    private static Named named(String given, String member, String region) {
        if (given == null) {
            throw validation("Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
        }
        if (given.isEmpty() || given.length() > NAME_MAX) {
            throw validation("Value '" + given + "' at '" + member + "' failed to satisfy constraint: Member must "
                    + "have length between 1 and 2048");
        }
        String name = given;
        Matcher arn = ARN.matcher(given);
        if (arn.matches()) {
            name = arn.group(3);
        }
        String selector = null;
        Long version = null;
        boolean label = false;
        int colon = name.lastIndexOf(':');
        if (colon > 0) {
            selector = name.substring(colon);
            String v = name.substring(colon + 1);
            name = name.substring(0, colon);
            if (v.matches("[0-9]{1,18}")) {
                version = Long.parseLong(v);
            } else {
                label = true;
            }
        }
        return new Named(name, version, label, selector);
    }

    private static Parameter shape(PublicParameters.Parameter p, String selector) {
        return Parameter.builder().name(p.name()).type(p.type()).value(p.value()).version(p.version())
                .selector(selector).lastModifiedDate(p.lastModified()).arn(p.arn()).dataType(p.dataType()).build();
    }

    private static AwsException validation(String detail) {
        return SsmError.VALIDATION_EXCEPTION.with("1 validation error detected: " + detail);
    }
}
