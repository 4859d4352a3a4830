package dev.underpass.aws.wire;

import dev.underpass.model.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flat {@code Key.1.Sub=value} parameters of a Query-protocol request, folded into a tree so that decoding can
 * walk the model once. Every node remembers whether the decoder used it; what is left over was not in the model
 * and is reported as {@code UnknownParameter}, as EC2 does.
 *
 * <p>Folding is linear in the total length of the names: each node holds its own segment only. (It once held its
 * full dotted path, which made a name of n dots cost n²/2 characters: 128 KB of {@code a.a.a...} took gigabytes.)
 * {@link FormDecoder} also bounds the length and depth of a name before it gets here.
 */
public final class QueryParams {
    /** One dotted-path segment and what hangs below it. */
    public static final class Node {
        private final Node parent;
        private final String segment;
        private String value;
        private final Map<String, Node> children = new LinkedHashMap<>();
        private boolean used;

        Node(Node parent, String segment) {
            this.parent = parent;
            this.segment = segment;
        }

        /**
         * The dotted name of this node ({@code Filter.1.Value}), built when asked (only for error messages): a node
         * keeps just its own segment, so that a name with many dots costs memory in proportion to its length.
         */
        public String path() {
            if (parent == null || parent.parent == null) {
                return segment;
            }
            return parent.path() + "." + segment;
        }

        public String value() {
            return value;
        }

        public Node child(String name) {
            return children.get(name);
        }

        public Map<String, Node> children() {
            return children;
        }

        public void markUsed() {
            used = true;
        }

        boolean used() {
            return used;
        }
    }

    private final Node root = new Node(null, "");

    private QueryParams() {}

    public static QueryParams of(Map<String, String> flat) {
        QueryParams p = new QueryParams();
        for (Map.Entry<String, String> e : flat.entrySet()) {
            p.add(e.getKey(), e.getValue());
        }
        return p;
    }

    private void add(String key, String value) {
        Node node = root;
        int start = 0;
        while (true) {
            int dot = key.indexOf('.', start);
            String segment = dot < 0 ? key.substring(start) : key.substring(start, dot);
            if (segment.isEmpty()) {
                throw ErrorCode.MALFORMED_QUERY_STRING.format("The parameter name '%s' is malformed.", key);
            }
            Node parent = node;
            node = node.children.computeIfAbsent(segment, s -> new Node(parent, s));
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        node.value = value;
    }

    public Node root() {
        return root;
    }

    /** A top-level value such as {@code Action}, marked as used. */
    public String take(String name) {
        Node n = root.child(name);
        if (n == null) {
            return null;
        }
        n.markUsed();
        return n.value;
    }

    /** Full paths of parameters the decoder never used. */
    public List<String> unused() {
        List<String> out = new ArrayList<>();
        collectUnused(root, out);
        return out;
    }

    private static void collectUnused(Node node, List<String> out) {
        for (Node child : node.children.values()) {
            if (!child.used()) {
                out.add(child.path());
            } else {
                collectUnused(child, out);
            }
        }
    }
}
