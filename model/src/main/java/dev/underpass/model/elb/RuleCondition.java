package dev.underpass.model.elb;

import java.util.List;

/**
 * One condition of a listener rule. {@code field} is AWS's name ({@code host-header}, {@code path-pattern},
 * {@code http-header}, {@code http-request-method}, {@code query-string}, {@code source-ip}); {@code values} are the
 * patterns (for query-string, empty: the pairs are in {@code queryPairs}); {@code httpHeaderName} is set only for
 * http-header.
 */
public record RuleCondition(String field, List<String> values, String httpHeaderName, List<QueryPair> queryPairs) {
    public static final String HOST_HEADER = "host-header";
    public static final String PATH_PATTERN = "path-pattern";
    public static final String HTTP_HEADER = "http-header";
    public static final String HTTP_REQUEST_METHOD = "http-request-method";
    public static final String QUERY_STRING = "query-string";
    public static final String SOURCE_IP = "source-ip";
    public static final List<String> FIELDS = List.of(HOST_HEADER, PATH_PATTERN, HTTP_HEADER, HTTP_REQUEST_METHOD,
            QUERY_STRING, SOURCE_IP);

    /** A query-string match: the key may be omitted (null), the value is required. */
    public record QueryPair(String key, String value) {}

    public RuleCondition {
        values = values == null ? List.of() : List.copyOf(values);
        queryPairs = queryPairs == null ? List.of() : List.copyOf(queryPairs);
    }

    /** How many condition values this condition spends of the rule's quota (each query pair counts as one). */
    public int valueCount() {
        return field.equals(QUERY_STRING) ? queryPairs.size() : values.size();
    }

    /** How many wildcard characters ({@code *} and {@code ?}) its patterns use. */
    public int wildcardCount() {
        if (field.equals(SOURCE_IP) || field.equals(HTTP_REQUEST_METHOD)) {
            return 0;
        }
        int n = 0;
        List<String> texts = field.equals(QUERY_STRING)
                ? queryPairs.stream().flatMap(p -> java.util.stream.Stream.of(p.key(), p.value()))
                        .filter(s -> s != null).toList()
                : values;
        for (String s : texts) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == '*' || s.charAt(i) == '?') {
                    n++;
                }
            }
        }
        return n;
    }
}
