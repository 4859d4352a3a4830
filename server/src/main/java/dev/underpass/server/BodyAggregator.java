package dev.underpass.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpContentException;

/**
 * Netty's aggregator, except that a body over the limit is not answered here with a bare {@code 413} and no body:
 * it goes on to {@link HttpHandler} as an empty request whose decoder result is a
 * {@link TooLongHttpContentException}, so that it gets the service's error envelope and a request id, in order
 * behind the answers still owed on the connection. An {@code Expect: 100-continue} over the limit goes the same way
 * instead of getting Netty's bare answer.
 */
final class BodyAggregator extends HttpObjectAggregator {
    BodyAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (HttpUtil.is100ContinueExpected(start) && isContentLengthInvalid(start, maxContentLength)) {
            return null;
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (!(oversized instanceof HttpRequest request)) {
            ctx.close();
            return;
        }
        DefaultFullHttpRequest refused = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), Unpooled.EMPTY_BUFFER, request.headers().copy(),
                io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        refused.setDecoderResult(DecoderResult.failure(new TooLongHttpContentException(
                "the body is over " + maxContentLength() + " bytes")));
        ctx.fireChannelRead(refused);
    }
}
