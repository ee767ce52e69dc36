package com.datarsync.auth.web;

import com.datarsync.auth.infra.TokenSigningKey;
import com.datarsync.auth.service.Caller;
import com.datarsync.auth.service.Logins;
import com.datarsync.auth.service.UserAccounts;
import com.datarsync.auth.service.UserAccounts.UserView;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Login, token refresh, logout, the public keys, and the caller's own account. */
@RestController
@RequestMapping("/api/auth")
public class AuthController {

    private final Logins logins;
    private final UserAccounts users;
    private final TokenSigningKey key;
    private final AuditedCalls audited;

    public AuthController(Logins logins, UserAccounts users, TokenSigningKey key, AuditedCalls audited) {
        this.logins = logins;
        this.users = users;
        this.key = key;
        this.audited = audited;
    }

    public record LoginRequest(String username, String password) {
    }

    public record RefreshRequest(String refreshToken) {
    }

    public record PasswordChange(String currentPassword, String newPassword) {
    }

    @PostMapping("/login")
    public ResponseEntity<Logins.Tokens> login(@RequestBody LoginRequest request, HttpServletRequest http) {
        return noStore(logins.login(request.username(), request.password(), ClientAddress.of(http)));
    }

    @PostMapping("/refresh")
    public ResponseEntity<Logins.Tokens> refresh(@RequestBody RefreshRequest request, HttpServletRequest http) {
        return noStore(logins.refresh(request.refreshToken(), ClientAddress.of(http)));
    }

    @PostMapping("/logout")
    public ResponseEntity<Void> logout(HttpServletRequest http) {
        logins.logout(Caller.current(), ClientAddress.of(http));
        return ResponseEntity.noContent().build();
    }

    /** The public half of the signing key (RFC 7517), for the gateway and services. */
    @GetMapping("/jwks")
    public ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5))).body(key.jwks());
    }

    @GetMapping("/me")
    public UserView me() {
        return users.get(Caller.current().userId());
    }

    /** Every session of the caller ends, this one included: log in again with the new password. */
    @PutMapping("/me/password")
    public ResponseEntity<Void> changePassword(@RequestBody PasswordChange change, HttpServletRequest http) {
        Caller caller = Caller.current();
        audited.run(caller, http, "user.password.change", "user:" + caller.userId(), Map.of(),
                () -> users.changeOwnPassword(caller, change.currentPassword(), change.newPassword()));
        return ResponseEntity.noContent().build();
    }

    private static <T> ResponseEntity<T> noStore(T body) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
    }
}
