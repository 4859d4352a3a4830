package dev.underpass.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Line and column of each element of a JSON document, by the paths the validator uses
 * ({@code Statement[0].Condition.StringEquals.aws:SourceVpce[1]}). A {@code Statement} written as a single object is
 * indexed as {@code Statement[0]}, as the parser numbers it.
 */
final class JsonLocations {
    private final Map<String, JsonLocation> byPath = new HashMap<>();

    private JsonLocations() {}

    /** Indexes {@code json}; a document that does not parse yields an empty index. */
    static JsonLocations of(String json) {
        JsonLocations index = new JsonLocations();
        try (JsonParser p = PolicyParser.JSON.getFactory().createParser(json)) {
            JsonToken t = p.nextToken();
            if (t != null) {
                index.byPath.put("", p.currentTokenLocation());
                index.value(p, "");
            }
        } catch (IOException e) {
            index.byPath.clear();
        }
        return index;
    }

    private void value(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                String child = path.isEmpty() ? name : path + "." + name;
                JsonLocation at = p.currentTokenLocation();
                JsonToken next = p.nextToken();
                if (path.isEmpty() && name.equals("Statement") && next == JsonToken.START_OBJECT) {
                    byPath.putIfAbsent(child, at);
                    child = "Statement[0]";
                }
                byPath.putIfAbsent(child, at);
                value(p, child);
            }
        } else if (t == JsonToken.START_ARRAY) {
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String child = path + "[" + i++ + "]";
                byPath.putIfAbsent(child, p.currentTokenLocation());
                value(p, child);
            }
        }
    }

    /** The location of {@code path}, or of its nearest indexed ancestor. */
    Finding.Location locate(String path) {
        String p = path;
        while (true) {
            JsonLocation at = byPath.get(p);
            if (at != null) {
                return new Finding.Location(path, at.getLineNr(), at.getColumnNr());
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return new Finding.Location(path, 0, 0);
            }
            p = p.substring(0, cut);
        }
    }
}
