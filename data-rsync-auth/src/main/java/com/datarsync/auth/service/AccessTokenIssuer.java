package com.datarsync.auth.service;

import com.datarsync.auth.settings.AuthSettings;
import com.datarsync.auth.domain.UserAccount;
import com.datarsync.auth.infra.TokenSigningKey;
import io.jsonwebtoken.Jwts;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Signs access tokens (RFC 9068 shape, RS256). The claims are what the gateway and services
 * decide on without calling auth: the user, the permission codes, the data scope, the session
 * ({@code sid}, so logout can end it) and the user's revocation epoch ({@code uep}: a password
 * change or a role change moves it and every older token stops working at once).
 */
@Component
public class AccessTokenIssuer {

    /** The {@code typ} header of an access token; verifiers refuse any other. */
    public static final String TYPE = com.datarsync.common.web.ServiceSecurityConfiguration.ACCESS_TOKEN_TYPE;
    public static final String AUDIENCE = "data-rsync";

    private final TokenSigningKey key;
    private final AuthSettings settings;
    private final Clock clock;

    public AccessTokenIssuer(TokenSigningKey key, AuthSettings settings, Clock clock) {
        this.key = key;
        this.settings = settings;
        this.clock = clock;
    }

    public Issued issue(UserAccount user, String sessionId, long epoch) {
        Instant now = clock.instant();
        Instant expires = now.plus(settings.accessTokenTtl());
        String id = UUID.randomUUID().toString();
        boolean allData = user.seesAllData();
        String token = Jwts.builder()
                .header().keyId(key.keyId()).type(TYPE).and()
                .issuer(settings.issuer())
                .subject(Long.toString(user.getId()))
                .audience().add(AUDIENCE).and()
                .id(id)
                .issuedAt(Date.from(now))
                .notBefore(Date.from(now))
                .expiration(Date.from(expires))
                .claim("preferred_username", user.getUsername())
                .claim("perm", List.copyOf(user.permissions()))
                .claim("ds_all", allData)
                .claim("ds", allData ? List.of() : List.copyOf(user.getDataSourceIds()))
                .claim("sid", sessionId)
                .claim("uep", epoch)
                .signWith(key.privateKey(), Jwts.SIG.RS256)
                .compact();
        return new Issued(token, id, expires);
    }

    public record Issued(String token, String id, Instant expiresAt) {
    }
}
