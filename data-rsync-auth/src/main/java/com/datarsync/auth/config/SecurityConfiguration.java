package com.datarsync.auth.config;

import static com.datarsync.common.web.ServiceSecurityConfiguration.answer;

import com.datarsync.auth.infra.TokenSigningKey;
import com.datarsync.auth.service.AccessTokenIssuer;
import com.datarsync.auth.service.SessionStore;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.web.ServiceSecurityConfiguration;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
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
        OAuth2TokenValidator<Jwt> notRevoked = jwt -> {
            long userId = Long.parseLong(jwt.getSubject());
            Number epoch = jwt.getClaim("uep");
            boolean revoked = epoch == null || epoch.longValue() != sessions.epoch(userId)
                    || sessions.denied(jwt.getId());
            return revoked ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "revoked", null))
                    : OAuth2TokenValidatorResult.success();
        };
        OAuth2TokenValidator<Jwt> audience = jwt -> jwt.getAudience() != null
                && jwt.getAudience().contains(AccessTokenIssuer.AUDIENCE) ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "audience", null));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(settings.issuer()), audience, notRevoked));
        return decoder;
    }

    /** Only in the running web application (not in tests of the service layer without a server). */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication(
            type = org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain api(HttpSecurity http, JwtDecoder decoder, ObjectMapper json,
                            @org.springframework.beans.factory.annotation.Value("${"
                                    + com.datarsync.common.security.InternalCredential.PROPERTY + ":}")
                            String internalToken) throws Exception {
        JwtAuthenticationConverter permissions = new JwtAuthenticationConverter();
        permissions.setJwtGrantedAuthoritiesConverter(SecurityConfiguration::permissionsOf);
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                // The gateway appends its audit entries through /internal/audit, with the suite's credential.
                .addFilterBefore(new ServiceSecurityConfiguration.InternalCallFilter(internalToken),
                        org.springframework.security.web.authentication.AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health/**", "/actuator/prometheus", "/actuator/info", "/error")
                        .permitAll()
                        .requestMatchers("/internal/**").hasAuthority(ServiceSecurityConfiguration.INTERNAL_AUTHORITY)
                        .anyRequest().access(ServiceSecurityConfiguration.routeTable()))
                .oauth2ResourceServer(o -> o
                        .jwt(j -> j.decoder(decoder).jwtAuthenticationConverter(permissions))
                        .authenticationEntryPoint((req, res, e) -> answer(json, req, res, ErrorCode.UNAUTHORIZED))
                        .accessDeniedHandler((req, res, e) -> answer(json, req, res, ErrorCode.FORBIDDEN)))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> answer(json, req, res, ErrorCode.UNAUTHORIZED))
                        .accessDeniedHandler((req, res, ex) -> answer(json, req, res, ErrorCode.FORBIDDEN)));
        return http.build();
    }

    private static Collection<GrantedAuthority> permissionsOf(Jwt jwt) {
        List<String> codes = jwt.getClaimAsStringList("perm");
        return codes == null ? List.of() : codes.stream().<GrantedAuthority>map(SimpleGrantedAuthority::new).toList();
    }

}
