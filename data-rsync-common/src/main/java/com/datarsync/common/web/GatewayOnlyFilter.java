package com.datarsync.common.web;

import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.security.InternalCredential;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A service's {@code /api/**} answers only what came through the gateway (its proof header, see
 * {@link InternalCredential#gatewayProof}) or from the suite itself (the internal credential):
 * a call straight to a service's port would skip the gateway's TLS, rate limits and audit. Only
 * {@code GET /api/<service>/service-info} stays open (it names the instance; the stages, which
 * have no public route, are asked for it directly).
 */
public final class GatewayOnlyFilter extends OncePerRequestFilter {

    /** Request attribute set on a request the gateway forwarded: its X-Forwarded-For can be trusted. */
    public static final String VIA_GATEWAY = GatewayOnlyFilter.class.getName() + ".viaGateway";

    private static final Pattern SERVICE_INFO = Pattern.compile("/api/[^/]+/service-info");

    private final String internalToken;
    private final String proof;
    private final ObjectMapper json;

    public GatewayOnlyFilter(String internalToken, ObjectMapper json) {
        this.internalToken = internalToken;
        this.proof = InternalCredential.gatewayProof(internalToken);
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/api/")
                || "GET".equals(request.getMethod()) && SERVICE_INFO.matcher(path).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (proof != null && InternalCredential.matches(proof, request.getHeader(InternalCredential.GATEWAY_HEADER))) {
            request.setAttribute(VIA_GATEWAY, Boolean.TRUE);
            chain.doFilter(request, response);
        } else if (InternalCredential.matches(internalToken, request.getHeader(InternalCredential.HEADER))) {
            chain.doFilter(request, response);
        } else {
            ServiceSecurityConfiguration.answer(json, request, response, ErrorCode.FORBIDDEN,
                    "Calls to the API go through the gateway");
        }
    }
}
