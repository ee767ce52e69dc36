package com.datarsync.common.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * HTTP calls to URLs a user typed (alert channels, embedding endpoints), under an
 * {@link OutboundAddressPolicy}. The policy is applied in the connection's own pipeline to the
 * address it is about to connect to, after the name was resolved for this very connection: a
 * name that resolved to a public address at save time and to a loopback one now (DNS rebinding)
 * is refused, and so is an IP literal. Redirects are not followed (a 3xx is an answer like any
 * other), so a public endpoint cannot bounce the call inward either.
 */
public final class OutboundHttp {

    /** An answer: status, body as text, headers by lower-case name. */
    public record Response(int status, String body, Map<String, String> headers) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    public OutboundHttp(OutboundAddressPolicy policy, Duration connectTimeout, Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .responseTimeout(timeout)
                .followRedirect(false)
                .doOnChannelInit((observer, channel, remote) -> channel.pipeline()
                        .addFirst("datarsync-outbound-policy", new PolicyCheck(policy)));
    }

    public Response post(URI uri, Map<String, String> headers, String body) throws IOException {
        return call(client.headers(h -> headers.forEach(h::set)).post().uri(uri)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8))))
                .responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> response(response, text))));
    }

    public Response get(URI uri, Map<String, String> headers) throws IOException {
        return call(client.headers(h -> headers.forEach(h::set)).get().uri(uri)
                .responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> response(response, text))));
    }

    private Response call(Mono<Response> exchange) throws IOException {
        try {
            // The response timeout bounds each read; the block's bound only catches a stuck connect + send.
            return exchange.block(timeout.plusSeconds(30));
        } catch (RuntimeException e) {
            Throwable cause = Exceptions.unwrap(e);
            if (cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the answer");
            }
            if (cause instanceof ReadTimeoutException) {
                throw new HttpTimeoutException("no answer within " + timeout.toMillis() + " ms");
            }
            if (cause instanceof IllegalStateException && cause.getMessage() != null
                    && cause.getMessage().startsWith("Timeout on blocking read")) {
                throw new HttpTimeoutException("no answer within " + timeout.toMillis() + " ms");
            }
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(),
                    cause);
        }
    }

    private static Response response(HttpClientResponse response, String body) {
        Map<String, String> headers = new java.util.HashMap<>();
        response.responseHeaders().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        return new Response(response.status().code(), body, Map.copyOf(headers));
    }

    /** Refuses the connect itself when the resolved address is one the policy refuses. */
    private static final class PolicyCheck extends ChannelOutboundHandlerAdapter {

        private final OutboundAddressPolicy policy;

        PolicyCheck(OutboundAddressPolicy policy) {
            this.policy = policy;
        }

        @Override
        public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise)
                throws Exception {
            if (!(remote instanceof InetSocketAddress inet) || inet.isUnresolved()) {
                promise.setFailure(new OutboundAddressRefusedException(String.valueOf(remote),
                        "the address was not resolved before connecting"));
                return;
            }
            try {
                policy.check(inet.getHostString(), inet.getAddress());
            } catch (OutboundAddressRefusedException refused) {
                promise.setFailure(refused);
                ctx.close();
                return;
            }
            super.connect(ctx, remote, local, promise);
        }
    }
}
