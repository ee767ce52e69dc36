package com.datarsync.common.web;

import com.datarsync.common.security.InternalCredential;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /actuator/prometheus} lists sources, task ids and the route map: it answers the scraper,
 * which presents {@code Authorization: Bearer <datarsync.metrics-token>} (Prometheus'
 * {@code authorization.credentials_file}), and nobody else.
 */
public final class ScrapeCredentialFilter extends OncePerRequestFilter {

    public static final String SCRAPE_AUTHORITY = "metrics-scrape";
    public static final String PATH = "/actuator/prometheus";
    /** The property holding the scrape credential (from DATARSYNC_METRICS_TOKEN). */
    public static final String PROPERTY = "datarsync.metrics-token";

    private final String expected;

    public ScrapeCredentialFilter(String expected) {
        this.expected = expected;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !PATH.equals(request.getRequestURI().substring(request.getContextPath().length()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader("Authorization");
        if (presented != null && presented.regionMatches(true, 0, "Bearer ", 0, 7)
                && InternalCredential.matches(expected, presented.substring(7).trim())) {
            SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                    "scraper", null, List.of(new SimpleGrantedAuthority(SCRAPE_AUTHORITY))));
        }
        chain.doFilter(request, response);
    }
}
