package dev.underpass.dataplane;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The data plane's DNS server, over UDP and TCP on one port of one loopback address: A queries answered from
 * {@link Names} for the asker's source address; NXDOMAIN for names that do not exist for it; an empty answer for other
 * types of an existing name; FORMERR for what is not a query. Answers carry a TTL of 60 s (AWS's endpoint names have
 * 60). Messages are parsed and written by dnsjava.
 */
final class DnsServer {
    private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
    static final long TTL = 60;

    /** What a name has for one asker: its IPv4 addresses (A) and its IPv6 ones (AAAA), either possibly empty. */
    record Answers(List<String> a, List<String> aaaa) {}

    private final BiFunction<String, String, Answers> resolver;
    private final Channel udp;
    private final Channel tcp;

    /** {@code resolver}: (name, asker's address) → its answers, or null for NXDOMAIN. */
    DnsServer(EventLoopGroup group, String host, int port, BiFunction<String, String, Answers> resolver) {
        this.resolver = resolver;
        Channel[] pair = bindBoth(group, host, port);
        this.udp = pair[0];
        this.tcp = pair[1];
    }

    /** Port 0: a free UDP port, then the same number for TCP; if TCP has it taken, another pair. */
    private Channel[] bindBoth(EventLoopGroup group, String host, int port) {
        for (int attempt = 1;; attempt++) {
            Channel u = bindUdp(group, host, port);
            int bound = ((InetSocketAddress) u.localAddress()).getPort();
            try {
                return new Channel[] {u, bindTcp(group, host, bound)};
            } catch (Exception e) {
                // Netty rethrows the BindException (checked) unchecked.
                u.close();
                if (port != 0 || attempt >= 20) {
                    throw e;
                }
            }
        }
    }

    private Channel bindUdp(EventLoopGroup group, String host, int port) {
        return new Bootstrap().group(group).channel(Transport.datagram())
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        byte[] answer = answer(ByteBufUtil.getBytes(packet.content()),
                                packet.sender().getAddress().getHostAddress(), 512);
                        if (answer != null) {
                            ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(answer), packet.sender()));
                        }
                    }
                }).bind(host, port).syncUninterruptibly().channel();
    }

    private Channel bindTcp(EventLoopGroup group, String host, int port) {
        return new ServerBootstrap().group(group, group).channel(Transport.serverSocket())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2))
                                .addLast(new LengthFieldPrepender(2))
                                .addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                        InetSocketAddress from = (InetSocketAddress) ctx.channel().remoteAddress();
                                        byte[] answer = answer(ByteBufUtil.getBytes(msg),
                                                from.getAddress().getHostAddress(), 65535);
                                        if (answer == null) {
                                            ctx.close();
                                        } else {
                                            ctx.writeAndFlush(Unpooled.wrappedBuffer(answer));
                                        }
                                    }
                                });
                    }
                }).bind(host, port).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) udp.localAddress()).getPort();
    }

    void close() {
        udp.close();
        tcp.close();
    }

    /** The wire answer to one query, or null when it cannot even be parsed far enough to answer. */
    byte[] answer(byte[] query, String asker, int maxLength) {
        Message q;
        try {
            q = new Message(query);
        } catch (IOException e) {
            return null;
        }
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.AA);
        if (q.getHeader().getFlag(Flags.RD)) {
            r.getHeader().setFlag(Flags.RD);
        }
        Record question = q.getQuestion();
        if (question == null || q.getHeader().getOpcode() != 0) {
            r.getHeader().setRcode(Rcode.FORMERR);
            return r.toWire(maxLength);
        }
        r.addRecord(question, Section.QUESTION);
        String name = question.getName().toString(true);
        Answers addresses;
        try {
            addresses = resolver.apply(name, asker);
        } catch (RuntimeException e) {
            LOG.warn("dns: resolving {} failed", name, e);
            r.getHeader().setRcode(Rcode.SERVFAIL);
            return r.toWire(maxLength);
        }
        if (addresses == null) {
            r.getHeader().setRcode(Rcode.NXDOMAIN);
        } else if (question.getDClass() == DClass.IN
                && (question.getType() == Type.A || question.getType() == Type.AAAA)) {
            // A name with no address of the asked family answers NOERROR with no record (NODATA).
            boolean v4 = question.getType() == Type.A;
            for (String a : v4 ? addresses.a() : addresses.aaaa()) {
                try {
                    InetAddress address = InetAddress.getByName(a);
                    r.addRecord(v4 ? new ARecord(question.getName(), DClass.IN, TTL, address)
                            : new AAAARecord(question.getName(), DClass.IN, TTL, address), Section.ANSWER);
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException("an address literal always parses: " + a, e);
                }
            }
        }
        return r.toWire(maxLength);
    }
}
