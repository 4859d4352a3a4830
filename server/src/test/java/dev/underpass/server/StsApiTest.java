package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

class StsApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private StsClient sts(String accessKey) {
        return StsClient.builder().endpointOverride(UNDERPASS.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "s")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @Test
    void getCallerIdentity_namesTheAccountOfTheAccessKey() {
        GetCallerIdentityResponse id = sts("123456789012").getCallerIdentity();
        assertThat(id.account()).isEqualTo("123456789012");
        assertThat(id.arn()).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(id.userId()).isEqualTo("123456789012");
    }

    @Test
    void getCallerIdentity_otherAccessKeys_areTheDefaultAccount() {
        assertThat(sts("AKIAIOSFODNN7EXAMPLE").getCallerIdentity().account()).isEqualTo("000000000000");
    }

    @Test
    void unknownStsAction_failsWithInvalidActionInTheAwsQueryEnvelope() {
        HttpResponse<String> r = RawHttp.post(UNDERPASS.endpoint(), "Action=MintMoney&Version=2011-06-15",
                Map.of("Authorization", RawHttp.authorization("123456789012", "us-east-1", "sts"),
                        "X-Amz-Date", RawHttp.amzDate()));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
                .contains("<Code>InvalidAction</Code>").contains("<Type>Sender</Type>");
    }
}
