package dev.underpass.dataplane;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;

/**
 * Which Netty transport the data plane's sockets use: Java NIO, or with {@code -Dunderpass.dataplane.transport=epoll}
 * Linux's native epoll where Netty's native library loads (Linux on x86-64). epoll is opt-in because the benchmark
 * shows no difference beyond the noise of a shared machine (its half-close trouble, a read asked of a socket whose
 * input was shut down, is avoided by {@link Relay}). epoll saves a copy and a selector wake-up per read, and lets a relay's outbound socket
 * bind its source address without picking a port until it connects ({@code IP_BIND_ADDRESS_NO_PORT}), so one
 * client address can open more connections. Every channel
 * on the data plane's event loops must come from here: an epoll loop takes epoll channels only. The service
 * endpoints' proxies (dev.underpass.dataplane.service) follow the same setting.
 */
public final class Transport {
    static final boolean EPOLL = "epoll".equals(System.getProperty("underpass.dataplane.transport", "")
            .toLowerCase(Locale.ROOT)) && Epoll.isAvailable();

    private Transport() {}

    public static String name() {
        return EPOLL ? "epoll" : "nio";
    }

    public static IoHandlerFactory ioHandlers() {
        return ioHandlers(EPOLL);
    }

    public static IoHandlerFactory ioHandlers(boolean epoll) {
        return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public static Class<? extends ServerChannel> serverSocket() {
        return serverSocket(EPOLL);
    }

    public static Class<? extends ServerChannel> serverSocket(boolean epoll) {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends Channel> socket() {
        return socket(EPOLL);
    }

    public static Class<? extends Channel> socket(boolean epoll) {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Whether {@code ch} is an epoll channel (so that a channel opened beside it on its loop must be one too). */
    public static boolean epoll(Channel ch) {
        return ch instanceof EpollSocketChannel || ch instanceof EpollServerSocketChannel
                || ch instanceof EpollDatagramChannel;
    }

    /** Outbound connections that bind a source address: with epoll, the port is chosen at connect time. */
    public static io.netty.bootstrap.Bootstrap outbound(io.netty.bootstrap.Bootstrap b) {
        return outbound(b, EPOLL);
    }

    public static io.netty.bootstrap.Bootstrap outbound(io.netty.bootstrap.Bootstrap b, boolean epoll) {
        return epoll ? b.option(io.netty.channel.epoll.EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true) : b;
    }

    public static Class<? extends DatagramChannel> datagram() {
        return EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
