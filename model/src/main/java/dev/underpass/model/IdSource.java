package dev.underpass.model;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Where new ids and other random parts of a response (MAC addresses, DNS tokens, ARN suffixes, session keys, request
 * ids) come from. By default that is {@link #random()}, a {@link SecureRandom}; a server started with a seed uses
 * {@link #seeded(long)} instead, so a scenario replayed from the same seed draws the same values in the same order
 * and produces byte-identical responses (the golden transcript tests rely on it).
 *
 * <p>A source is shared by whoever draws from it; a seeded source is deterministic only if its draws come in a
 * deterministic order, which holds for the store's writer (one thread applies calls in queue order) and for request
 * ids of one client at a time.
 */
public interface IdSource {
    /** 64 random bits: every other draw is derived from these. */
    long nextLong();

    /**
     * A fresh id such as {@code subnet-0f3e9c1d2b4a59687}: 17 hex digits of which the first is 0, as in every
     * long-form id AWS hands out, and 64 random bits.
     */
    default String next(String prefix) {
        return prefix + "-0" + HexFormat.of().toHexDigits(nextLong());
    }

    /** A random string of {@code digits} lowercase hex digits. */
    default String hex(int digits) {
        StringBuilder sb = new StringBuilder(digits + 16);
        while (sb.length() < digits) {
            sb.append(HexFormat.of().toHexDigits(nextLong()));
        }
        sb.setLength(digits);
        return sb.toString();
    }

    /** A uniformly drawn int in {@code [0, bound)}. */
    default int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        // Rejection sampling on 31-bit draws, so every value is equally likely.
        int limit = Integer.MAX_VALUE - (Integer.MAX_VALUE % bound);
        while (true) {
            int r = (int) (nextLong() >>> 33);
            if (r < limit) {
                return r % bound;
            }
        }
    }

    /** Fills {@code bytes} with random bytes. */
    default void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i += 8) {
            long r = nextLong();
            for (int j = i; j < Math.min(i + 8, bytes.length); j++) {
                bytes[j] = (byte) r;
                r >>>= 8;
            }
        }
    }

    /** A random (version 4) UUID, as AWS request ids are. */
    default UUID uuid() {
        long hi = (nextLong() & ~0xF000L) | 0x4000L;
        long lo = (nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo);
    }

    /** Unpredictable values from a {@link SecureRandom}, as before seeds existed; safe for any number of threads. */
    static IdSource random() {
        return Random.INSTANCE;
    }

    /**
     * A deterministic source: the same seed gives the same sequence of draws. Thread-safe (draws are serialised), but
     * deterministic only in a deterministic order of draws.
     */
    static IdSource seeded(long seed) {
        return new Seeded(seed);
    }

    /**
     * A deterministic source for one named purpose ({@code "requests"}, say), independent of the other streams of
     * the same seed, so that drawing request ids does not shift the ids the store hands out.
     */
    static IdSource seeded(long seed, String stream) {
        long h = seed;
        for (int i = 0; i < stream.length(); i++) {
            h = 31 * h + stream.charAt(i);
        }
        return new Seeded(new SplittableRandom(h ^ 0x9E3779B97F4A7C15L).nextLong());
    }

    /** See {@link #random()}. */
    final class Random implements IdSource {
        private static final Random INSTANCE = new Random();
        private final SecureRandom random = new SecureRandom();

        private Random() {}

        @Override
        public long nextLong() {
            return random.nextLong();
        }

        @Override
        public String toString() {
            return "IdSource.random";
        }
    }

    /** See {@link #seeded(long)}. */
    final class Seeded implements IdSource {
        private final long seed;
        private final SplittableRandom random;

        private Seeded(long seed) {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public synchronized long nextLong() {
            return random.nextLong();
        }

        @Override
        public String toString() {
            return "IdSource.seeded(" + seed + ")";
        }
    }
}
