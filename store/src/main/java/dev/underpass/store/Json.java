package dev.underpass.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.underpass.model.Resource;

/** The on-disk encoding of resources: JSON with a {@code @kind} discriminator, timestamps as ISO-8601 text. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {}

    static String write(Resource r) {
        try {
            return MAPPER.writerFor(Resource.class).writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + r.id(), e);
        }
    }

    static Resource read(String json) {
        try {
            return MAPPER.readValue(json, Resource.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot decode stored resource: " + e.getOriginalMessage(), e);
        }
    }
}
