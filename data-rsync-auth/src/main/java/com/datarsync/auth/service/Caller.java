package com.datarsync.auth.service;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Who is calling, from the verified access token of the request. */
public record Caller(long userId, String username, Set<String> permissions, String sessionId,
                     String tokenId, java.time.Instant tokenExpiresAt) {

    /** The caller of the current request; only reached on routes that require a token. */
    public static Caller current() {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) {
            throw new IllegalStateException("No access token on this request");
        }
        Jwt jwt = token.getToken();
        List<String> perm = jwt.getClaimAsStringList("perm");
        return new Caller(Long.parseLong(jwt.getSubject()), jwt.getClaimAsString("preferred_username"),
                new TreeSet<>(perm == null ? List.of() : perm), jwt.getClaimAsString("sid"), jwt.getId(),
                jwt.getExpiresAt());
    }
}
