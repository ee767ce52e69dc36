package com.datarsync.gateway.settings;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the gateway checks at the edge.
 *
 * @param jwksUri           auth's public keys; the host is a Nacos service name
 * @param issuer            the {@code iss} tokens must carry
 * @param audience          the {@code aud} tokens must carry
 * @param perAddressPerSecond requests a second one client address may make (Sentinel)
 * @param perUserPerSecond  requests a second one logged-in user may make (Sentinel)
 * @param trustedProxies    CIDR blocks of proxies in front of the gateway whose X-Forwarded-For
 *                          is believed (none by default: the connection's peer is the client)
 */
@ConfigurationProperties("datarsync.gateway")
public record EdgeSettings(
        @DefaultValue("http://data-rsync-auth/api/auth/jwks") String jwksUri,
        @DefaultValue("data-rsync") String issuer,
        @DefaultValue("data-rsync") String audience,
        @DefaultValue("100") int perAddressPerSecond,
        @DefaultValue("50") int perUserPerSecond,
        @DefaultValue List<String> trustedProxies) {
}
