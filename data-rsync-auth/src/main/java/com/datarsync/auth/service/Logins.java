package com.datarsync.auth.service;

import com.datarsync.auth.domain.UserAccount;
import com.datarsync.auth.infra.UserAccountRepository;
import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Login, refresh and logout; every attempt, good or bad, leaves an audit entry. */
@Service
public class Logins {

    private final UserAccountRepository users;
    private final PasswordEncoder passwords;
    private final LoginThrottle throttle;
    private final SessionStore sessions;
    private final AccessTokenIssuer issuer;
    private final AuditRecorder audit;
    private final Clock clock;
    private final TransactionTemplate transaction;
    /** Compared against when the user does not exist, so both cases take the same time. */
    private final String absentUserHash;

    public Logins(UserAccountRepository users, PasswordEncoder passwords, LoginThrottle throttle,
                  SessionStore sessions, AccessTokenIssuer issuer, AuditRecorder audit, Clock clock,
                  TransactionTemplate transaction) {
        this.transaction = transaction;
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
        this.sessions = sessions;
        this.issuer = issuer;
        this.audit = audit;
        this.clock = clock;
        this.absentUserHash = passwords.encode("no such user " + System.nanoTime());
    }

    /** What a login or refresh answers. Expiries in seconds from now. */
    public record Tokens(String accessToken, String tokenType, long expiresIn, String refreshToken,
                         long refreshExpiresIn) {
    }

    /**
     * Checks the password and opens a session. Not one transaction as a whole: the audit entry
     * of a refused login must be written although the login fails.
     */
    public Tokens login(String username, String password, String address) {
        String name = username == null ? "" : username.trim();
        if (name.isEmpty() || name.length() > 64 || password == null || password.length() > 1024) {
            audit.record(name.length() > 64 ? name.substring(0, 64) : name, "auth.login", "user:" + name, false,
                    address, Map.of("reason", "malformed"));
            throw new DataRsyncException(ErrorCode.UNAUTHORIZED, "The username or password is wrong");
        }
        throttle.admit(name, address);
        Checked checked = transaction.execute(status -> {
            UserAccount user = users.findByUsername(name).orElse(null);
            boolean matches = passwords.matches(password, user == null ? absentUserHash : user.getPasswordHash());
            if (user == null || !matches || !user.isEnabled()) {
                return new Checked(null, null, user != null && matches ? "disabled" : "bad credentials");
            }
            if (passwords.upgradeEncoding(user.getPasswordHash())) {
                user.changePassword(passwords.encode(password), user.getPasswordChangedAt());
            }
            return new Checked(user.getId(), tokens(user, sessions.start(user.getId())), null);
        });
        if (checked.tokens() == null) {
            throttle.failed(name, address);
            audit.record(name, "auth.login", "user:" + name, false, address, Map.of("reason", checked.refusal()));
            throw new DataRsyncException(ErrorCode.UNAUTHORIZED, "The username or password is wrong");
        }
        throttle.succeeded(name, address);
        audit.record(name, "auth.login", "user:" + checked.userId(), true, address, Map.of());
        return checked.tokens();
    }

    private record Checked(Long userId, Tokens tokens, String refusal) {
    }

    public Tokens refresh(String refreshToken, String address) {
        SessionStore.Refresh next;
        try {
            next = sessions.rotate(refreshToken);
        } catch (SessionStore.RefreshReuse reuse) {
            audit.record("user:" + reuse.userId(), "auth.refresh", "user:" + reuse.userId(), false, address,
                    Map.of("reason", "refresh token reused; session revoked"));
            throw reuse;
        }
        Tokens tokens = transaction.execute(status -> {
            UserAccount user = users.findById(next.userId()).orElse(null);
            return user == null || !user.isEnabled() ? null : tokens(user, next);
        });
        if (tokens == null) {
            sessions.end(next.sessionId(), next.userId());
            throw new DataRsyncException(ErrorCode.UNAUTHORIZED, "The session has ended");
        }
        return tokens;
    }

    /** Ends the caller's session and the access token presented. */
    public void logout(Caller caller, String address) {
        sessions.end(caller.sessionId(), caller.userId());
        sessions.deny(caller.tokenId(), caller.tokenExpiresAt());
        audit.record(caller.username(), "auth.logout", "user:" + caller.userId(), true, address, Map.of());
    }

    private Tokens tokens(UserAccount user, SessionStore.Refresh refresh) {
        AccessTokenIssuer.Issued access = issuer.issue(user, refresh.sessionId(), sessions.epoch(user.getId()));
        return new Tokens(access.token(), "Bearer", seconds(access.expiresAt()), refresh.token(),
                seconds(refresh.sessionExpiresAt()));
    }

    private long seconds(java.time.Instant until) {
        return Math.max(0, Duration.between(clock.instant(), until).toSeconds());
    }
}
