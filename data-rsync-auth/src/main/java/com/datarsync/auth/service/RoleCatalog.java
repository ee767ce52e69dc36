package com.datarsync.auth.service;

import com.datarsync.auth.domain.DataScope;
import com.datarsync.auth.domain.Permission;
import com.datarsync.auth.domain.Role;
import com.datarsync.auth.infra.PermissionRepository;
import com.datarsync.auth.infra.RoleRepository;
import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Roles: the four built-in ones (fixed) and custom ones, each a set of permission codes and a
 * data scope. A custom role never carries a permission its author lacks.
 */
@Service
public class RoleCatalog {

    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

    private final RoleRepository roles;
    private final PermissionRepository permissions;
    private final com.datarsync.auth.infra.UserAccountRepository users;
    private final SessionStore sessions;

    public RoleCatalog(RoleRepository roles, PermissionRepository permissions,
                       com.datarsync.auth.infra.UserAccountRepository users, SessionStore sessions) {
        this.roles = roles;
        this.permissions = permissions;
        this.users = users;
        this.sessions = sessions;
    }

    public record RoleSummary(String code, String nameEn, String nameZh, boolean builtin, DataScope dataScope,
                              List<String> permissions) {

        static RoleSummary of(Role r) {
            return new RoleSummary(r.getCode(), r.getNameEn(), r.getNameZh(), r.isBuiltin(), r.getDataScope(),
                    r.getPermissions().stream().map(Permission::getCode).sorted().toList());
        }
    }

    public record RoleRequest(String code, String nameEn, String nameZh, DataScope dataScope,
                              List<String> permissions) {
    }

    public record PermissionSummary(String code, String description) {
    }

    @Transactional(readOnly = true)
    public List<RoleSummary> list() {
        return roles.findAllByOrderByCodeAsc().stream().map(RoleSummary::of).toList();
    }

    @Transactional(readOnly = true)
    public RoleSummary get(String code) {
        return RoleSummary.of(find(code));
    }

    @Transactional(readOnly = true)
    public List<PermissionSummary> permissions() {
        return permissions.findAllByOrderByCodeAsc().stream()
                .map(p -> new PermissionSummary(p.getCode(), p.getDescription())).toList();
    }

    @Transactional
    public RoleSummary create(Caller caller, RoleRequest request) {
        Map<String, Object> wrong = new LinkedHashMap<>();
        if (request.code() == null || !CODE.matcher(request.code()).matches()) {
            wrong.put("code", "2 to 64 upper-case letters, digits or '_', starting with a letter");
        }
        Set<Permission> granted = checked(caller, request, wrong);
        if (roles.findByCode(request.code()).isPresent()) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "A role with this code exists",
                    Map.of("code", request.code()), null);
        }
        Role role = new Role(request.code(), request.nameEn().trim(), request.nameZh().trim(), request.dataScope(),
                granted);
        return RoleSummary.of(roles.saveAndFlush(role));
    }

    @Transactional
    public RoleSummary update(Caller caller, String code, RoleRequest request) {
        Role role = custom(code);
        requireWithin(caller, role.getPermissions());
        Set<Permission> granted = checked(caller, request, new LinkedHashMap<>());
        role.change(request.nameEn().trim(), request.nameZh().trim(), request.dataScope(), granted);
        RoleSummary changed = RoleSummary.of(roles.saveAndFlush(role));
        // Holders' access tokens carry the old permissions: they stop now, a refresh brings the new ones.
        users.idsWithRole(code).forEach(sessions::expireAccessTokens);
        return changed;
    }

    @Transactional
    public void delete(Caller caller, String code) {
        Role role = custom(code);
        requireWithin(caller, role.getPermissions());
        long holders = roles.countHolders(code);
        if (holders > 0) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "The role is held by " + holders + " users",
                    Map.of("code", code, "holders", holders), null);
        }
        roles.delete(role);
    }

    private Set<Permission> checked(Caller caller, RoleRequest request, Map<String, Object> wrong) {
        if (request.nameEn() == null || request.nameEn().isBlank() || request.nameEn().length() > 128) {
            wrong.put("nameEn", "1 to 128 characters");
        }
        if (request.nameZh() == null || request.nameZh().isBlank() || request.nameZh().length() > 128) {
            wrong.put("nameZh", "1 to 128 characters");
        }
        if (request.dataScope() == null) {
            wrong.put("dataScope", "ALL or ASSIGNED");
        }
        List<String> given = request.permissions() == null ? List.of() : request.permissions();
        Set<String> wanted = new TreeSet<>(given.stream().filter(java.util.Objects::nonNull).toList());
        List<Permission> found = permissions.findByCodeIn(wanted);
        if (wanted.size() < given.stream().distinct().count()) {
            wrong.put("permissions", "null is not a permission code");
        } else if (found.size() != wanted.size()) {
            Set<String> unknown = new TreeSet<>(wanted);
            found.forEach(p -> unknown.remove(p.getCode()));
            wrong.put("permissions", "unknown permissions: " + String.join(", ", unknown));
        }
        if (!wrong.isEmpty()) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "Invalid role", Map.of("fields", wrong), null);
        }
        Set<Permission> granted = new LinkedHashSet<>(found);
        requireWithin(caller, granted);
        return granted;
    }

    private static void requireWithin(Caller caller, Set<Permission> granted) {
        for (Permission p : granted) {
            if (!caller.permissions().contains(p.getCode())) {
                throw new DataRsyncException(ErrorCode.FORBIDDEN, "You cannot grant " + p.getCode()
                        + ": you do not hold it", Map.of("permission", p.getCode()), null);
            }
        }
    }

    private Role find(String code) {
        return roles.findByCode(code).orElseThrow(() -> new DataRsyncException(ErrorCode.NOT_FOUND, "No such role",
                Map.of("code", code), null));
    }

    private Role custom(String code) {
        Role role = find(code);
        if (role.isBuiltin()) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Built-in roles cannot be changed or deleted",
                    Map.of("code", code), null);
        }
        return role;
    }
}
