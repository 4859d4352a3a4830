package dev.underpass.dataplane;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.net.ssl.SSLException;

/**
 * A self-signed certificate and its key, made in memory for a TLS listener: underpass has no ACM, so the
 * certificate ARNs a listener names hold no key, and the node needs one to terminate TLS. Netty's own generator
 * needs BouncyCastle's PKIX library, the JDK's internal X.509 classes or the {@code keytool} program; this writes
 * the one DER structure it needs (an X.509 v1 certificate: serial, issuer and subject, validity, key, ECDSA P-256
 * signature over SHA-256) and lets the JDK parse and check it.
 */
final class SelfSigned {
    private static final byte[] ECDSA_WITH_SHA256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04,
        0x03, 0x02};
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SelfSigned() {}

    /** A certificate for {@code commonName} and its key, valid from an hour ago for a year. */
    record Pair(X509Certificate certificate, java.security.PrivateKey key) {}

    static Pair generate(String commonName, Instant now) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = g.generateKeyPair();
            byte[] algorithm = der(0x30, ECDSA_WITH_SHA256);
            byte[] name = der(0x30, der(0x31, der(0x30, COMMON_NAME,
                    der(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
            byte[] validity = der(0x30, time(now.minus(Duration.ofHours(1))), time(now.plus(Duration.ofDays(365))));
            byte[] serial = der(0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray());
            // Version 1 (the version field left out): no extensions are needed to serve a handshake.
            byte[] tbs = der(0x30, serial, algorithm, name, validity, name, keys.getPublic().getEncoded());
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bits = new byte[signature.length + 1]; // a BIT STRING starts with its count of unused bits: 0
            System.arraycopy(signature, 0, bits, 1, signature.length);
            byte[] cert = der(0x30, tbs, algorithm, der(0x03, bits));
            X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(cert));
            x509.verify(keys.getPublic());
            return new Pair(x509, keys.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a self-signed certificate", e);
        }
    }

    /** A server context presenting a fresh self-signed certificate for {@code commonName}. */
    static SslContext server(String commonName) {
        Pair p = generate(commonName, Instant.now());
        try {
            return SslContextBuilder.forServer(p.key(), p.certificate()).build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS server context", e);
        }
    }

    private static byte[] time(Instant t) {
        return der(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    /** One DER element: {@code tag}, its definite length, then the contents (concatenated). */
    static byte[] der(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : contents) {
            body.writeBytes(c);
        }
        int n = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
