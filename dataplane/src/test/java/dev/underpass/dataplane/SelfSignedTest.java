package dev.underpass.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SelfSignedTest {
    @Test
    void generatedCertificate_parses_isSelfSigned_andNamesItsSubject() throws Exception {
        Instant now = Instant.parse("2026-12-06T07:00:00Z");
        SelfSigned.Pair p = SelfSigned.generate("net/lb/0123456789abcdef", now);
        assertThat(p.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=net/lb/0123456789abcdef");
        assertThat(p.certificate().getIssuerX500Principal()).isEqualTo(p.certificate().getSubjectX500Principal());
        assertThat(p.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(p.certificate().getNotBefore().toInstant()).isEqualTo(Instant.parse("2026-12-06T06:00:00Z"));
        assertThat(p.certificate().getNotAfter().toInstant()).isEqualTo(Instant.parse("2027-12-06T07:00:00Z"));
        p.certificate().verify(p.certificate().getPublicKey());
        assertThat(p.key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void derLengths_shortAndLongForm() {
        assertThat(SelfSigned.der(0x04, new byte[3])).startsWith(0x04, 3);
        byte[] big = SelfSigned.der(0x04, new byte[300]);
        assertThat(big).startsWith(0x04, 0x82, 0x01, 0x2c);
        assertThat(big).hasSize(304);
    }
}
