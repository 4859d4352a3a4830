package dev.underpass.server;

import dev.underpass.aws.AwsResponse;
import dev.underpass.aws.ec2.Ec2Api;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * Turns a Netty HTTP request into a {@link Router.Request}, and the router's answer back into HTTP, with one access
 * log line per request (action, account, status, milliseconds). A failure to even parse the request still gets an
 * AWS-shaped error with a request id.
 *
 * <p>Reads are answered at once and writes only after their commit, so answers can be ready out of order. HTTP/1.1
 * requires a connection's responses in the order of its requests (a pipelining client relies on it), so each
 * answer waits in {@link #pending} until those before it have gone; the queue is only touched on the channel's
 * event loop.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final Router router;
    private final AccessLog access;
    private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();

    /** A request whose answer has not been written yet. */
    private static final class Pending {
        final String requestId;
        final boolean keepAlive;
        AwsResponse response;

        Pending(String requestId, boolean keepAlive) {
            this.requestId = requestId;
            this.keepAlive = keepAlive;
        }
    }

    HttpHandler(Router router, AccessLog access) {
        this.router = router;
        this.access = access;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest http) {
        long start = System.nanoTime();
        String requestId = requestId();
        boolean keepAlive = HttpUtil.isKeepAlive(http);
        Pending slot = new Pending(requestId, keepAlive);
        pending.add(slot);
        Router.Request request;
        try {
            request = parse(http, requestId);
        } catch (RuntimeException e) {
            AwsResponse error = Ec2Api.error(dev.underpass.model.ErrorCode.MALFORMED_QUERY_STRING
                    .with("The request could not be parsed: " + e.getMessage()), requestId, null);
            answer(ctx, slot, error);
            log(null, "-", error, start);
            return;
        }
        router.route(request).whenComplete((outcome, failure) -> {
            AwsResponse response = failure == null ? outcome.response() : Ec2Api.error(failure, requestId, null);
            if (ctx.executor().inEventLoop()) {
                answer(ctx, slot, response);
            } else {
                ctx.executor().execute(() -> answer(ctx, slot, response));
            }
            log(outcome == null ? null : outcome.action(), outcome == null ? "-" : outcome.account(), response,
                    start);
        });
    }

    /** Records an answer and writes every answer that is now first in line. Runs on the event loop. */
    private void answer(ChannelHandlerContext ctx, Pending slot, AwsResponse response) {
        slot.response = response;
        while (!pending.isEmpty() && pending.peek().response != null) {
            Pending next = pending.poll();
            send(ctx, next.response, next.requestId, next.keepAlive);
            if (!next.keepAlive) {
                pending.clear();
            }
        }
    }

    /**
     * A random (version 4) UUID as AWS request ids are. Request ids need to be unique, not unguessable, so this
     * uses the thread's fast generator rather than {@link UUID#randomUUID()}'s contended SecureRandom.
     */
    static String requestId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    private static Router.Request parse(FullHttpRequest http, String requestId) {
        QueryStringDecoder uri = new QueryStringDecoder(http.uri());
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> h : http.headers()) {
            headers.merge(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue().strip(),
                    (a, b) -> a + "," + b);
        }
        Map<String, String> query = first(uri.parameters());
        Map<String, String> params = new LinkedHashMap<>(query);
        String contentType = headers.getOrDefault("content-type", "");
        if (http.content().isReadable() && (contentType.isEmpty()
                || contentType.startsWith("application/x-www-form-urlencoded"))) {
            String body = http.content().toString(StandardCharsets.UTF_8);
            params.putAll(first(new QueryStringDecoder(body, StandardCharsets.UTF_8, false, 10_000).parameters()));
        }
        byte[] body = new byte[http.content().readableBytes()];
        http.content().getBytes(http.content().readerIndex(), body);
        return new Router.Request(http.method().name(), uri.path(), headers, query, params, requestId,
                uri.rawPath(), uri.rawQuery(), body);
    }

    private static Map<String, String> first(Map<String, List<String>> multi) {
        Map<String, String> out = new LinkedHashMap<>();
        multi.forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
        return out;
    }

    private static void send(ChannelHandlerContext ctx, AwsResponse r, String requestId, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        response.headers().set("x-amzn-RequestId", requestId);
        response.headers().set("Server", "underpass");
        if (keepAlive) {
            HttpUtil.setKeepAlive(response, true);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void log(String action, String account, AwsResponse r, long start) {
        access.log(action, account, r.status(), r.errorCode(), System.nanoTime() - start);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LoggerFactory.getLogger(HttpHandler.class).debug("connection error", cause);
        ctx.close();
    }
}
