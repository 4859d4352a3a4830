package dev.underpass.aws.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AwsException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

class JsonCodecTest {
    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static GetParametersByPathRequest byPath(String body) {
        return JsonCodec.decode(json(body), (SdkPojo) GetParametersByPathRequest.builder());
    }

    private static void assertSerializationError(String body) {
        assertThatThrownBy(() -> byPath(body)).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.code()).isEqualTo("SerializationException");
            assertThat(e.status()).isEqualTo(400);
        });
    }

    @Test
    void decode_fillsScalarsListsAndNestedStructuresByTheirJsonNames() {
        GetParametersByPathRequest r = byPath("{\"Path\":\"/aws\",\"Recursive\":true,\"MaxResults\":7,"
                + "\"ParameterFilters\":[{\"Key\":\"Type\",\"Option\":\"Equals\",\"Values\":[\"String\"]}],"
                + "\"SomethingNew\":{\"ignored\":1}}");

        assertThat(r.path()).isEqualTo("/aws");
        assertThat(r.recursive()).isTrue();
        assertThat(r.maxResults()).isEqualTo(7);
        assertThat(r.parameterFilters()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("Type");
            assertThat(f.values()).containsExactly("String");
        });
    }

    @Test
    void decode_emptyBodyIsAnEmptyRequest() {
        assertThat(byPath("").path()).isNull();
        assertThat(byPath("{}").hasParameterFilters()).isFalse();
    }

    @Test
    void decode_refusesWhatItCannotRead() {
        assertSerializationError("{\"Path\":");
        assertSerializationError("[]");
        assertSerializationError("{\"Path\":5}");
        assertSerializationError("{\"Recursive\":\"yes\"}");
        assertSerializationError("{\"MaxResults\":1.5}");
        assertSerializationError("{\"MaxResults\":4294967296}");
        assertSerializationError("{\"ParameterFilters\":{}}");
        assertSerializationError("{\"ParameterFilters\":[\"Type\"]}");
        assertSerializationError("{\"Path\":\"a\",\"Path\":\"b\"}");
    }

    @Test
    void encode_writesSetMembersWithTimestampsAsEpochSeconds() {
        Parameter p = Parameter.builder().name("/a").value("v").version(3L)
                .lastModifiedDate(Instant.ofEpochSecond(1_700_000_000L, 250_000_000)).build();

        String out = new String(JsonCodec.encode(GetParameterResponse.builder().parameter(p).build()),
                StandardCharsets.UTF_8);

        assertThat(out).isEqualTo("{\"Parameter\":{\"Name\":\"/a\",\"Value\":\"v\",\"Version\":3,"
                + "\"LastModifiedDate\":1700000000.25}}");
        assertThat(new String(JsonCodec.encode(GetParameterResponse.builder().parameter(p.toBuilder()
                .lastModifiedDate(Instant.ofEpochSecond(1_700_000_000L)).build()).build()), StandardCharsets.UTF_8))
                .contains("\"LastModifiedDate\":1700000000}");
        assertThat(new String(JsonCodec.encode(GetParametersResponse.builder().build()), StandardCharsets.UTF_8))
                .isEqualTo("{}");
    }

    @Test
    void error_isAwsJsonErrorBody() {
        assertThat(new String(JsonCodec.error("ParameterNotFound", ""), StandardCharsets.UTF_8))
                .isEqualTo("{\"__type\":\"ParameterNotFound\",\"message\":\"\"}");
    }
}
