package dev.underpass.dataplane;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;

/**
 * Copies bytes one way between two connected channels, with back-pressure: both run with auto-read off, and this
 * side is read again only while the peer's outbound buffer is under its high-water mark (Netty's default, 64 KiB);
 * when the peer drains below the low mark, its relay asks this side for more. So memory per direction is bounded
 * whatever the sender's rate, and reading overlaps writing.
 */
final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final Tally tally;
    private final boolean forward;

    /** Bytes a relayed connection carried each way (for flow logs), and the hop to the target once connected. */
    static final class Tally {
        volatile long forward;
        volatile long back;
        volatile java.net.InetSocketAddress from;
        volatile java.net.InetSocketAddress to;
    }

    /** Relays to {@code peer}, counting in {@code tally} as forward (client to target) or back bytes. */
    Relay(Channel peer, Tally tally, boolean forward) {
        this.peer = peer;
        this.tally = tally;
        this.forward = forward;
    }

    /** Set on a channel once its input has been shut down (its peer's FIN): it is never asked to read again. */
    static final io.netty.util.AttributeKey<Boolean> INPUT_DONE = io.netty.util.AttributeKey.valueOf("inputDone");

    /**
     * Asks {@code ch} for more, unless its input is shut down or it is closed: with Netty 4.2's epoll transport, a
     * read asked of a half-closed socket fails ({@code epoll_ctl} ENOENT) and closes the connection, answer and all.
     */
    static void read(Channel ch) {
        if (!ch.isActive() || Boolean.TRUE.equals(ch.attr(INPUT_DONE).get())
                || ch instanceof io.netty.channel.socket.DuplexChannel d && d.isInputShutdown()) {
            return;
        }
        ch.read();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        read(ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (tally != null && msg instanceof io.netty.buffer.ByteBuf buf) {
            // One event loop serves both channels of a connection: no lost updates.
            if (forward) {
                tally.forward += buf.readableBytes();
            } else {
                tally.back += buf.readableBytes();
            }
        }
        Channel self = ctx.channel();
        peer.write(msg).addListener(f -> {
            if (!f.isSuccess()) {
                // The peer is gone (reset, most likely): tell this side the same way.
                abort(self, peer, f.cause());
            }
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (peer.isWritable()) {
            read(ctx.channel());
        }
    }

    /** This side drained: the peer, whose bytes are written here, may be read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            read(peer);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * The sender finished (its FIN): once what it sent is written, finish the other way too, as TCP through a load
     * balancer does, so that a client that half-closes after its request still gets the answer. A connection that
     * has seen nothing for {@link #IDLE_TIMEOUT} is closed, as an NLB closes idle TCP flows.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
            inputFinished(ctx.channel());
        } else if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
            ctx.close();
            peer.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** {@code self} will send no more: pass its FIN on to the peer once what it sent is written. */
    void inputFinished(Channel self) {
        self.attr(INPUT_DONE).set(true);
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (f.isSuccess() && peer instanceof io.netty.channel.socket.DuplexChannel d) {
                // Over TLS, the end of the stream is a close_notify first, then the FIN.
                io.netty.handler.ssl.SslHandler tls = peer.pipeline().get(io.netty.handler.ssl.SslHandler.class);
                io.netty.util.concurrent.Future<?> before = tls == null ? f : tls.closeOutbound();
                before.addListener(t -> d.shutdownOutput().addListener(x -> closeIfDone(peer)));
            } else {
                peer.close();
            }
        });
        closeIfDone(self);
    }

    /** Bytes read from this side and written to the peer, before the relay itself was in place. */
    void handOver(ChannelHandlerContext ctx, Object msg) {
        channelRead(ctx, msg);
    }

    /**
     * Holds what a client sends (and its FIN) while the connection to the target is being made: epoll reads a
     * socket whose peer has half-closed even with auto-read off, and without this the request would be dropped.
     */
    static final class Early extends ChannelInboundHandlerAdapter {
        private final java.util.List<Object> held = new java.util.ArrayList<>();
        private boolean finished;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            held.add(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
                finished = true;
                ctx.channel().attr(INPUT_DONE).set(true);
            }
            ctx.fireUserEventTriggered(evt);
        }

        /** The client broke off (a reset, most likely) before the target answered: reset it, hold nothing. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            release();
            reset(ctx.channel());
        }

        /** Puts {@code relay} in this handler's place and gives it what was held. */
        void replaceWith(Channel ch, Relay relay) {
            ch.pipeline().replace(this, "relay", relay);
            ChannelHandlerContext ctx = ch.pipeline().context(relay);
            for (Object msg : held) {
                relay.handOver(ctx, msg);
            }
            held.clear();
            relay.peer.flush();
            if (finished) {
                relay.inputFinished(ch);
            }
        }

        /** Lets go of what was held (the target could not be reached). */
        void release() {
            held.forEach(io.netty.util.ReferenceCountUtil::release);
            held.clear();
        }
    }

    /** AWS's idle timeout for TCP flows through a Network Load Balancer (its default, 350 s). */
    static final java.time.Duration IDLE_TIMEOUT = java.time.Duration.ofSeconds(350);

    /** Closes a channel whose both directions have finished. */
    private static void closeIfDone(Channel ch) {
        if (ch instanceof io.netty.channel.socket.DuplexChannel d && d.isInputShutdown() && d.isOutputShutdown()) {
            ch.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeOnFlush(peer);
    }

    /**
     * A side failed. A reset (or any other I/O error on the socket) is passed on as a reset, so the other end sees
     * what it would see from the real peer, not a clean end of stream.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        abort(ctx.channel(), peer, cause);
    }

    /** {@code failed} broke with {@code cause}: reset {@code other} (for an I/O error) or close it once flushed. */
    static void abort(Channel failed, Channel other, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            reset(other);
            reset(failed);
        } else {
            closeOnFlush(other);
            failed.close();
        }
    }

    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Refuses a connection with a TCP reset (SO_LINGER 0, then close), which is what a client of a dropped flow
     * eventually sees as a failure, only at once instead of after its connect timeout.
     */
    static void reset(Channel ch) {
        try {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException ignored) {
            // Already closed: nothing to reset.
        }
        ch.close();
    }
}
