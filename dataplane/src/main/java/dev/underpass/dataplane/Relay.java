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

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
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
        peer.write(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (peer.isWritable()) {
            ctx.read();
        }
    }

    /** This side drained: the peer, whose bytes are written here, may be read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeOnFlush(peer);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeOnFlush(ctx.channel());
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
