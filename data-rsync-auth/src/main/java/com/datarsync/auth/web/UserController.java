package com.datarsync.auth.web;

import com.datarsync.auth.service.Caller;
import com.datarsync.auth.service.UserAccounts;
import com.datarsync.auth.service.UserAccounts.PageOf;
import com.datarsync.auth.service.UserAccounts.UserRequest;
import com.datarsync.auth.service.UserAccounts.UserView;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Users (user:read to view; user:write to change): every change is audited, passwords never are. */
@RestController
@RequestMapping("/api/auth/users")
public class UserController {

    private final UserAccounts users;
    private final AuditedCalls audited;

    public UserController(UserAccounts users, AuditedCalls audited) {
        this.users = users;
        this.audited = audited;
    }

    public record PasswordReset(String newPassword) {
    }

    @GetMapping
    public PageOf<UserView> list(@RequestParam(required = false) String q,
                                 @RequestParam(defaultValue = "0") int page,
                                 @RequestParam(defaultValue = "50") int size) {
        return users.list(q, page, size);
    }

    @GetMapping("/{id}")
    public UserView get(@PathVariable long id) {
        return users.get(id);
    }

    @PostMapping
    public ResponseEntity<UserView> create(@RequestBody UserRequest request, HttpServletRequest http) {
        UserView created = audited.get(Caller.current(), http, "user.create", "user:" + request.username(),
                summary(request), () -> users.create(Caller.current(), request));
        return ResponseEntity.status(HttpStatus.CREATED).body(created);
    }

    @PutMapping("/{id}")
    public UserView update(@PathVariable long id, @RequestBody UserRequest request, HttpServletRequest http) {
        return audited.get(Caller.current(), http, "user.update", "user:" + id, summary(request),
                () -> users.update(Caller.current(), id, request));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable long id, HttpServletRequest http) {
        audited.run(Caller.current(), http, "user.delete", "user:" + id, Map.of(),
                () -> users.delete(Caller.current(), id));
        return ResponseEntity.noContent().build();
    }

    /** Sets a new password for the user; their sessions end. */
    @PostMapping("/{id}/password")
    public ResponseEntity<Void> resetPassword(@PathVariable long id, @RequestBody PasswordReset reset,
                                              HttpServletRequest http) {
        audited.run(Caller.current(), http, "user.password.reset", "user:" + id, Map.of(),
                () -> users.resetPassword(Caller.current(), id, reset.newPassword()));
        return ResponseEntity.noContent().build();
    }

    /** What changed, without the password. */
    private static Map<String, Object> summary(UserRequest r) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (r.roles() != null) {
            s.put("roles", r.roles());
        }
        if (r.dataSourceIds() != null) {
            s.put("dataSourceIds", r.dataSourceIds());
        }
        if (r.enabled() != null) {
            s.put("enabled", r.enabled());
        }
        if (r.email() != null || r.phone() != null) {
            // Personal data: the log says that they changed, not what they are.
            s.put("contactsChanged", true);
        }
        if (r.displayName() != null) {
            s.put("displayName", r.displayName());
        }
        return s;
    }
}
