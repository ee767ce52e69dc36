package com.datarsync.auth.config;

import com.datarsync.auth.settings.AuthSettings;

import com.datarsync.auth.infra.TokenSigningKey;
import com.datarsync.auth.service.AccessTokenIssuer;
import com.datarsync.auth.service.SessionStore;
import com.datarsync.common.web.ServiceSecurityConfiguration;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.StringUtils;

/**
 * Auth checks its own routes on the access tokens it issues, with the route table every service
 * and the gateway share ({@link RoutePermissions}). Stateless: no HTTP session, no cookie, so no
 * CSRF surface; the token travels in the {@code Authorization} header only.
 */
@Configuration
@EnableConfigurationProperties(AuthSettings.class)
public class SecurityConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Argon2id (16 MiB, 2 passes): memory-hard, the OWASP first choice for password storage. */
    @Bean
    org.springframework.security.crypto.password.PasswordEncoder passwordEncoder() {
        return org.springframework.security.crypto.argon2.Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    }

    @Bean
    TokenSigningKey tokenSigningKey(AuthSettings settings) {
        if (!StringUtils.hasText(settings.signingKeyFile())) {
            throw new IllegalStateException("datarsync.auth.signing-key-file (DATARSYNC_JWT_SIGNING_KEY_FILE) is not set");
        }
        return TokenSigningKey.fromPemFile(Path.of(settings.signingKeyFile()));
    }

    /**
     * RS256 only (an {@code alg: none} or HMAC token fails), our issuer and audience, the access
     * token type, and not revoked (logout, or an older revocation epoch of the user).
     */
    @Bean
    JwtDecoder jwtDecoder(TokenSigningKey key, AuthSettings settings, SessionStore sessions) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(key.publicKey())
                .signatureAlgorithm(SignatureAlgorithm.RS256)
                .jwtProcessorCustomizer(p -> p.setJWSTypeVerifier(
                        new com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier<>(
                                new com.nimbusds.jose.JOSEObjectType(AccessTokenIssuer.TYPE))))
                .build();
        decoder.setJwtValidator(ServiceSecurityConfiguration.accessTokenChecks(settings.issuer(),
                AccessTokenIssuer.AUDIENCE, jwt -> {
                    Number epoch = jwt.getClaim("uep");
                    String sid = jwt.getClaimAsString("sid");
                    return epoch == null || epoch.longValue() != sessions.epoch(Long.parseLong(jwt.getSubject()))
                            || sessions.denied(jwt.getId()) || sid == null || sessions.sessionUser(sid) == null;
                }));
        return decoder;
    }

    /** Only in the running web application (not in tests of the service layer without a server). */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication(
            type = org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain api(HttpSecurity http, JwtDecoder decoder, ObjectMapper json,
                            @org.springframework.beans.factory.annotation.Value("${"
                                    + com.datarsync.common.security.InternalCredential.PROPERTY + ":}")
                            String internalToken,
                            @org.springframework.beans.factory.annotation.Value("${"
                                    + com.datarsync.common.web.ScrapeCredentialFilter.PROPERTY + ":}")
                            String metricsToken) throws Exception {
        // The gateway appends its audit entries through /internal/audit, with the suite's credential.
        ServiceSecurityConfiguration.secure(http, decoder, json, internalToken, metricsToken,
                "/actuator/health/**", "/actuator/info", "/error");
        return http.build();
    }
}
