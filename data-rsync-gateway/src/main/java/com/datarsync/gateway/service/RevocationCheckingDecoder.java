package com.datarsync.gateway.service;

import com.datarsync.common.security.RevocationKeys;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * A verified token is also checked against auth's revocations in Redis: ended by logout, or
 * issued before the user's password, roles or state last changed. When Redis cannot be asked
 * the request fails closed with 503 (DRS-5030), not 401: the token may be fine, the check is not.
 */
public class RevocationCheckingDecoder implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder verifier;
    private final ReactiveStringRedisTemplate redis;

    public RevocationCheckingDecoder(ReactiveJwtDecoder verifier, ReactiveStringRedisTemplate redis) {
        this.verifier = verifier;
        this.redis = redis;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        return verifier.decode(token).flatMap(jwt -> {
            long userId;
            try {
                userId = Long.parseLong(jwt.getSubject());
            } catch (NumberFormatException | NullPointerException e) {
                return Mono.error(new BadJwtException("subject is not a user id"));
            }
            return redis.opsForValue().multiGet(RevocationKeys.of(userId, jwt.getId(), jwt.getClaimAsString("sid")))
                    .onErrorMap(e -> !(e instanceof BadJwtException),
                            e -> new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                                    "The session store cannot be reached"))
                    .flatMap(values -> RevocationKeys.revoked(jwt.getClaim("uep"), values)
                            ? Mono.error(new BadJwtException("revoked"))
                            : Mono.just(jwt));
        });
    }
}
