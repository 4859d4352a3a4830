package dev.underpass.aws.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.underpass.model.AwsException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.protocols.core.OperationInfo;
import software.amazon.awssdk.utils.builder.Buildable;

/**
 * The restJson1 codec (RAM), driven by the AWS SDK for Java v2's model as {@link JsonCodec} is for awsJson: each
 * operation's HTTP binding (method and request URI, {@code POST /createresourceshare}) is read from the SDK's own
 * request marshaller ({@code <Request>Marshaller.SDK_OPERATION_BINDING}), and each request member is read from where
 * its {@code sdkFields()} location trait puts it: the URI path ({@code {label}}), the query string, a header, or the
 * JSON body (by {@link JsonCodec}'s rules: lowerCamel keys, epoch-second timestamps). The response is the SDK
 * response class as a JSON body (RAM's responses have only body members).
 *
 * <p>Why the marshaller: the SDK carries each operation's method and path nowhere else at run time, and reading it
 * there keeps this codec free of any per-operation table. Nothing here knows a particular service.
 */
public final class RestJsonCodec {
    private RestJsonCodec() {}

    /** One operation's HTTP binding: method and path template (no query part). */
    public record Binding(String method, String path) {
        /** Whether a request's method and path are this operation's; labels ({@code {name}}) match one segment. */
        public boolean matches(String requestMethod, String requestPath) {
            return method.equalsIgnoreCase(requestMethod) && labels(requestPath) != null;
        }

        /** The values of the path's labels, or null when the path is not this binding's. */
        public Map<String, String> labels(String requestPath) {
            String[] want = path.split("/", -1);
            String[] got = requestPath.split("/", -1);
            if (want.length != got.length) {
                return null;
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < want.length; i++) {
                String w = want[i];
                if (w.startsWith("{") && w.endsWith("}")) {
                    if (got[i].isEmpty()) {
                        return null;
                    }
                    out.put(w.substring(1, w.length() - 1).replace("+", ""), got[i]);
                } else if (!w.equalsIgnoreCase(got[i])) {
                    return null;
                }
            }
            return out;
        }
    }

    /**
     * The HTTP binding of the operation whose SDK request class is {@code requestClass}, from its marshaller in the
     * service's {@code transform} package.
     */
    public static Binding binding(Class<?> requestClass) {
        String marshaller = requestClass.getPackageName().replaceFirst("\\.model$", ".transform") + "."
                + requestClass.getSimpleName() + "Marshaller";
        try {
            Field f = Class.forName(marshaller, true, requestClass.getClassLoader())
                    .getDeclaredField("SDK_OPERATION_BINDING");
            f.setAccessible(true);
            OperationInfo info = (OperationInfo) f.get(null);
            String uri = info.requestUri();
            int q = uri.indexOf('?');
            return new Binding(info.httpMethod().name(), q < 0 ? uri : uri.substring(0, q));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("no HTTP binding for " + requestClass.getName(), e);
        }
    }

    /**
     * Fills {@code builder} from the request's parts and builds it.
     *
     * @param labels the path's label values (from {@link Binding#labels})
     * @param query the decoded query string
     * @param headers header names lower-case
     */
    @SuppressWarnings("unchecked")
    public static <T> T decode(Map<String, String> labels, Map<String, String> query, Map<String, String> headers,
            byte[] body, SdkPojo builder) {
        ObjectNode json = null;
        for (SdkField<?> field : builder.sdkFields()) {
            MarshallLocation location = field.location();
            String name = field.locationName();
            switch (location) {
                case PAYLOAD -> {
                    if (json == null) {
                        json = JsonCodec.readObject(body);
                    }
                    JsonNode child = json.get(name);
                    if (child != null && !child.isNull()) {
                        field.set(builder, JsonCodec.decodeMember(field, child));
                    }
                }
                case QUERY_PARAM -> set(field, builder, query.get(name), "query parameter");
                case HEADER -> set(field, builder, headers.get(name.toLowerCase(Locale.ROOT)), "header");
                case PATH, GREEDY_PATH -> set(field, builder, labels.get(name), "path label");
                default -> {
                    // Members bound elsewhere (the host prefix, a status code) never come from a request.
                }
            }
        }
        if (json == null && body != null && body.length > 0) {
            JsonCodec.readObject(body); // a body the operation does not read must still be JSON
        }
        return (T) ((Buildable) builder).build();
    }

    private static void set(SdkField<?> field, SdkPojo builder, String raw, String where) {
        if (raw == null) {
            return;
        }
        MarshallingType<?> type = field.marshallingType();
        try {
            Object value;
            if (type == MarshallingType.STRING) {
                value = raw;
            } else if (type == MarshallingType.INTEGER) {
                value = Integer.valueOf(raw);
            } else if (type == MarshallingType.LONG) {
                value = Long.valueOf(raw);
            } else if (type == MarshallingType.BOOLEAN) {
                if (!raw.equals("true") && !raw.equals("false")) {
                    throw new NumberFormatException(raw);
                }
                value = Boolean.valueOf(raw);
            } else if (type == MarshallingType.LIST) {
                List<Object> list = new ArrayList<>();
                for (String item : raw.split(",")) {
                    list.add(item);
                }
                value = list;
            } else {
                throw new NumberFormatException(raw);
            }
            field.set(builder, value);
        } catch (NumberFormatException e) {
            throw new AwsException(JsonCodec.SERIALIZATION_EXCEPTION, 400, "The " + where + " "
                    + field.locationName() + " cannot be read: '" + raw + "'.");
        }
    }

    /** RAM's error body: {@code {"message": "..."}}; the code travels in the {@code x-amzn-ErrorType} header. */
    public static byte[] error(String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("message", message);
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
