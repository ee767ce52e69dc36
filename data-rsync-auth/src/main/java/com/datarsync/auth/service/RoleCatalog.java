package com.datarsync.auth.service;

import com.datarsync.auth.domain.Permission;
import com.datarsync.auth.infra.RoleRepository;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Read side of RBAC: which roles exist and what each may do. */
@Service
public class RoleCatalog {

    private final RoleRepository roles;

    public RoleCatalog(RoleRepository roles) {
        this.roles = roles;
    }

    @Transactional(readOnly = true)
    public List<RoleSummary> list() {
        return roles.findAllByOrderByCodeAsc().stream()
                .map(r -> new RoleSummary(r.getCode(), r.getNameEn(), r.getNameZh(),
                        r.getPermissions().stream().map(Permission::getCode).sorted().toList()))
                .toList();
    }

    public record RoleSummary(String code, String nameEn, String nameZh, List<String> permissions) {
    }
}
