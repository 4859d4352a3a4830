package dev.underpass.aws.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable UTF-8 byte buffer that XML is written into directly, so that an answer is encoded once, with no
 * intermediate {@code String}: markup is appended as ready-made bytes, text escaped on the way in. The bytes are
 * exactly those of building the same characters in a {@code StringBuilder} and calling {@code getBytes(UTF_8)}.
 */
public final class XmlBytes {
    private static final byte[] LT = ascii("&lt;");
    private static final byte[] GT = ascii("&gt;");
    private static final byte[] AMP = ascii("&amp;");
    private static final byte[] QUOT = ascii("&quot;");
    private static final byte[] APOS = ascii("&apos;");
    /** U+FFFD in UTF-8: written for a character XML 1.0 cannot carry at all, as {@link XmlEncoder#text} does. */
    private static final byte[] REPLACEMENT = "\uFFFD".getBytes(StandardCharsets.UTF_8);
    /** Per ASCII character: 0 copy as is, 1 escape (one of the five, or a control character). */
    private static final boolean[] ESCAPE = new boolean[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPE[c] = c != '\n' && c != '\r' && c != '\t';
        }
        for (char c : "<>&\"'".toCharArray()) {
            ESCAPE[c] = true;
        }
    }

    /** A scratch buffer per thread kept up to this size between answers; a larger one is dropped after use. */
    private static final int KEEP = 1 << 20;
    private static final ThreadLocal<XmlBytes> SCRATCH = ThreadLocal.withInitial(() -> new XmlBytes(1 << 13));

    /** A kept fragment at least this long is referenced by {@link #share}, not copied. */
    static final int SHARE_MIN = 256;

    private byte[] buf;
    private int len;
    private boolean scratch;
    private boolean inUse;
    /** Fragments referenced, not copied, each to be read at {@code sharedAt[i]} of {@link #buf}. */
    private byte[][] shared = NONE;
    private int[] sharedAt = new int[0];
    private int sharedCount;
    private int sharedBytes;
    private static final byte[][] NONE = new byte[0][];

    public XmlBytes(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    /**
     * The calling thread's reusable buffer, emptied, for one answer that ends with {@link #finish()} (a nested use
     * before then gets a fresh buffer). Encoding a large answer then allocates nothing but the answer itself.
     */
    public static XmlBytes scratch() {
        XmlBytes b = SCRATCH.get();
        if (b.inUse) {
            return new XmlBytes(1 << 10);
        }
        b.scratch = true;
        b.inUse = true;
        b.len = 0;
        return b;
    }

    /** The bytes written, in a new array of exactly their length, and the buffer handed back ({@link #release()}). */
    public byte[] finish() {
        byte[] bytes = toByteArray();
        release();
        return bytes;
    }

    /** Hands a scratch buffer back to its thread (also after a failure half-way); a no-op for any other. */
    public void release() {
        if (scratch) {
            if (buf.length > KEEP) {
                buf = new byte[1 << 13];
            }
            len = 0;
            inUse = false;
            clearShared();
        }
    }

    /**
     * The bytes written, as parts to be sent in order: slices of one new array holding what was written here, and
     * the shared fragments themselves (so a large answer made of kept fragments is not copied once more); the buffer
     * is handed back ({@link #release()}).
     */
    public ByteBuffer[] finishParts() {
        ByteBuffer[] parts;
        if (sharedCount == 0) {
            parts = new ByteBuffer[] {ByteBuffer.wrap(Arrays.copyOf(buf, len))};
        } else {
            byte[] own = Arrays.copyOf(buf, len);
            parts = new ByteBuffer[2 * sharedCount + 1];
            int n = 0;
            int from = 0;
            for (int i = 0; i < sharedCount; i++) {
                if (sharedAt[i] > from) {
                    parts[n++] = ByteBuffer.wrap(own, from, sharedAt[i] - from);
                    from = sharedAt[i];
                }
                parts[n++] = ByteBuffer.wrap(shared[i]);
            }
            if (len > from) {
                parts[n++] = ByteBuffer.wrap(own, from, len - from);
            }
            parts = Arrays.copyOf(parts, n);
        }
        release();
        return parts;
    }

    /**
     * Appends a kept, never-changing fragment: a long one is referenced and sent as it is by {@link #finishParts()},
     * a short one copied. The bytes are those of {@link #raw(byte[])} in every output form.
     */
    public XmlBytes share(byte[] bytes) {
        if (bytes.length < SHARE_MIN) {
            return raw(bytes);
        }
        if (sharedCount == shared.length) {
            int n = Math.max(16, sharedCount * 2);
            shared = Arrays.copyOf(shared, n);
            sharedAt = Arrays.copyOf(sharedAt, n);
        }
        shared[sharedCount] = bytes;
        sharedAt[sharedCount++] = len;
        sharedBytes += bytes.length;
        return this;
    }

    private void clearShared() {
        Arrays.fill(shared, 0, sharedCount, null);
        sharedCount = 0;
        sharedBytes = 0;
    }

    /** Appends bytes as they are (markup prepared once, e.g. {@code <vpcId>}). */
    public XmlBytes raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        return this;
    }

    /** Appends {@code s} UTF-8 encoded, unescaped (markup and values known to need no escaping). */
    public XmlBytes raw(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return raw(s.substring(i).getBytes(StandardCharsets.UTF_8));
            }
            buf[len++] = (byte) c;
        }
        return this;
    }

    /** Appends {@code s} with XML's five special characters and control characters escaped, as {@link XmlEncoder#text}. */
    public XmlBytes text(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (!ESCAPE[c]) {
                    buf[len++] = (byte) c;
                    continue;
                }
                switch (c) {
                    case '<' -> raw(LT);
                    case '>' -> raw(GT);
                    case '&' -> raw(AMP);
                    case '"' -> raw(QUOT);
                    case '\'' -> raw(APOS);
                    default -> raw(REPLACEMENT);
                }
                ensure(n - i);
                continue;
            }
            // A run of non-ASCII characters (none of which is escaped) is encoded as String does, so that a
            // surrogate pair stays together and a lone surrogate becomes '?' exactly as getBytes(UTF_8) makes it.
            int j = i + 1;
            while (j < n && s.charAt(j) >= 0x80) {
                j++;
            }
            raw(XmlEncoder.xmlChars(s.substring(i, j)).getBytes(StandardCharsets.UTF_8));
            ensure(n - j);
            i = j - 1;
        }
        return this;
    }

    /** The bytes written here (shared fragments not counted). */
    public int length() {
        return len;
    }

    /** A position in the output, for {@link #copyFrom}. */
    public long mark() {
        return (long) sharedCount << 32 | len;
    }

    /** The bytes written since {@code mark}, in a new array (none of them may have been {@link #share}d). */
    public byte[] copyFrom(long mark) {
        if ((int) (mark >>> 32) != sharedCount) {
            throw new IllegalStateException("a shared fragment lies after the mark");
        }
        return Arrays.copyOfRange(buf, (int) mark, len);
    }

    /** The bytes written, in a new array of exactly their length. */
    public byte[] toByteArray() {
        if (sharedCount == 0) {
            return Arrays.copyOf(buf, len);
        }
        byte[] all = new byte[len + sharedBytes];
        int at = 0;
        int from = 0;
        for (int i = 0; i < sharedCount; i++) {
            int n = sharedAt[i] - from;
            System.arraycopy(buf, from, all, at, n);
            at += n;
            from = sharedAt[i];
            System.arraycopy(shared[i], 0, all, at, shared[i].length);
            at += shared[i].length;
        }
        System.arraycopy(buf, from, all, at, len - from);
        return all;
    }

    @Override
    public String toString() {
        return new String(toByteArray(), StandardCharsets.UTF_8);
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
