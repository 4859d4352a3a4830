package dev.underpass.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts a connection's bytes each way at the head of its pipeline, for its flow-log record: what the peer sent us
 * ({@link #received()}) and what we wrote to it ({@link #sent()}), TLS records included. A health check's connection
 * and a service endpoint's client connection are counted alike. Written on the connection's event loop only; read
 * from anywhere once it is closed.
 */
public class ByteCounter extends ChannelDuplexHandler {
    private volatile long sent;
    private volatile long received;

    public long sent() {
        return sent;
    }

    public long received() {
        return received;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            received += buf.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            sent += buf.readableBytes();
        }
        ctx.write(msg, promise);
    }
}
