package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each control endpoint takes one method and answers any other with 405 {@code MethodNotAllowed}, naming the method
 * it takes; the request does nothing else (no parameter is checked first).
 */
class ControlMethodTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            GET    | /_underpass/reset                     | Reset takes POST, not GET.
            DELETE | /moto-api/reset?account=bad           | Reset takes POST, not DELETE.
            GET    | /_underpass/private-dns/verify        | Verification takes POST, not GET.
            POST   | /_underpass/events                    | The event log takes GET, not POST.
            POST   | /_underpass/trace?from=x              | Trace takes GET, not POST.
            PUT    | /_underpass/addresses                 | Addresses take GET, not PUT.
            POST   | /_underpass/flow-logs?action=MAYBE    | Flow logs take GET, not POST.
            POST   | /_underpass/decisions?limit=0         | Decisions take GET, not POST.
            """)
    void anotherMethod_isRefusedWith405(String method, String path, String message) {
        TestClients.Answer answer = TestClients.call(method, UNDERPASS.server().endpoint(), path);
        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.body().get("error").asText()).isEqualTo("MethodNotAllowed");
        assertThat(answer.body().get("message").asText()).isEqualTo(message);
    }
}
