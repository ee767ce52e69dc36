package com.datarsync.auth.web;

import com.datarsync.auth.service.Caller;
import com.datarsync.auth.service.RoleCatalog;
import com.datarsync.auth.service.RoleCatalog.PermissionSummary;
import com.datarsync.auth.service.RoleCatalog.RoleRequest;
import com.datarsync.auth.service.RoleCatalog.RoleSummary;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Roles and the permission codes they are made of (role:write to define custom roles). */
@RestController
public class RoleController {

    private final RoleCatalog catalog;
    private final AuditedCalls audited;

    public RoleController(RoleCatalog catalog, AuditedCalls audited) {
        this.catalog = catalog;
        this.audited = audited;
    }

    @GetMapping("/api/auth/roles")
    public List<RoleSummary> list() {
        return catalog.list();
    }

    @GetMapping("/api/auth/roles/{code}")
    public RoleSummary get(@PathVariable String code) {
        return catalog.get(code);
    }

    @GetMapping("/api/auth/permissions")
    public List<PermissionSummary> permissions() {
        return catalog.permissions();
    }

    @PostMapping("/api/auth/roles")
    public ResponseEntity<RoleSummary> create(@RequestBody RoleRequest request, HttpServletRequest http) {
        RoleSummary created = audited.get(Caller.current(), http, "role.create", "role:" + request.code(),
                Map.of("permissions", String.valueOf(request.permissions()), "dataScope",
                        String.valueOf(request.dataScope())), () -> catalog.create(Caller.current(), request));
        return ResponseEntity.status(HttpStatus.CREATED).body(created);
    }

    @PutMapping("/api/auth/roles/{code}")
    public RoleSummary update(@PathVariable String code, @RequestBody RoleRequest request, HttpServletRequest http) {
        return audited.get(Caller.current(), http, "role.update", "role:" + code,
                Map.of("permissions", String.valueOf(request.permissions()), "dataScope",
                        String.valueOf(request.dataScope())), () -> catalog.update(Caller.current(), code, request));
    }

    @DeleteMapping("/api/auth/roles/{code}")
    public ResponseEntity<Void> delete(@PathVariable String code, HttpServletRequest http) {
        audited.run(Caller.current(), http, "role.delete", "role:" + code, Map.of(),
                () -> catalog.delete(Caller.current(), code));
        return ResponseEntity.noContent().build();
    }
}
