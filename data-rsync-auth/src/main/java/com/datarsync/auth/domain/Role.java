package com.datarsync.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;
import java.util.LinkedHashSet;
import java.util.Set;

/** A named set of permissions; users hold roles, never permissions directly. */
@Entity
@Table(name = "auth_role")
public class Role {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 64)
    private String code;

    @Column(name = "name_en", nullable = false)
    private String nameEn;

    @Column(name = "name_zh", nullable = false)
    private String nameZh;

    /** One of the four roles of the architecture document: not changed or deleted through the API. */
    @Column(nullable = false)
    private boolean builtin;

    @Enumerated(EnumType.STRING)
    @Column(name = "data_scope", nullable = false, length = 16)
    private DataScope dataScope = DataScope.ASSIGNED;

    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "auth_role_permission",
            joinColumns = @JoinColumn(name = "role_id"),
            inverseJoinColumns = @JoinColumn(name = "permission_id"))
    private Set<Permission> permissions = new LinkedHashSet<>();

    protected Role() {
    }

    /** A custom role. */
    public Role(String code, String nameEn, String nameZh, DataScope dataScope, Set<Permission> permissions) {
        this.code = code;
        this.builtin = false;
        change(nameEn, nameZh, dataScope, permissions);
    }

    public void change(String nameEn, String nameZh, DataScope dataScope, Set<Permission> permissions) {
        this.nameEn = nameEn;
        this.nameZh = nameZh;
        this.dataScope = dataScope;
        this.permissions = new LinkedHashSet<>(permissions);
    }

    public Long getId() {
        return id;
    }

    public boolean isBuiltin() {
        return builtin;
    }

    public DataScope getDataScope() {
        return dataScope;
    }

    public String getCode() {
        return code;
    }

    public String getNameEn() {
        return nameEn;
    }

    public String getNameZh() {
        return nameZh;
    }

    public Set<Permission> getPermissions() {
        return permissions;
    }
}
