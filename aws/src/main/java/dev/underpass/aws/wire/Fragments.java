package dev.underpass.aws.wire;

/**
 * Encoded forms of long-lived SDK objects, which {@link XmlEncoder} looks up by identity for the items of an
 * answer's lists: an object shared by many answers (one resource's shape, kept for as long as its snapshot is
 * current) is encoded once and then copied as bytes. An SDK object is immutable, so its encoding never goes stale.
 */
public interface Fragments {
    /** Where {@code pojo}'s encoded members are kept, or null if it is not one to keep. */
    Slot slot(Object pojo);

    /** One object's encoded members, in the dialect they were written for (set once, read many times). */
    final class Slot {
        private volatile Encoded encoded;

        /** The members as {@code dialect} spells them, or null if not yet encoded that way. */
        public byte[] get(QueryDialect dialect) {
            Encoded e = encoded;
            return e != null && e.dialect() == dialect ? e.bytes() : null;
        }

        public void set(QueryDialect dialect, byte[] bytes) {
            encoded = new Encoded(dialect, bytes);
        }

        private record Encoded(QueryDialect dialect, byte[] bytes) {}
    }
}
