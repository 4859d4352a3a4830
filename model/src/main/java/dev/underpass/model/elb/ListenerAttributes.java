package dev.underpass.model.elb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Listener attributes (DescribeListenerAttributes, ModifyListenerAttributes): for Application Load Balancer listeners
 * the response headers the load balancer adds or removes (all off by default, the {@code Server} header on) and, on
 * HTTPS, the names of the TLS request headers; for TCP listeners of Network Load Balancers the idle timeout (350 s,
 * 60-6000). The listener stores only what was modified; what is described is the protocol's defaults overlaid with
 * that, so a protocol change never leaves an attribute the new protocol does not have.
 *
 * @see <a href="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ListenerAttribute.html">ListenerAttribute</a>
 */
public final class ListenerAttributes {
    private static final List<String> HEADER_VALUES = List.of(
            "routing.http.response.access_control_allow_origin.header_value",
            "routing.http.response.access_control_allow_methods.header_value",
            "routing.http.response.access_control_allow_headers.header_value",
            "routing.http.response.access_control_allow_credentials.header_value",
            "routing.http.response.access_control_expose_headers.header_value",
            "routing.http.response.access_control_max_age.header_value",
            "routing.http.response.content_security_policy.header_value",
            "routing.http.response.x_content_type_options.header_value",
            "routing.http.response.x_frame_options.header_value");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{0,40}");

    private ListenerAttributes() {}

    /** The attributes a listener of this protocol has, with AWS's defaults. */
    public static Map<String, String> defaults(Protocol protocol) {
        Map<String, String> a = new LinkedHashMap<>();
        switch (protocol) {
            case HTTP, HTTPS -> {
                a.put("routing.http.response.server.enabled", "true");
                HEADER_VALUES.forEach(k -> a.put(k, ""));
                if (protocol == Protocol.HTTPS) {
                    a.put("routing.http.response.strict_transport_security.header_value", "");
                    a.put("routing.http.request.x_amzn_tls_version.header_name", "X-Amzn-Tls-Version");
                    a.put("routing.http.request.x_amzn_tls_cipher_suite.header_name", "X-Amzn-Tls-Cipher-Suite");
                }
            }
            case TCP -> a.put("tcp.idle_timeout.seconds", "350");
            default -> {
                // UDP, TCP_UDP and TLS listeners have no attributes to change
            }
        }
        return a;
    }

    /** The attributes as DescribeListenerAttributes shows them. */
    public static Map<String, String> describe(Listener l) {
        Map<String, String> a = defaults(l.protocol());
        l.attributes().forEach((k, v) -> a.computeIfPresent(k, (key, old) -> v));
        return a;
    }

    /** ModifyListenerAttributes: the listener's stored attributes after the changes, checked. */
    public static Map<String, String> modify(Listener l, Map<String, String> changes) {
        Map<String, String> known = defaults(l.protocol());
        Map<String, String> out = new LinkedHashMap<>(l.attributes());
        changes.forEach((key, value) -> {
            if (!known.containsKey(key)) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "Listener attribute key '%s' is not recognized for a %s listener", key, l.protocol());
            }
            boolean ok = switch (key) {
                case "routing.http.response.server.enabled" -> value.equals("true") || value.equals("false");
                case "tcp.idle_timeout.seconds" -> value.matches("\\d{2,4}") && Integer.parseInt(value) >= 60
                        && Integer.parseInt(value) <= 6000;
                case "routing.http.response.x_content_type_options.header_value" ->
                    value.isEmpty() || value.equals("nosniff");
                case "routing.http.response.x_frame_options.header_value" -> value.isEmpty()
                        || value.equals("DENY") || value.equals("SAMEORIGIN") || value.startsWith("ALLOW-FROM ");
                case "routing.http.response.access_control_allow_credentials.header_value" ->
                    value.isEmpty() || value.equals("true");
                case "routing.http.request.x_amzn_tls_version.header_name",
                        "routing.http.request.x_amzn_tls_cipher_suite.header_name" ->
                    HEADER_NAME.matcher(value).matches();
                default -> value.length() <= 1024;
            };
            if (!ok) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "Listener attribute '%s' cannot have the value '%s'", key, value);
            }
            out.put(key, value);
        });
        return out;
    }
}
