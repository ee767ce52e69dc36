package com.datarsync.auth.service;

import com.datarsync.auth.domain.DataScope;
import com.datarsync.auth.domain.Role;
import com.datarsync.auth.domain.UserAccount;
import com.datarsync.auth.infra.RoleRepository;
import com.datarsync.auth.infra.UserAccountRepository;
import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Users: create, change, disable, delete, reset and change passwords. Nobody grants more than
 * they hold: a caller may only give (or manage a user who has) roles whose permissions and data
 * scope are within their own, so an administrator cannot make a super administrator. The last
 * enabled super administrator cannot be disabled, demoted or deleted.
 */
@Service
public class UserAccounts {

    public static final String SUPER_ADMIN = "SUPER_ADMIN";
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{2,63}");
    /** One address, no display name: what an alert e-mail's To can carry. */
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    /** What an SMS gateway takes: digits, an optional leading +. */
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{5,20}");

    private final UserAccountRepository users;
    private final RoleRepository roles;
    private final PasswordEncoder passwords;
    private final SessionStore sessions;
    private final Clock clock;

    public UserAccounts(UserAccountRepository users, RoleRepository roles, PasswordEncoder passwords,
                        SessionStore sessions, Clock clock) {
        this.users = users;
        this.roles = roles;
        this.passwords = passwords;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** {@code email} and {@code phone}: where alerts to the user's roles reach them; "" clears one. */
    public record UserRequest(String username, String password, String displayName, List<String> roles,
                              List<Long> dataSourceIds, Boolean enabled, String email, String phone) {
    }

    public record UserView(long id, String username, String displayName, boolean enabled, List<String> roles,
                           List<String> permissions, boolean allDataSources, List<Long> dataSourceIds,
                           String email, String phone, Instant createdAt, Instant updatedAt, Instant passwordChangedAt) {

        static UserView of(UserAccount u) {
            return new UserView(u.getId(), u.getUsername(), u.getDisplayName(), u.isEnabled(),
                    u.getRoles().stream().map(Role::getCode).sorted().toList(), List.copyOf(u.permissions()),
                    u.seesAllData(), List.copyOf(u.getDataSourceIds()), u.getEmail(), u.getPhone(), u.getCreatedAt(),
                    u.getUpdatedAt(), u.getPasswordChangedAt());
        }
    }

    /** A user alerts to a role reach: at least one of e-mail and phone. */
    public record Contact(String username, String email, String phone) {
    }

    /** The enabled users holding the role who gave an e-mail address or a phone number. */
    @Transactional(readOnly = true)
    public List<Contact> contactsOf(String roleCode) {
        if (roles.findByCodeIn(Set.of(roleCode)).isEmpty()) {
            throw new DataRsyncException(ErrorCode.NOT_FOUND, "No such role", Map.of("role", roleCode), null);
        }
        return users.findEnabledWithRole(roleCode).stream()
                .filter(u -> u.getEmail() != null || u.getPhone() != null)
                .map(u -> new Contact(u.getUsername(), u.getEmail(), u.getPhone()))
                .toList();
    }

    public record PageOf<T>(List<T> items, long total, int page, int size) {
    }

    @Transactional(readOnly = true)
    public PageOf<UserView> list(String text, int page, int size) {
        com.datarsync.common.web.Paging.Page p = com.datarsync.common.web.Paging.of(page, size, 200);
        Page<UserAccount> found = users.findByUsernameContainingIgnoreCase(text == null ? "" : text,
                PageRequest.of(p.page(), p.size(), Sort.by("username")));
        return new PageOf<>(found.map(UserView::of).toList(), found.getTotalElements(), found.getNumber(),
                found.getSize());
    }

    @Transactional(readOnly = true)
    public UserView get(long id) {
        return UserView.of(find(id));
    }

    @Transactional
    public UserView create(Caller caller, UserRequest request) {
        Map<String, Object> wrong = new LinkedHashMap<>();
        String username = request.username() == null ? "" : request.username().trim();
        if (!USERNAME.matcher(username).matches()) {
            wrong.put("username", "3 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        checkPassword(username, request.password(), wrong);
        Set<Role> granted = rolesNamed(request.roles(), wrong);
        String email = contact("email", request.email(), EMAIL, null, wrong);
        String phone = contact("phone", request.phone(), PHONE, null, wrong);
        refuseIfWrong(wrong);
        UserAccount actor = find(caller.userId());
        requireWithin(actor, granted);
        if (users.findByUsername(username).isPresent()) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "A user with this name exists",
                    Map.of("username", username), null);
        }
        Instant now = clock.instant();
        UserAccount user = new UserAccount(username, passwords.encode(request.password()), now);
        user.change(blankToNull(request.displayName()), granted, ids(request.dataSourceIds()),
                request.enabled() == null || request.enabled(), now);
        user.changeContacts(email, phone, now);
        return UserView.of(users.saveAndFlush(user));
    }

    /** Changes display name, roles, data sources and enabled; the username and password stay. */
    @Transactional
    public UserView update(Caller caller, long id, UserRequest request) {
        Map<String, Object> wrong = new LinkedHashMap<>();
        UserAccount user = find(id);
        Set<Role> granted = request.roles() == null ? user.getRoles() : rolesNamed(request.roles(), wrong);
        String email = contact("email", request.email(), EMAIL, user.getEmail(), wrong);
        String phone = contact("phone", request.phone(), PHONE, user.getPhone(), wrong);
        refuseIfWrong(wrong);
        UserAccount actor = find(caller.userId());
        requireWithin(actor, user.getRoles());
        requireWithin(actor, granted);
        boolean enabled = request.enabled() == null ? user.isEnabled() : request.enabled();
        Set<Long> dataSources = request.dataSourceIds() == null ? user.getDataSourceIds() : ids(request.dataSourceIds());
        boolean accessChanges = enabled != user.isEnabled() || !granted.equals(user.getRoles())
                || !dataSources.equals(user.getDataSourceIds());
        if (accessChanges && caller.userId() == id) {
            // Nobody widens, narrows or disables their own access: another administrator does.
            throw new DataRsyncException(ErrorCode.CONFLICT, "You cannot change your own roles, data sources or "
                    + "enabled state; another administrator can");
        }
        boolean staysSuper = enabled && granted.stream().anyMatch(r -> SUPER_ADMIN.equals(r.getCode()));
        requireAnotherSuperAdmin(user, staysSuper);
        boolean wasEnabled = user.isEnabled();
        user.change(request.displayName() == null ? user.getDisplayName() : blankToNull(request.displayName()),
                granted, dataSources, enabled, clock.instant());
        user.changeContacts(email, phone, clock.instant());
        users.saveAndFlush(user);
        if (wasEnabled && !enabled) {
            sessions.endAll(id);
        } else if (accessChanges) {
            // New permissions or data sources: old access tokens stop, a refresh picks the change up.
            sessions.expireAccessTokens(id);
        }
        return UserView.of(user);
    }

    @Transactional
    public void delete(Caller caller, long id) {
        if (caller.userId() == id) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "You cannot delete yourself");
        }
        UserAccount user = find(id);
        requireWithin(find(caller.userId()), user.getRoles());
        requireAnotherSuperAdmin(user, false);
        users.delete(user);
        users.flush();
        sessions.endAll(id);
    }

    /** An administrator sets a new password; every session of the user ends. */
    @Transactional
    public void resetPassword(Caller caller, long id, String newPassword) {
        if (caller.userId() == id) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Change your own password at PUT /api/auth/me/password, "
                    + "which asks for the current one");
        }
        UserAccount user = find(id);
        requireWithin(find(caller.userId()), user.getRoles());
        Map<String, Object> wrong = new LinkedHashMap<>();
        checkPassword(user.getUsername(), newPassword, wrong);
        refuseIfWrong(wrong);
        user.changePassword(passwords.encode(newPassword), clock.instant());
        users.saveAndFlush(user);
        sessions.endAll(id);
    }

    /** The user changes their own password, proving the current one; every session ends. */
    @Transactional
    public void changeOwnPassword(Caller caller, String currentPassword, String newPassword) {
        UserAccount user = find(caller.userId());
        if (currentPassword == null || !passwords.matches(currentPassword, user.getPasswordHash())) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "The current password is wrong",
                    Map.of("fields", Map.of("currentPassword", "does not match")), null);
        }
        Map<String, Object> wrong = new LinkedHashMap<>();
        checkPassword(user.getUsername(), newPassword, wrong);
        if (wrong.isEmpty() && passwords.matches(newPassword, user.getPasswordHash())) {
            wrong.put("newPassword", "must differ from the current password");
        }
        refuseIfWrong(wrong);
        user.changePassword(passwords.encode(newPassword), clock.instant());
        users.saveAndFlush(user);
        sessions.endAll(user.getId());
    }

    UserAccount find(long id) {
        return users.findById(id).orElseThrow(() -> new DataRsyncException(ErrorCode.NOT_FOUND, "No such user",
                Map.of("id", id), null));
    }

    private Set<Role> rolesNamed(List<String> codes, Map<String, Object> wrong) {
        List<String> given = codes == null ? List.of() : codes;
        Set<String> wanted = new TreeSet<>(given.stream().filter(java.util.Objects::nonNull).toList());
        List<Role> found = roles.findByCodeIn(wanted);
        if (wanted.size() < given.stream().distinct().count()) {
            wrong.put("roles", "null is not a role code");
        } else if (found.size() != wanted.size()) {
            Set<String> unknown = new TreeSet<>(wanted);
            found.forEach(r -> unknown.remove(r.getCode()));
            wrong.put("roles", "unknown roles: " + String.join(", ", unknown));
        }
        return new LinkedHashSet<>(found);
    }

    /** The actor must hold every permission of the roles, and see all data if a role does. */
    private static void requireWithin(UserAccount actor, Set<Role> roles) {
        Set<String> held = actor.permissions();
        for (Role role : roles) {
            boolean permissionsWithin = role.getPermissions().stream().allMatch(p -> held.contains(p.getCode()));
            boolean scopeWithin = role.getDataScope() != DataScope.ALL || actor.seesAllData();
            boolean superWithin = !SUPER_ADMIN.equals(role.getCode())
                    || actor.getRoles().stream().anyMatch(r -> SUPER_ADMIN.equals(r.getCode()));
            if (!permissionsWithin || !scopeWithin || !superWithin) {
                throw new DataRsyncException(ErrorCode.FORBIDDEN,
                        "Role " + role.getCode() + " carries more than you hold", Map.of("role", role.getCode()), null);
            }
        }
    }

    private void requireAnotherSuperAdmin(UserAccount user, boolean staysSuper) {
        boolean isSuper = user.isEnabled() && user.getRoles().stream().anyMatch(r -> SUPER_ADMIN.equals(r.getCode()));
        if (isSuper && !staysSuper && users.countEnabledWithRole(SUPER_ADMIN) <= 1) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "This is the last enabled super administrator");
        }
    }

    private static void checkPassword(String username, String password, Map<String, Object> wrong) {
        List<String> violations = PasswordPolicy.violations(username, password);
        if (!violations.isEmpty()) {
            wrong.put("password", String.join("; ", violations));
        }
    }

    private static void refuseIfWrong(Map<String, Object> wrong) {
        if (!wrong.isEmpty()) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "Invalid user", Map.of("fields", wrong), null);
        }
    }

    /** The contact to store: {@code kept} when not given, null when "", else a well-formed value. */
    private static String contact(String field, String given, Pattern form, String kept, Map<String, Object> wrong) {
        if (given == null) {
            return kept;
        }
        String value = given.trim();
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > (field.equals("email") ? 254 : 32) || !form.matcher(value).matches()) {
            wrong.put(field, field.equals("email") ? "one e-mail address, such as ops@example.com"
                    : "a phone number: 5 to 20 digits, an optional leading +");
            return kept;
        }
        return value;
    }

    private static Set<Long> ids(List<Long> ids) {
        return ids == null ? Set.of() : new TreeSet<>(ids.stream().filter(java.util.Objects::nonNull).toList());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
