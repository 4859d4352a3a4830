package dev.underpass.server;

import dev.underpass.aws.AwsResponse;
import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.aws.elbv2.Elbv2Api;
import dev.underpass.aws.sts.StsApi;
import dev.underpass.aws.wire.FormDecoder;
import dev.underpass.model.AwsException;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.IdSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
    /** The server's request ids when it has a seed; otherwise unused (the thread's generator is faster). */
    private final IdSource requestIds;
    private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();
    /** Set once a request that ends the connection has been read: nothing read after it is run. */
    private boolean closing;
    /** The client has finished sending (half-closed its side): close once every answer owed has been written. */
    private boolean inputShutdown;

    /** How long a refused connection keeps reading (and discarding) after its answer, before it is closed. */
    static final long LINGER_MILLIS = 2_000;

    /** A request whose answer has not been written yet. */
    private static final class Pending {
        final String requestId;
        final boolean keepAlive;
        /** The request could not be read as HTTP: close gently, since the client may still be sending. */
        final boolean refused;
        AwsResponse response;

        Pending(String requestId, boolean keepAlive, boolean refused) {
            this.requestId = requestId;
            this.keepAlive = keepAlive;
            this.refused = refused;
        }
    }

    HttpHandler(Router router, AccessLog access, IdSource requestIds) {
        this.router = router;
        this.access = access;
        this.requestIds = requestIds;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest http) {
        long start = System.nanoTime();
        String requestId = requestId(requestIds);
        if (closing) {
            return;
        }
        if (http.decoderResult().isFailure()) {
            refuse(ctx, http, requestId, start);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(http);
        closing = !keepAlive;
        Pending slot = new Pending(requestId, keepAlive, false);
        pending.add(slot);
        Router.Request request;
        try {
            request = parse(http, requestId, sourceIp(ctx));
        } catch (RuntimeException e) {
            AwsException error = e instanceof AwsException aws ? aws : ErrorCode.MALFORMED_QUERY_STRING
                    .with("The request could not be parsed: " + e.getMessage());
            AwsResponse response = errorResponse(http, error, requestId);
            answer(ctx, slot, response);
            log(null, "-", response, start);
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

    /**
     * Answers a request that HTTP itself could not read (a garbage request line, a bad or repeated
     * {@code Content-Length}, a bad chunk, a line, header block or body over the limits) and closes the
     * connection: nothing of it reaches the router, since what was read of it may not be what the client sent, and
     * nothing after it on the connection can be framed. The status says which: 413 for a body over
     * {@link UnderpassServer#MAX_BODY}, 414 for a request line over the limit, 431 for headers over it, else 400.
     */
    private void refuse(ChannelHandlerContext ctx, FullHttpRequest http, String requestId, long start) {
        closing = true;
        Throwable cause = http.decoderResult().cause();
        AwsException error;
        if (cause instanceof TooLongHttpContentException) {
            error = new AwsException(ErrorCode.REQUEST_ENTITY_TOO_LARGE, "The request body is larger than "
                    + UnderpassServer.MAX_BODY + " bytes.");
        } else if (cause instanceof TooLongHttpLineException) {
            error = new AwsException(ErrorCode.REQUEST_URI_TOO_LONG, "The request line is too long.");
        } else if (cause instanceof TooLongHttpHeaderException) {
            error = new AwsException(ErrorCode.REQUEST_HEADER_FIELDS_TOO_LARGE, "The request headers are too large.");
        } else {
            error = new AwsException(ErrorCode.MALFORMED_HTTP_REQUEST, "The request is not valid HTTP/1.1"
                    + (cause == null || cause.getMessage() == null ? "." : ": " + cause.getMessage()));
        }
        Pending slot = new Pending(requestId, false, true);
        pending.add(slot);
        AwsResponse response = errorResponse(http, error, requestId);
        answer(ctx, slot, response);
        log(null, "-", response, start);
    }

    /**
     * {@code error} in the envelope of the service the request is signed for, as far as its headers tell (the
     * credential scope of its {@code Authorization}); EC2's when they do not.
     */
    private static AwsResponse errorResponse(HttpMessage http, AwsException error, String requestId) {
        String auth = http.headers().get(HttpHeaderNames.AUTHORIZATION);
        String service = "";
        if (auth != null) {
            int credential = auth.indexOf("Credential=");
            if (credential >= 0) {
                String[] scope = auth.substring(credential + "Credential=".length()).split("[/,]", 6);
                service = scope.length > 3 ? scope[3].strip() : "";
            }
        }
        return switch (service) {
            case "elasticloadbalancing" -> Elbv2Api.error(error, requestId, null);
            case "sts" -> StsApi.error(error, requestId, null);
            default -> Ec2Api.error(error, requestId, null);
        };
    }

    /** Records an answer and writes every answer that is now first in line. Runs on the event loop. */
    private void answer(ChannelHandlerContext ctx, Pending slot, AwsResponse response) {
        slot.response = response;
        ChannelFuture last = null;
        while (!pending.isEmpty() && pending.peek().response != null) {
            Pending next = pending.poll();
            last = send(ctx, next);
            if (!next.keepAlive) {
                pending.clear();
            }
        }
        if (inputShutdown && pending.isEmpty() && last != null) {
            last.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * A random (version 4) UUID as AWS request ids are. Request ids need to be unique, not unguessable, so without a
     * seed this uses the thread's fast generator rather than {@link UUID#randomUUID()}'s contended SecureRandom;
     * with a seed they come from the server's seeded stream of request ids.
     */
    static String requestId(IdSource seeded) {
        if (seeded instanceof IdSource.Seeded) {
            return seeded.uuid().toString();
        }
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    /**
     * The router's view of a request. The query string and a form body are decoded by {@link FormDecoder}, all or
     * nothing: a request is never run with parameters dropped or bytes replaced.
     */
    private static Router.Request parse(FullHttpRequest http, String requestId, String sourceIp) {
        QueryStringDecoder uri = new QueryStringDecoder(http.uri());
        Map<String, String> headers = headers(http);
        Map<String, String> query = FormDecoder.decodeQuery(uri.rawQuery());
        Map<String, String> params = new LinkedHashMap<>(query);
        String contentType = headers.getOrDefault("content-type", "");
        byte[] body = new byte[http.content().readableBytes()];
        http.content().getBytes(http.content().readerIndex(), body);
        if (body.length > 0 && (contentType.isEmpty()
                || contentType.startsWith("application/x-www-form-urlencoded"))) {
            params.putAll(FormDecoder.decode(body));
        }
        return new Router.Request(http.method().name(), uri.path(), headers, query, params, requestId,
                uri.rawPath(), uri.rawQuery(), body, sourceIp);
    }

    /** The client's IP address ({@code aws:SourceIp}), or null when the channel has no IP peer. */
    private static String sourceIp(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : null;
    }

    /** Header names lower-case; several values of one name joined with {@code ,} as SigV4 signs them. */
    private static Map<String, String> headers(HttpMessage http) {
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> h : http.headers()) {
            headers.merge(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue().strip(),
                    (a, b) -> a + "," + b);
        }
        return headers;
    }

    /**
     * The body in one pooled direct buffer: the parts are copied once, straight from the encoded fragments they are
     * (the socket needs direct memory; a heap buffer would be copied into one by the transport anyway).
     */
    private static ByteBuf content(ChannelHandlerContext ctx, AwsResponse r) {
        ByteBuf buf = ctx.alloc().directBuffer(r.length());
        for (int i = 0; i < r.parts().length; i++) {
            buf.writeBytes(r.part(i));
        }
        return buf;
    }

    /** Writes one answer; the future of the write, or null when nothing could be written. */
    private static ChannelFuture send(ChannelHandlerContext ctx, Pending p) {
        if (!ctx.channel().isActive()) {
            return null;
        }
        AwsResponse r = p.response;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()), content(ctx, r));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set("x-amzn-RequestId", p.requestId);
        if (r.errorCode() != null && AwsResponse.JSON.equals(r.contentType())) {
            // restJson (RAM): the error's code travels in this header, the body carries only the message.
            response.headers().set("x-amzn-ErrorType", r.errorCode());
        }
        response.headers().set("Server", "underpass");
        HttpUtil.setKeepAlive(response, p.keepAlive);
        if (p.keepAlive) {
            return ctx.writeAndFlush(response);
        }
        if (p.refused) {
            lingeringClose(ctx, response);
            return null;
        }
        return ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Writes the last answer of a connection whose client may still be sending (the rest of a body over the limit,
     * say), then half-closes it and keeps reading for {@link #LINGER_MILLIS} before closing it. Closing a socket
     * with unread input resets it, and a reset can destroy the answer before the client has read it. What arrives
     * meanwhile is discarded by the HTTP decoder, which reads nothing more after a malformed request, and by
     * {@link #channelRead0}, which runs nothing more once {@link #closing}.
     */
    private static void lingeringClose(ChannelHandlerContext ctx, FullHttpResponse response) {
        // The keep-alive handler would close the connection as soon as the answer is written.
        if (ctx.pipeline().get(HttpServerKeepAliveHandler.class) != null) {
            ctx.pipeline().remove(HttpServerKeepAliveHandler.class);
        }
        ctx.writeAndFlush(response).addListener(written -> {
            if (ctx.channel() instanceof SocketChannel socket && written.isSuccess()) {
                socket.shutdownOutput();
                ctx.executor().schedule(() -> {
                    ctx.close();
                }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                ctx.close();
            }
        });
    }

    private void log(String action, String account, AwsResponse r, long start) {
        access.log(action, account, r.status(), r.errorCode(), System.nanoTime() - start);
    }

    /**
     * Closes a connection that has been idle (no request read, no answer written) for the server's idle timeout,
     * unless an answer is still owed on it. A client that half-closes its side after its requests (as
     * {@code nc -N} and scripts that pipe a request in do) still gets every answer owed, then the connection closes;
     * by the time this event arrives the HTTP decoder has passed on what it could read.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            if (pending.isEmpty()) {
                ctx.close();
            }
            return;
        }
        if (event instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            closing = true;
            if (pending.isEmpty()) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LoggerFactory.getLogger(HttpHandler.class).debug("connection error", cause);
        ctx.close();
    }
}
