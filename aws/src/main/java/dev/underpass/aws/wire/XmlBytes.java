package dev.underpass.aws.wire;

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

    private byte[] buf;
    private int len;
    private boolean scratch;
    private boolean inUse;

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
        }
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
                    default -> raw("&#" + (int) c + ";");
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
            raw(s.substring(i, j).getBytes(StandardCharsets.UTF_8));
            ensure(n - j);
            i = j - 1;
        }
        return this;
    }

    public int length() {
        return len;
    }

    /** The bytes written from {@code start} on, in a new array. */
    public byte[] copyFrom(int start) {
        return Arrays.copyOfRange(buf, start, len);
    }

    /** The bytes written, in a new array of exactly their length. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
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
