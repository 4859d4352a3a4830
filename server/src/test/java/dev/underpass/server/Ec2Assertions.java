package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/** Assertions on EC2 errors as the SDK reports them: AWS's code, the HTTP status, and a request id. */
final class Ec2Assertions {
    private Ec2Assertions() {}

    /** The call fails with {@code code} and status 400, as every EC2 client error does. */
    static void assertError(Runnable call, String code) {
        assertError(call, code, 400);
    }

    /** The call fails with {@code code}, status 400 and exactly AWS's {@code message}. */
    static void assertError(Runnable call, String code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(Ec2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
    }

    static void assertError(Runnable call, String code, int status) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(Ec2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.requestId()).isNotBlank();
        });
    }
}
