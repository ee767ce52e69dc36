package com.datarsync.common.web;

import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.security.InternalCredential;
import com.datarsync.common.security.KeySetFetchThrottle;
import com.datarsync.common.security.RevocationKeys;
import com.datarsync.common.security.RoutePermissions;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.client.loadbalancer.LoadBalancerInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
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
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every servlet service checks each call again behind the gateway (defence in depth):
 * {@code /api/**} wants an access token verified against auth's JWKS (RS256, issuer,
 * audience, type, expiry, revocation) and the permission the shared route table names;
 * {@code /api/**} answers only what came through the gateway ({@link GatewayOnlyFilter});
 * {@code /internal/**} wants the internal credential, which only services hold;
 * {@code /actuator/prometheus} wants the scrape credential; health and info stay open. Auth brings its
 * own chain (it holds the signing key), so this one backs off there.
 */
@org.springframework.boot.autoconfigure.AutoConfiguration(before = {
        org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration.class,
        org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnMissingBean(SecurityFilterChain.class)
public class ServiceSecurityConfiguration {

    public static final String INTERNAL_AUTHORITY = "internal";

    @Bean
    @ConditionalOnMissingBean(JwtDecoder.class)
    JwtDecoder accessTokenDecoder(LoadBalancerClient loadBalancer,
                                  @Value("${datarsync.security.jwks-uri}") String jwksUri,
                                  @Value("${datarsync.security.issuer}") String issuer,
                                  @Value("${datarsync.security.audience}") String audience,
                                  @Value("${" + InternalCredential.PROPERTY + ":}") String internalToken,
                                  ObjectProvider<RevocationCheck> revocations) {
        RestTemplate jwks = new RestTemplate();
        jwks.getInterceptors().add(new LoadBalancerInterceptor(loadBalancer));
        // auth's /api answers the suite itself beside the gateway (GatewayOnlyFilter).
        jwks.getInterceptors().add((request, body, execution) -> {
            request.getHeaders().set(InternalCredential.HEADER, internalToken);
            return execution.execute(request, body);
        });
        // First, so a fetch the throttle answers goes neither to the load balancer nor to auth.
        jwks.getInterceptors().add(0, new ThrottledKeySetFetch(new KeySetFetchThrottle(KeySetFetchThrottle.INTERVAL,
                java.time.Instant::now)));
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwksUri).restOperations(jwks)
                .jwsAlgorithm(SignatureAlgorithm.RS256)
                .jwtProcessorCustomizer(p -> p.setJWSTypeVerifier(
                        new com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier<>(
                                new com.nimbusds.jose.JOSEObjectType(ACCESS_TOKEN_TYPE))))
                .build();
        decoder.setJwtValidator(accessTokenChecks(issuer, audience, jwt -> {
            RevocationCheck check = revocations.getIfAvailable();
            // Without Redis on this service's classpath the gateway's check is the one that holds.
            return check != null && check.revoked(jwt);
        }));
        return decoder;
    }

    /** The {@code typ} header of an access token; verifiers refuse any other. */
    public static final String ACCESS_TOKEN_TYPE = "at+jwt";

    /** Expiry and not-before, issuer, audience, and not revoked: what every verifier of an access token checks. */
    public static OAuth2TokenValidator<Jwt> accessTokenChecks(String issuer, String audience,
                                                             java.util.function.Predicate<Jwt> revoked) {
        OAuth2TokenValidator<Jwt> audienceCheck = jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "audience", null));
        OAuth2TokenValidator<Jwt> notRevoked = jwt -> revoked.test(jwt)
                ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "revoked", null))
                : OAuth2TokenValidatorResult.success();
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer), audienceCheck,
                notRevoked);
    }

    /** Whether auth has revoked a token (logout, password or role change), read from Redis. */
    public interface RevocationCheck {
        boolean revoked(Jwt jwt);
    }

    @Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnClass(name =
            "org.springframework.data.redis.core.StringRedisTemplate")
    static class RedisRevocations {
        @Bean
        RevocationCheck redisRevocationCheck(ObjectProvider<StringRedisTemplate> redis) {
            return jwt -> {
                StringRedisTemplate template = redis.getIfAvailable();
                if (template == null) {
                    return false;
                }
                List<String> values = template.opsForValue().multiGet(RevocationKeys.of(
                        Long.parseLong(jwt.getSubject()), jwt.getId(), jwt.getClaimAsString("sid")));
                return RevocationKeys.revoked(jwt.getClaim("uep"), values);
            };
        }
    }

    @Bean
    SecurityFilterChain serviceSecurity(HttpSecurity http, JwtDecoder decoder, ObjectMapper json,
                                        @Value("${" + InternalCredential.PROPERTY + ":}") String internalToken,
                                        @Value("${" + ScrapeCredentialFilter.PROPERTY + ":}") String metricsToken)
            throws Exception {
        return secure(http, decoder, json, internalToken, metricsToken, "/actuator/**", "/error").build();
    }

    /**
     * The chain every servlet service (and auth, with its own decoder) runs: stateless, /api/**
     * only through the gateway, /actuator/prometheus for the scraper only, the open paths,
     * /internal/** for the internal credential only, the route table for the rest, and 401/403
     * as {@link ApiError} JSON.
     */
    public static HttpSecurity secure(HttpSecurity http, JwtDecoder decoder, ObjectMapper json, String internalToken,
                                      String metricsToken, String... openPaths) throws Exception {
        JwtAuthenticationConverter permissions = new JwtAuthenticationConverter();
        permissions.setJwtGrantedAuthoritiesConverter(jwt -> {
            List<String> codes = jwt.getClaimAsStringList("perm");
            return codes == null ? List.of() : codes.stream().<GrantedAuthority>map(SimpleGrantedAuthority::new).toList();
        });
        org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver bearerTokens =
                new org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver();
        return http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .addFilterBefore(new GatewayOnlyFilter(internalToken, json), BearerTokenAuthenticationFilter.class)
                .addFilterBefore(new InternalCallFilter(internalToken), AnonymousAuthenticationFilter.class)
                .addFilterBefore(new ScrapeCredentialFilter(metricsToken), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        .requestMatchers(ScrapeCredentialFilter.PATH).hasAuthority(ScrapeCredentialFilter.SCRAPE_AUTHORITY)
                        .requestMatchers(openPaths).permitAll()
                        .requestMatchers("/internal/**").hasAuthority(INTERNAL_AUTHORITY)
                        .anyRequest().access(routeTable()))
                .oauth2ResourceServer(o -> o
                        // The scraper's bearer credential is no access token.
                        .bearerTokenResolver(request -> request.getRequestURI().startsWith("/actuator/") ? null
                                : bearerTokens.resolve(request))
                        .jwt(j -> j.decoder(decoder).jwtAuthenticationConverter(permissions))
                        .authenticationEntryPoint((req, res, e) -> answer(json, req, res, ErrorCode.UNAUTHORIZED))
                        .accessDeniedHandler((req, res, e) -> answer(json, req, res, ErrorCode.FORBIDDEN)))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> answer(json, req, res, ErrorCode.UNAUTHORIZED))
                        .accessDeniedHandler((req, res, ex) -> answer(json, req, res, ErrorCode.FORBIDDEN)));
    }

    /** The shared route table: public rows pass; others need a token and the row's permission. */
    public static AuthorizationManager<RequestAuthorizationContext> routeTable() {
        return (authentication, context) -> {
            HttpServletRequest request = context.getRequest();
            String path = request.getRequestURI().substring(request.getContextPath().length());
            var rule = RoutePermissions.ruleFor(HttpMethod.valueOf(request.getMethod()), path);
            if (rule.isPresent() && RoutePermissions.PUBLIC.equals(rule.get().permission())) {
                return new AuthorizationDecision(true);
            }
            Authentication who = authentication.get();
            if (rule.isEmpty() || who == null || !who.isAuthenticated() || who instanceof AnonymousAuthenticationToken) {
                return new AuthorizationDecision(false);
            }
            String needed = rule.get().permission();
            return new AuthorizationDecision(RoutePermissions.AUTHENTICATED.equals(needed)
                    || who.getAuthorities().stream().anyMatch(g -> needed.equals(g.getAuthority())));
        };
    }

    /** A call carrying the internal credential is the suite itself. */
    public static final class InternalCallFilter extends OncePerRequestFilter {
        private final String expected;

        public InternalCallFilter(String expected) {
            this.expected = expected;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (InternalCredential.matches(expected, request.getHeader(InternalCredential.HEADER))) {
                SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        "service", null, List.of(new SimpleGrantedAuthority(INTERNAL_AUTHORITY))));
            }
            chain.doFilter(request, response);
        }
    }

    public static void answer(ObjectMapper json, HttpServletRequest request, HttpServletResponse response,
                              ErrorCode code) throws IOException {
        answer(json, request, response, code, code == ErrorCode.UNAUTHORIZED ? "A valid access token is required" : null);
    }

    /** A refusal as {@link ApiError} JSON with its own message (null: the code's default). */
    public static void answer(ObjectMapper json, HttpServletRequest request, HttpServletResponse response,
                              ErrorCode code, String message) throws IOException {
        response.setStatus(code.httpStatus());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        if (code == ErrorCode.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        json.writeValue(response.getOutputStream(), ApiError.of(code, message, request.getRequestURI(), Map.of()));
    }
}
