package dev.underpass.aws;

import dev.underpass.aws.wire.Fragments;
import dev.underpass.model.Resource;
import dev.underpass.model.World;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkPojo;

/**
 * The SDK shapes of one world snapshot's resources, each built once per stored record (and per {@code variant}, the
 * part of the shape that may change without a commit, such as a state that advances with time), and their encoded
 * XML ({@link Fragments}). A large Describe answer read again and again is then a copy of bytes per item; the first
 * write makes a new snapshot and so a new, empty cache, and the old one goes with its world. A record that is not
 * the snapshot's own instance (a caller's view with tags removed) is shaped every time and not kept.
 */
public final class ShapeCache implements Fragments {
    private static final Object KEY = new Object();
    /** Beyond this many records a snapshot's cache keeps no more (a bound on memory, not expected to be reached). */
    private static final int MAX = 250_000;

    private final World world;
    private final ConcurrentHashMap<Identity, Entry> byRecord = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Identity, Slot> byShape = new ConcurrentHashMap<>();

    private ShapeCache(World world) {
        this.world = world;
    }

    /** The cache of {@code world}, made on first use. */
    public static ShapeCache of(World world) {
        return world.derive(KEY, ShapeCache::new);
    }

    /**
     * {@code record}'s shape of class {@code type} for this variant: the one built before, or {@code shape}'s, kept
     * if the record is the snapshot's own. One record may have shapes of several types (an endpoint is a
     * {@code VpcEndpoint} to its owner and a {@code VpcEndpointConnection} to its service's provider).
     */
    public <P extends SdkPojo> P shape(Resource record, Class<P> type, Object variant, Supplier<P> shape) {
        Identity key = new Identity(record, type);
        Entry e = byRecord.get(key);
        if (e != null && Objects.equals(e.variant(), variant)) {
            return type.cast(e.shape());
        }
        P built = shape.get();
        if (byRecord.size() < MAX && world.findAny(record.id()).orElse(null) == record) {
            byShape.put(new Identity(built, null), new Slot());
            byRecord.put(key, new Entry(variant, built));
        }
        return built;
    }

    /** The shapes of a Describe page's {@code records}, in order, each as {@link #shape} gives it (no variant). */
    public <R extends Resource, P extends SdkPojo> List<P> shapes(List<R> records, Class<P> type,
            Function<R, P> shaper) {
        return records.stream().map(r -> shape(r, type, null, () -> shaper.apply(r))).toList();
    }

    @Override
    public Slot slot(Object pojo) {
        return byShape.isEmpty() ? null : byShape.get(new Identity(pojo, null));
    }

    private record Entry(Object variant, Object shape) {}

    /**
     * An object (and the shape type asked of it) as a key by identity: records compare by value, which is neither
     * what is meant nor cheap.
     */
    private static final class Identity {
        private final Object o;
        private final Class<?> type;

        Identity(Object o, Class<?> type) {
            this.o = o;
            this.type = type;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Identity i && i.o == o && i.type == type;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(o);
        }
    }
}
