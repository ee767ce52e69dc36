package com.datarsync.gateway.config;

import com.datarsync.gateway.settings.EdgeSettings;

import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.security.KeySetFetchThrottle;
import com.datarsync.common.security.RoutePermissions;
import com.datarsync.common.web.ApiError;
import com.datarsync.gateway.service.RevocationCheckingDecoder;
import com.datarsync.gateway.web.GatewayAuditFilter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerExchangeFilterFunction;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The gateway checks every request: a valid access token (RS256 under auth's published keys,
 * our issuer and audience, type {@code at+jwt}, not expired, not revoked) and the permission
 * the route table names for the route. No token or a bad one: 401; a good token without the
 * permission: 403. The token goes on to the service, which checks it again.
 */
@Configuration
@EnableWebFluxSecurity
@EnableConfigurationProperties(EdgeSettings.class)
public class EdgeSecurityConfiguration {

    /** Reads auth's JWKS through Nacos discovery (any auth instance), cached by the decoder. */
    @Bean
    ReactiveJwtDecoder accessTokenDecoder(ReactorLoadBalancerExchangeFilterFunction loadBalancer,
                                          EdgeSettings settings, ReactiveStringRedisTemplate redis,
                                          @org.springframework.beans.factory.annotation.Value("${"
                                                  + com.datarsync.common.security.InternalCredential.PROPERTY + ":}")
                                          String internalToken) {
        // auth's /api answers the suite itself beside forwarded requests (GatewayOnlyFilter).
        // The throttle first, so a fetch it answers goes neither to the load balancer nor to auth.
        WebClient jwksClient = WebClient.builder().filter(new ThrottledKeySetFetch(new KeySetFetchThrottle(
                        KeySetFetchThrottle.INTERVAL, java.time.Instant::now))).filter(loadBalancer)
                .defaultHeader(com.datarsync.common.security.InternalCredential.HEADER, internalToken).build();
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(settings.jwksUri())
                .webClient(jwksClient)
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .jwtProcessorCustomizer(p -> p.setJWSTypeVerifier(
                        new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"))))
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(settings.issuer()),
                jwt -> jwt.getAudience() != null && jwt.getAudience().contains(settings.audience())
                        ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "audience", null))));
        return new RevocationCheckingDecoder(decoder, redis);
    }

    @Bean
    SecurityWebFilterChain edge(ServerHttpSecurity http, ReactiveJwtDecoder decoder, ObjectMapper json,
                                ReactorLoadBalancerExchangeFilterFunction loadBalancer,
                                @org.springframework.beans.factory.annotation.Value("${"
                                        + com.datarsync.common.security.InternalCredential.PROPERTY + ":}")
                                String internalToken) {
        // First in the chain, so refused requests are audited as well.
        http.addFilterAt(new GatewayAuditFilter(WebClient.builder().filter(loadBalancer).build(), internalToken, json),
                org.springframework.security.config.web.server.SecurityWebFiltersOrder.FIRST);
        org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter
                bearerTokens = new org.springframework.security.oauth2.server.resource.web.server.authentication
                        .ServerBearerTokenAuthenticationConverter();
        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(c -> c.disable())
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .headers(h -> h
                        .contentSecurityPolicy(c -> c.policyDirectives("default-src 'self'; frame-ancestors 'none'; "
                                + "object-src 'none'; base-uri 'self'; form-action 'self'"))
                        .frameOptions(f -> f.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.NO_REFERRER))
                        .hsts(s -> s.maxAge(Duration.ofDays(365)).includeSubdomains(true)))
                .authorizeExchange(a -> a
                        .pathMatchers("/actuator/health/**", "/actuator/prometheus", "/actuator/info").permitAll()
                        .anyExchange().access(routeTable()))
                .oauth2ResourceServer(o -> o
                        // Prometheus' scrape credential on the management port is no access token.
                        .bearerTokenConverter(exchange -> exchange.getRequest().getPath().value().startsWith("/actuator/")
                                ? Mono.empty() : bearerTokens.convert(exchange))
                        .jwt(j -> j.jwtDecoder(decoder).jwtAuthenticationConverter(EdgeSecurityConfiguration::withPermissions))
                        .authenticationEntryPoint((exchange, e) -> answer(json, exchange, ErrorCode.UNAUTHORIZED))
                        .accessDeniedHandler((exchange, e) -> answer(json, exchange, ErrorCode.FORBIDDEN)))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((exchange, ex) -> answer(json, exchange, ErrorCode.UNAUTHORIZED))
                        .accessDeniedHandler((exchange, ex) -> answer(json, exchange, ErrorCode.FORBIDDEN)));
        return http.build();
    }

    /**
     * Public rows pass; others need a token, and the row's permission unless the row asks only for
     * a login. A path no row names answers 401 without a token and 404 with one.
     */
    private static ReactiveAuthorizationManager<AuthorizationContext> routeTable() {
        return (authentication, context) -> {
            var request = context.getExchange().getRequest();
            var rule = RoutePermissions.ruleFor(request.getMethod(), request.getPath().pathWithinApplication().value());
            if (rule.isPresent() && RoutePermissions.PUBLIC.equals(rule.get().permission())) {
                return Mono.just(new AuthorizationDecision(true));
            }
            return authentication
                    .filter(Authentication::isAuthenticated)
                    .flatMap(who -> rule.isEmpty()
                            // A logged-in caller asking for a path no row names: there is nothing there.
                            ? Mono.<AuthorizationDecision>error(new ResponseStatusException(HttpStatus.NOT_FOUND))
                            : Mono.just(new AuthorizationDecision(
                                    RoutePermissions.AUTHENTICATED.equals(rule.get().permission())
                                    || who.getAuthorities().stream()
                                    .anyMatch(g -> rule.get().permission().equals(g.getAuthority())))))
                    .defaultIfEmpty(new AuthorizationDecision(false));
        };
    }

    private static Mono<AbstractAuthenticationToken> withPermissions(Jwt jwt) {
        List<String> codes = jwt.getClaimAsStringList("perm");
        List<GrantedAuthority> authorities = codes == null ? List.of()
                : codes.stream().<GrantedAuthority>map(SimpleGrantedAuthority::new).toList();
        return Mono.just(new JwtAuthenticationToken(jwt, authorities, jwt.getSubject()));
    }

    static Mono<Void> answer(ObjectMapper json, ServerWebExchange exchange, ErrorCode code) {
        var response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        response.setStatusCode(HttpStatus.valueOf(code.httpStatus()));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        if (code == ErrorCode.UNAUTHORIZED) {
            response.getHeaders().set("WWW-Authenticate", "Bearer");
        }
        String message = code == ErrorCode.UNAUTHORIZED ? "A valid access token is required" : null;
        ApiError body = ApiError.of(code, message, exchange.getRequest().getPath().value(), Map.of());
        return response.writeWith(Mono.fromCallable(() -> response.bufferFactory().wrap(json.writeValueAsBytes(body))));
    }
}
