package com.datarsync.common.security;

import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The one table of what each public route needs: the gateway checks every request against it,
 * and each service checks again on the identity the gateway passes (defence in depth). The
 * first row that matches decides; a route that no row names is refused (the gateway answers 404
 * to a logged-in caller, 401 to anyone else).
 * Permission codes are the ones of auth's {@code auth_permission} table; the console shows a
 * page or a button only to holders of the code of the route it calls.
 */
public final class RoutePermissions {

    /** Anyone, without a token (login, refresh, the public keys). */
    public static final String PUBLIC = "";
    /** Any logged-in user (their own profile, password, logout). */
    public static final String AUTHENTICATED = "*";

    public record Rule(HttpMethod method, PathPattern pattern, String permission) {

        public boolean matches(HttpMethod requestMethod, String path) {
            return (method == null || method.equals(requestMethod))
                    && pattern.matches(PathContainer.parsePath(path));
        }
    }

    private static final PathPatternParser PARSER = PathPatternParser.defaultInstance;

    private static final List<Rule> RULES = List.of(
            // The web console: its page and its content-hashed files; what it shows comes from the API.
            rule("GET", "/", PUBLIC),
            rule("GET", "/index.html", PUBLIC),
            rule("GET", "/assets/**", PUBLIC),
            rule("POST", "/api/auth/login", PUBLIC),
            rule("POST", "/api/auth/refresh", PUBLIC),
            rule("GET", "/api/auth/jwks", PUBLIC),
            rule("GET", "/api/*/service-info", PUBLIC),
            rule("GET", "/api/*/openapi.json", AUTHENTICATED),
            rule("POST", "/api/auth/logout", AUTHENTICATED),
            rule("GET", "/api/auth/me", AUTHENTICATED),
            rule("PUT", "/api/auth/me/password", AUTHENTICATED),
            rule("GET", "/api/auth/users/**", "user:read"),
            rule(null, "/api/auth/users/**", "user:write"),
            rule("GET", "/api/auth/roles/**", "user:read"),
            rule("GET", "/api/auth/permissions", "user:read"),
            rule(null, "/api/auth/roles/**", "role:write"),
            rule("GET", "/api/auth/audit/**", "audit:read"),

            rule("GET", "/api/datasources/**", "datasource:read"),
            rule(null, "/api/datasources/**", "datasource:write"),

            rule("GET", "/api/tasks/**", "task:read"),
            rule("POST", "/api/tasks", "task:write"),
            rule("PUT", "/api/tasks/*", "task:write"),
            rule("DELETE", "/api/tasks/*", "task:write"),
            // Checks a definition before it is saved: the wizard's last step, as creating it would.
            rule("POST", "/api/tasks/validate", "task:write"),
            // A semantic search of a task's collection: a read, with the query in the body.
            rule("POST", "/api/tasks/*/search", "task:read"),
            // start, stop, pause, resume, restart, full sync, verification, repair, dead letters
            rule(null, "/api/tasks/*/**", "task:operate"),

            rule("GET", "/api/monitor/**", "monitor:read"),
            rule(null, "/api/monitor/**", "alert:write"));

    private RoutePermissions() {
    }

    /** The rule for a request, or empty when no row names it (refuse it). */
    public static Optional<Rule> ruleFor(HttpMethod method, String path) {
        return RULES.stream().filter(r -> r.matches(method, path)).findFirst();
    }

    /** Every row, in the order they are tried. */
    public static List<Rule> rules() {
        return RULES;
    }

    private static Rule rule(String method, String pattern, String permission) {
        return new Rule(method == null ? null : HttpMethod.valueOf(method), PARSER.parse(pattern), permission);
    }
}
