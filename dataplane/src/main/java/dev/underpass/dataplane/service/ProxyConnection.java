package dev.underpass.dataplane.service;

import dev.underpass.model.ec2.VpcId;
import dev.underpass.dataplane.ByteCounter;
import dev.underpass.dataplane.FlowRecorder;
import dev.underpass.model.Caller;
import dev.underpass.model.ec2.VpcEndpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to a service address. At connect, the route ({@link ServiceRoute}) decides whether the
 * network carries it at all (else a TCP reset). Each request head is then decided; an allowed request, head and body,
 * is written to the upstream connection (opened at the first allowed request, one per client connection, so answers
 * come back in order and are relayed as bytes); a refused one is answered with S3's {@code AccessDenied} and the
 * connection is closed after it (its body, if any, is not read).
 */
final class ProxyConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyConnection.class);
    static final AttributeKey<ServiceEndpoints.Want> WANT = AttributeKey.valueOf("underpass.service.want");
    private static final AtomicLong REQUEST_IDS = new AtomicLong(System.nanoTime() & 0xffffffL);
    private static final io.netty.channel.WriteBufferWaterMark WATER_MARK =
            new io.netty.channel.WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    /** Reads of up to 256 KiB from the upstream, as the data plane's relays read. */
    private static final io.netty.channel.RecvByteBufAllocator READS =
            new io.netty.channel.AdaptiveRecvByteBufAllocator(4096, 65536, 256 * 1024);

    private final ServiceEndpoints endpoints;
    private final ServiceEndpoints.Want want;
    private ServiceRoute route;
    private Channel client;
    private Channel upstream;
    private boolean connected;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    /** Whether the body of the current request is forwarded (true) or dropped (false, after a refusal). */
    private boolean forwarding;
    private boolean refused;
    /** Whether the service speaks JSON with its resources in the body (DynamoDB), so a request is held whole. */
    private final boolean json;
    private HttpRequest held;
    private io.netty.buffer.CompositeByteBuf body;
    /** DynamoDB's largest request (a BatchWriteItem) is 16 MB. */
    private static final int MAX_JSON_BODY = 16 * 1024 * 1024;

    private final ByteCounter tally;

    ProxyConnection(ServiceEndpoints endpoints, ServiceEndpoints.Want want, ByteCounter tally) {
        this.endpoints = endpoints;
        this.want = want;
        this.tally = tally;
        this.json = want.service().equals("dynamodb");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        client.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        String clientIp = ((InetSocketAddress) client.remoteAddress()).getAddress().getHostAddress();
        route = endpoints.route(clientIp, want);
        Instant start = endpoints.clock().instant();
        InetSocketAddress from = (InetSocketAddress) client.remoteAddress();
        // Flow logs see the network's view: the instance's address to the endpoint interface or to the service's
        // public address, on AWS's port, whatever the policies then say about the requests it carries.
        String to = route.modelledAddress() != null ? route.modelledAddress() : want.loopback();
        if (!route.allowed()) {
            endpoints.flows().record(FlowRecorder.Leg.tcp(clientIp, from.getPort(), to, ServiceRoute.MODELLED_PORT,
                    0, 0, start, start, route.outcome()));
            endpoints.log.add(endpoints.clock().instant(), want.service(), route.path(),
                    route.endpoint() == null ? null : route.endpoint().id(),
                    route.source() == null ? null : VpcId.text(route.source().vpcId()),
                    route.source() == null ? clientIp : route.source().resourceId(), null, null, null, "Dropped",
                    String.join(",", route.blockers()), null, null);
            LOG.debug("service endpoints: reset {} -> {}:{}: {}", clientIp, want.loopback(), want.port(),
                    route.blockers());
            reset(client);
            return;
        }
        client.closeFuture().addListener(x -> endpoints.flows().record(FlowRecorder.Leg.tcp(clientIp, from.getPort(),
                to, ServiceRoute.MODELLED_PORT, tally.received(), tally.sent(), start, endpoints.clock().instant(),
                FlowRecorder.Outcome.ACCEPTED)));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
            if (req.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                answer(400, "BadRequest", "An error occurred when parsing the HTTP request.", null);
                return;
            }
            if (json) {
                // DynamoDB names its tables in the body: hold the request until the body is complete.
                held = req;
                body = client.alloc().compositeBuffer(Integer.MAX_VALUE);
                if (msg instanceof LastHttpContent last) {
                    body.addComponent(true, last.content().retain());
                    ReferenceCountUtil.release(msg);
                    release();
                }
                return;
            }
            forwarding = decide(req, null);
            if (!forwarding) {
                ReferenceCountUtil.release(msg);
                return;
            }
            send(msg);
            return;
        }
        if (msg instanceof HttpContent content) {
            if (held != null) {
                body.addComponent(true, content.content().retain());
                boolean last = msg instanceof LastHttpContent;
                ReferenceCountUtil.release(msg);
                if (body.readableBytes() > MAX_JSON_BODY) {
                    body.release();
                    body = null;
                    HttpRequest req = held;
                    held = null;
                    answer(413, "RequestEntityTooLarge", "Request size " + MAX_JSON_BODY + " exceeded.", req);
                } else if (last) {
                    release();
                }
            } else if (forwarding) {
                send(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    /** A held JSON request is complete: decide it, then forward head and body, or drop them. */
    private void release() {
        HttpRequest req = held;
        ByteBuf content = body;
        held = null;
        body = null;
        byte[] bytes = io.netty.buffer.ByteBufUtil.getBytes(content);
        if (decide(req, bytes)) {
            send(req);
            send(new io.netty.handler.codec.http.DefaultLastHttpContent(content));
        } else {
            content.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (upstream != null && connected) {
            upstream.flush();
        }
    }

    /** A service request as the policies see it: its checks, context keys and name for the log. */
    private record Call(String action, String resource, List<ActionCheck> checks, Map<String, Object> context) {}

    /**
     * Decides one request ({@code body}: a JSON service's whole body, else null); answers the refusal itself and
     * returns false, or returns true to forward it.
     */
    private boolean decide(HttpRequest req, byte[] body) {
        Instant now = endpoints.clock().instant();
        Map<String, String> headers = new HeaderView(req.headers());
        String requestId = Long.toHexString(REQUEST_IDS.incrementAndGet()).toUpperCase(Locale.ROOT);
        RequestCredential cred = RequestCredential.of(headers, req.uri());
        Caller caller = null;
        if (cred != null) {
            caller = endpoints.identities.of(cred.accessKeyId(), cred.token(), cred.region()).orElse(null);
            if (caller == null) {
                log(now, new Call(null, null, List.of(), Map.of()), "anonymous", "Refused",
                        json ? "UnrecognizedClientException" : "InvalidAccessKeyId", requestId, null);
                if (json) {
                    answer(400, "UnrecognizedClientException", "The security token included in the request is "
                            + "invalid.", req, requestId);
                } else {
                    answer(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our "
                            + "records.", req, requestId);
                }
                return false;
            }
        }
        String principal = caller == null ? "anonymous" : caller.principalArn();
        String account = caller == null ? null : caller.accountId();
        String region = cred != null && cred.region() != null ? cred.region() : want.region();
        Call call;
        try {
            if (json) {
                DynamoDbCall d = DynamoDbCall.of(headers.get("x-amz-target"), body, region, account);
                call = new Call(d.checks().get(0).action(), d.checks().get(0).resource(), d.checks(), d.context());
            } else {
                S3Call c = S3Call.of(req.method().name(), req.uri(), headers);
                call = new Call(c.action(), c.resource(), c.checks(), c.context());
            }
        } catch (IllegalArgumentException e) {
            if (json) {
                answer(400, "UnknownOperationException", "The request names no operation.", req, requestId);
            } else {
                answer(400, "InvalidURI", "Couldn't parse the specified URI.", req, requestId);
            }
            return false;
        }
        Map<String, Object> context = LinkedHashMap.newLinkedHashMap(call.context().size() + 6);
        context.putAll(call.context());
        if (route.endpoint() != null) {
            context.put("aws:SourceVpce", route.endpoint().id());
            context.put("aws:SourceVpc", VpcId.text(route.source().vpcId()));
            context.put("aws:VpcSourceIp", route.source().privateIp());
        }
        context.put("aws:RequestedRegion", region);
        Second second = currentSecond(now);
        context.put("aws:CurrentTime", second.iso());
        context.put("aws:EpochTime", second.epoch());
        // The endpoint as it is now: a policy changed since the connection opened applies to this request.
        dev.underpass.model.World world = endpoints.world();
        VpcEndpoint endpoint = route.endpoint() == null ? null : endpointIn(world);
        RequestPolicies.Verdict first = null;
        for (ActionCheck check : call.checks()) {
            RequestPolicies.Verdict v = endpoints.policies.evaluate(world, principal, account, check,
                    bucketOf(check.resource()), context, endpoint);
            if (first == null || !v.allowed()) {
                first = v;
            }
            if (!v.allowed()) {
                break;
            }
        }
        log(now, call, principal, first.decision().outcome().wireName(), first.blocking(), requestId, first);
        if (!first.allowed()) {
            if (json) {
                // DynamoDB answers AccessDeniedException with 400, in its JSON envelope.
                answer(400, "AccessDeniedException", first.message(), req, requestId);
            } else {
                answer(403, "AccessDenied", first.message(), req, requestId);
            }
            return false;
        }
        return true;
    }

    /** The route's endpoint as {@code world} has it (looked up again only when the world has changed). */
    private VpcEndpoint endpointIn(dev.underpass.model.World world) {
        if (world != endpointWorld) {
            endpointNow = world.find(VpcEndpoint.class, route.endpoint().vpcEndpointId()).orElse(route.endpoint());
            endpointWorld = world;
        }
        return endpointNow;
    }

    private dev.underpass.model.World endpointWorld;
    private VpcEndpoint endpointNow;

    /** {@code aws:CurrentTime} and {@code aws:EpochTime} of one second, formatted once for all its requests. */
    private record Second(long second, String iso, String epoch) {}

    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "", "");

    private static Second currentSecond(Instant now) {
        Second s = lastSecond;
        if (s.second() != now.getEpochSecond()) {
            s = new Second(now.getEpochSecond(), Instant.ofEpochSecond(now.getEpochSecond()).toString(),
                    Long.toString(now.getEpochSecond()));
            lastSecond = s;
        }
        return s;
    }

    private static String bucketOf(String arn) {
        if (!arn.startsWith("arn:aws:s3:::")) {
            return null;
        }
        String rest = arn.substring("arn:aws:s3:::".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private void log(Instant now, Call call, String principal, String decision, String blocking, String requestId,
            RequestPolicies.Verdict verdict) {
        endpoints.log.add(now, want.service(), route.path(), route.endpoint() == null ? null
                : route.endpoint().id(), VpcId.text(route.source().vpcId()), route.source().resourceId(), principal,
                verdict == null ? call.action() : verdict.action(), verdict == null ? call.resource()
                        : verdict.resource(),
                decision, blocking, requestId, verdict);
    }

    private void answer(int status, String code, String message, HttpRequest req) {
        answer(status, code, message, req, Long.toHexString(REQUEST_IDS.incrementAndGet()).toUpperCase(Locale.ROOT));
    }

    /**
     * Writes the service's error (S3's XML document, DynamoDB's JSON); the connection is closed after it (the
     * request's body is not read).
     */
    private void answer(int status, String code, String message, HttpRequest req, String requestId) {
        refused = true;
        boolean head = req != null && req.method().name().equals("HEAD");
        ByteBuf out = ServiceErrors.render(json, status, code, message, requestId, head);
        client.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        if (upstream != null) {
            upstream.close();
        }
    }

    /** Writes to the upstream, opening it first; reading pauses while it is not writable. */
    private void send(Object msg) {
        if (upstream == null) {
            connect();
        }
        if (!connected) {
            pending.add(msg);
            return;
        }
        upstream.write(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (!upstream.isWritable()) {
            client.config().setAutoRead(false);
        }
    }

    private void connect() {
        URI target = endpoints.settings.upstreams().get(want.service());
        client.config().setAutoRead(false);
        Channel in = client;
        Bootstrap b = new Bootstrap().group(client.eventLoop()).channel(dev.underpass.dataplane.Transport.socket())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.RECVBUF_ALLOCATOR, READS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpRequestEncoder()).addLast(new Back(in));
                    }
                });
        int port = target.getPort() > 0 ? target.getPort() : 80;
        var f = b.connect(target.getHost(), port);
        upstream = f.channel();
        f.addListener(cf -> {
            if (!cf.isSuccess()) {
                LOG.warn("service endpoints: upstream {} refused: {}", target, cf.cause().toString());
                pending.forEach(ReferenceCountUtil::release);
                pending.clear();
                answer(503, "ServiceUnavailable", "The upstream " + target + " cannot be reached.", null);
                return;
            }
            connected = true;
            while (!pending.isEmpty()) {
                upstream.write(pending.poll()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
            upstream.flush();
            if (upstream.isWritable()) {
                in.config().setAutoRead(true);
            }
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // The client drained what the upstream sent: read the upstream again.
        if (client.isWritable() && upstream != null) {
            upstream.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (body != null) {
            body.release();
            body = null;
        }
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        if (upstream != null) {
            upstream.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("service endpoints: connection failed", cause);
        ctx.close();
    }

    /** The upstream's answers, relayed to the client as bytes. */
    private final class Back extends ChannelInboundHandlerAdapter {
        private final Channel in;

        Back(Channel in) {
            this.in = in;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            in.write(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            if (!in.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            in.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // The upstream drained what the client sent: read the client again.
            if (ctx.channel().isWritable()) {
                in.config().setAutoRead(true);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (in.isActive()) {
                in.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    static void reset(Channel ch) {
        try {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException ignored) {
            // Already closed: nothing to reset.
        }
        ch.close();
    }
}
