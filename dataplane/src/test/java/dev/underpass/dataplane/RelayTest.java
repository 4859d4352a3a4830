package dev.underpass.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay on real loopback sockets, on both transports (epoll where it loads): a client's half-close still gets
 * the target's answer, and a reset on either side reaches the other side as a reset, not a clean end of stream.
 */
class RelayTest {
    private EventLoopGroup group;
    private Channel listener;
    private ServerSocket target;

    /** A relay on 127.0.0.1 to {@link #target}, on NIO or epoll. */
    private InetSocketAddress relay(String transport) throws Exception {
        boolean epoll = transport.equals("epoll");
        if (epoll) {
            assumeTrue(Epoll.isAvailable(), "the epoll transport does not load here");
        }
        target = new ServerSocket();
        target.bind(new InetSocketAddress("127.0.0.1", 0));
        InetSocketAddress to = (InetSocketAddress) target.getLocalSocketAddress();
        group = new MultiThreadIoEventLoopGroup(1, Transport.ioHandlers(epoll));
        listener = Flows.acceptor(group, epoll, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                Flows.relay(ctx.channel(), to, new InetSocketAddress("127.0.0.1", 0), new Relay.Tally());
            }
        }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
        assertThat(Transport.epoll(listener)).isEqualTo(epoll);
        return (InetSocketAddress) listener.localAddress();
    }

    @AfterEach
    void stop() throws IOException {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (target != null) {
            target.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void clientThatHalfClosesAfterItsRequest_getsTheWholeAnswer(String transport) throws Exception {
        InetSocketAddress relay = relay(transport);
        byte[] answer = new byte[3 * 1024 * 1024];
        for (int i = 0; i < answer.length; i++) {
            answer[i] = (byte) (i * 31);
        }
        CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
            try (Socket s = target.accept()) {
                // Reads the request to its end (the client's FIN, passed on), then answers, then closes.
                String request = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                s.getOutputStream().write(answer);
                return request;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (Socket c = new Socket()) {
            c.connect(relay, 5_000);
            c.setSoTimeout(10_000);
            c.getOutputStream().write("GET /\r\n".getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            assertThat(c.getInputStream().readAllBytes()).isEqualTo(answer);
        }
        assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("GET /\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void targetThatResets_isSeenAsAReset(String transport) throws Exception {
        InetSocketAddress relay = relay(transport);
        CompletableFuture<Void> reset = CompletableFuture.runAsync(() -> {
            try (Socket s = target.accept()) {
                s.getInputStream().read();
                s.setSoLinger(true, 0);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (Socket c = new Socket()) {
            c.connect(relay, 5_000);
            c.setSoTimeout(10_000);
            c.getOutputStream().write(1);
            reset.get(10, TimeUnit.SECONDS);
            InputStream in = c.getInputStream();
            assertThatThrownBy(() -> {
                while (in.read() >= 0) {
                    // a clean end of stream ends the loop and fails the assertion
                }
            }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void clientThatResets_isSeenAsAResetByTheTarget(String transport) throws Exception {
        InetSocketAddress relay = relay(transport);
        Socket c = new Socket();
        c.connect(relay, 5_000);
        c.getOutputStream().write(1);
        try (Socket s = target.accept()) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo(1);
            c.setSoLinger(true, 0);
            c.close();
            assertThatThrownBy(() -> {
                while (in.read() >= 0) {
                    // a clean end of stream ends the loop and fails the assertion
                }
            }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }
}
