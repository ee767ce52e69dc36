package com.datarsync.auth.domain;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Someone who logs in: a password hash (never the password), roles, assigned data sources, and
 * where alerts reach them (e-mail, phone).
 */
@Entity
@Table(name = "auth_user")
public class UserAccount {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 64)
    private String username;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(name = "display_name", length = 128)
    private String displayName;

    /** Where alerts to the user's roles go by e-mail; none when null. */
    @Column(length = 254)
    private String email;

    /** Where alerts to the user's roles go by SMS; none when null. */
    @Column(length = 32)
    private String phone;

    @Column(nullable = false)
    private boolean enabled = true;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Column(name = "password_changed_at")
    private Instant passwordChangedAt;

    @Version
    private long version;

    @ManyToMany(fetch = FetchType.EAGER)
    @JoinTable(name = "auth_user_role",
            joinColumns = @JoinColumn(name = "user_id"),
            inverseJoinColumns = @JoinColumn(name = "role_id"))
    private Set<Role> roles = new LinkedHashSet<>();

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "auth_user_datasource", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "datasource_id")
    private Set<Long> dataSourceIds = new TreeSet<>();

    protected UserAccount() {
    }

    public UserAccount(String username, String passwordHash, Instant now) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.createdAt = now;
        this.updatedAt = now;
        this.passwordChangedAt = now;
    }

    /** Every permission code of every role the user holds. */
    public Set<String> permissions() {
        Set<String> codes = new TreeSet<>();
        roles.forEach(r -> r.getPermissions().forEach(p -> codes.add(p.getCode())));
        return codes;
    }

    /** True when one of the user's roles sees every data source. */
    public boolean seesAllData() {
        return roles.stream().anyMatch(r -> r.getDataScope() == DataScope.ALL);
    }

    public void change(String displayName, Set<Role> roles, Set<Long> dataSourceIds, boolean enabled, Instant now) {
        this.displayName = displayName;
        this.roles = new LinkedHashSet<>(roles);
        this.dataSourceIds = new TreeSet<>(dataSourceIds);
        this.enabled = enabled;
        this.updatedAt = now;
    }

    /** Where alerts reach the user (null: not that way). */
    public void changeContacts(String email, String phone, Instant now) {
        this.email = email;
        this.phone = phone;
        this.updatedAt = now;
    }

    public String getEmail() {
        return email;
    }

    public String getPhone() {
        return phone;
    }

    public void changePassword(String passwordHash, Instant now) {
        this.passwordHash = passwordHash;
        this.passwordChangedAt = now;
        this.updatedAt = now;
    }

    public Long getId() {
        return id;
    }

    public String getUsername() {
        return username;
    }

    public String getPasswordHash() {
        return passwordHash;
    }

    public String getDisplayName() {
        return displayName;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Instant getPasswordChangedAt() {
        return passwordChangedAt;
    }

    public Set<Role> getRoles() {
        return roles;
    }

    public Set<Long> getDataSourceIds() {
        return dataSourceIds;
    }
}
