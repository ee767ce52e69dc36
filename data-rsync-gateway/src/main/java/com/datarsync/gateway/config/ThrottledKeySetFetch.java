package com.datarsync.gateway.config;

import com.datarsync.common.security.KeySetFetchThrottle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * The gateway's JWKS client under a {@link KeySetFetchThrottle}: within the interval after a
 * fetch, the key set fetched then answers instead of auth (a token with a made-up key id costs
 * no fetch).
 */
final class ThrottledKeySetFetch implements ExchangeFilterFunction {

    private final KeySetFetchThrottle throttle;

    ThrottledKeySetFetch(KeySetFetchThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        String recent = throttle.recent();
        if (recent != null) {
            return Mono.just(remembered(recent));
        }
        return next.exchange(request).flatMap(response -> {
            if (!response.statusCode().is2xxSuccessful()) {
                return Mono.just(response);
            }
            return response.bodyToMono(String.class).defaultIfEmpty("").map(keySet -> {
                throttle.fetched(keySet);
                return remembered(keySet);
            });
        });
    }

    private static ClientResponse remembered(String keySet) {
        return ClientResponse.create(HttpStatus.OK).header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                .body(keySet).build();
    }
}
