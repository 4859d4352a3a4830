package dev.underpass.server;

import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The base of the wire fuzzers that need nothing but a server of the test configuration: one for the whole of a
 * property class, started before its first try and closed after its last.
 */
abstract class ServerProperties {
    static UnderpassServer server;

    @BeforeContainer
    static void startServer() {
        server = TestStore.start(ServerConfig.forTests());
    }

    @AfterContainer
    static void stopServer() {
        server.close();
    }
}
