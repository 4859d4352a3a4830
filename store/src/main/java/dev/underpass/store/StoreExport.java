package dev.underpass.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.underpass.model.Resource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves a whole store between backends (SQLite and PostgreSQL) and makes backups: JSON Lines, a header line
 * {@code {"underpass":"export","format":1,"version":V,"resources":N}} and then one resource per line in the stores'
 * own JSON. An export is one consistent snapshot ({@link Backend#changesSince} with no version: PostgreSQL reads it
 * in one repeatable-read transaction, so nodes may keep writing meanwhile). An import goes into an empty store only,
 * in one commit: it is all there or none of it is.
 */
public final class StoreExport {
    static final int FORMAT = 1;
    private static final ObjectMapper HEADER = new ObjectMapper();

    private StoreExport() {}

    /** What an export or import moved. */
    public record Summary(long version, int resources) {}

    /** Writes every resource of {@code from} to {@code out}. */
    public static Summary export(Backend from, Writer out) throws IOException {
        Backend.Changes all = from.changesSince(-1);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("underpass", "export");
        header.put("format", FORMAT);
        header.put("version", all.version());
        header.put("resources", all.puts().size());
        out.write(HEADER.writeValueAsString(header));
        out.write('\n');
        for (Resource r : all.puts()) {
            out.write(Json.write(r));
            out.write('\n');
        }
        out.flush();
        return new Summary(all.version(), all.puts().size());
    }

    /**
     * Reads an export into {@code to}, which must hold nothing, in one commit.
     *
     * @throws IllegalArgumentException if the input is not a whole export of a known format (nothing written)
     * @throws IllegalStateException if {@code to} is not empty (nothing written)
     */
    public static Summary importInto(Backend to, BufferedReader in) throws IOException {
        String first = in.readLine();
        JsonNode header;
        try {
            header = first == null ? null : HEADER.readTree(first);
        } catch (JsonProcessingException e) {
            header = null;
        }
        if (header == null || !"export".equals(header.path("underpass").asText())) {
            throw new IllegalArgumentException("not an underpass export (its first line is not the export header)");
        }
        if (header.path("format").asInt() != FORMAT) {
            throw new IllegalArgumentException("an export of format " + header.path("format") + "; this version "
                    + "reads format " + FORMAT);
        }
        List<Resource> resources = new ArrayList<>();
        int lineNumber = 1;
        for (String line; (line = in.readLine()) != null;) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                resources.add(Json.read(line));
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("line " + lineNumber + ": " + e.getMessage(), e);
            }
        }
        if (resources.size() != header.path("resources").asInt(-1)) {
            throw new IllegalArgumentException("the export is cut short: its header announces "
                    + header.path("resources") + " resources, it holds " + resources.size());
        }
        Backend.Changes existing = to.changesSince(-1);
        if (!existing.puts().isEmpty()) {
            throw new IllegalStateException("the target store is not empty (" + existing.puts().size()
                    + " resources at version " + existing.version() + "); import into an empty store");
        }
        to.commit(existing.version(), resources, List.of());
        return new Summary(existing.version() + 1, resources.size());
    }
}
