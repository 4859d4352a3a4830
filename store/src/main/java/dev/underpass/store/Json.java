package dev.underpass.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.underpass.model.Resource;
import dev.underpass.model.ResourceKind;
import dev.underpass.model.ec2.Ec2ResourceKinds;
import dev.underpass.model.elb.ElbResourceKinds;
import dev.underpass.model.org.OrgResourceKinds;
import dev.underpass.model.sharing.SharingResourceKinds;
import dev.underpass.model.sts.StsResourceKinds;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The on-disk encoding of resources: JSON with a {@code @kind} discriminator, timestamps as ISO-8601 text. */
final class Json {
    /**
     * Every stored record type, family by family. A new record type goes into its family's list; a new family's
     * list is added here.
     */
    static final List<ResourceKind> KINDS = Stream.of(
                    ResourceKind.KERNEL,
                    Ec2ResourceKinds.ALL,
                    ElbResourceKinds.ALL,
                    StsResourceKinds.ALL,
                    OrgResourceKinds.ALL,
                    SharingResourceKinds.ALL)
            .flatMap(List::stream)
            .toList();

    private static final ObjectMapper MAPPER = mapper();

    private Json() {}

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.registerSubtypes(namedTypes(KINDS));
        return mapper;
    }

    /** The kinds as Jackson's named subtypes; two kinds with one name or one type are a programming error. */
    static NamedType[] namedTypes(List<ResourceKind> kinds) {
        Set<String> names = new HashSet<>();
        Set<Class<?>> types = new HashSet<>();
        for (ResourceKind k : kinds) {
            if (!names.add(k.name())) {
                throw new IllegalStateException("two stored record types are named '" + k.name() + "'");
            }
            if (!types.add(k.type())) {
                throw new IllegalStateException(k.type().getName() + " is registered twice");
            }
        }
        return kinds.stream().map(k -> new NamedType(k.type(), k.name())).toArray(NamedType[]::new);
    }

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
