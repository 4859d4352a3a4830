package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Assertions on an AWS error as any service's SDK client reports it (STS, Organizations, RAM, …): the exception
 * type the SDK picked for the code, AWS's code, the HTTP status, and a message, which AWS always sends. EC2's
 * shorthand lives in {@link Ec2Assertions}.
 */
final class AwsAssertions {
    private AwsAssertions() {}

    /** The call fails with an exception of {@code type} carrying {@code code} at {@code status}, with a message. */
    static <E extends AwsServiceException> void assertAwsError(Runnable call, Class<E> type, String code,
            int status) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(type, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorMessage()).isNotBlank();
        });
    }
}
