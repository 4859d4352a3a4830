package dev.underpass.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class AuthorizationMessageTest {
    private static final String DECISION = "{\"allowed\":false,\"explicitDeny\":true,\"context\":{\"action\":"
            + "\"ec2:CreateVpcEndpoint\",\"resource\":\"arn:aws:ec2:us-east-1:111122223333:vpc-endpoint/*\"}}";

    @Test
    void encode_thenDecode_givesTheSameJson_inUrlSafeTextWithoutPadding() {
        String token = AuthorizationMessage.encode(DECISION);
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(AuthorizationMessage.decode(token)).isEqualTo(DECISION);
        assertThat(AuthorizationMessage.decode("  " + token + "\n")).isEqualTo(DECISION);
    }

    @Test
    void decode_damagedTruncatedOrForeignText_isRefusedWithAReason() {
        String token = AuthorizationMessage.encode(DECISION);
        String flipped = token.substring(0, 20) + (token.charAt(20) == 'A' ? 'B' : 'A') + token.substring(21);
        assertThatThrownBy(() -> AuthorizationMessage.decode(flipped)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthorizationMessage.decode(token.substring(0, token.length() / 2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthorizationMessage.decode("not a token!"))
                .hasMessageContaining("base64url");
        assertThatThrownBy(() -> AuthorizationMessage.decode("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> AuthorizationMessage.decode(AuthorizationMessage.encode("[1,2]")))
                .hasMessageContaining("not a decision");
    }

    @Test
    void decode_refusesADeflateBomb() {
        byte[] zeros = new byte[AuthorizationMessage.MAX_MESSAGE_BYTES + 1024];
        zeros[0] = '{';
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(zeros);
        d.finish();
        byte[] out = new byte[64 * 1024];
        int n = d.deflate(out);
        d.end();
        String bomb = Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(out, n));
        assertThatThrownBy(() -> AuthorizationMessage.decode(bomb)).hasMessageContaining("inflates past");
    }
}
