package com.datarsync.common.web;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Which data sources the caller of this request may see and act on, from the verified access
 * token ({@code ds_all}, {@code ds}); the suite's own internal calls see all. Checked on every id
 * in a path, not only on lists: guessing another owner's id must not work.
 */
public record DataPermissions(boolean all, Set<Long> dataSourceIds) {

    private static final DataPermissions NONE = new DataPermissions(false, Set.of());

    public static DataPermissions current() {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        if (who != null && who.getAuthorities().stream()
                .anyMatch(a -> ServiceSecurityConfiguration.INTERNAL_AUTHORITY.equals(a.getAuthority()))) {
            return new DataPermissions(true, Set.of());
        }
        if (!(who instanceof JwtAuthenticationToken token)) {
            return NONE;
        }
        return of(token.getToken());
    }

    public static DataPermissions of(Jwt jwt) {
        if (Boolean.TRUE.equals(jwt.getClaimAsBoolean("ds_all"))) {
            return new DataPermissions(true, Set.of());
        }
        List<?> ids = jwt.getClaim("ds") instanceof List<?> list ? list : List.of();
        Set<Long> out = new TreeSet<>();
        for (Object id : ids) {
            if (id instanceof Number n) {
                out.add(n.longValue());
            }
        }
        return new DataPermissions(false, Set.copyOf(out));
    }

    public boolean covers(long dataSourceId) {
        return all || dataSourceIds.contains(dataSourceId);
    }

    /** 403 unless the caller may act on this data source (whether or not it exists). */
    public void require(long dataSourceId) {
        if (!covers(dataSourceId)) {
            throw new DataRsyncException(ErrorCode.FORBIDDEN, "This data source is not assigned to you",
                    Map.of("dataSourceId", dataSourceId), null);
        }
    }

    /** 403 unless the caller sees every data source (registering one, testing an unsaved one). */
    public void requireAll(String what) {
        if (!all) {
            throw new DataRsyncException(ErrorCode.FORBIDDEN, what + " needs a role that sees every data source",
                    Map.of(), null);
        }
    }
}
