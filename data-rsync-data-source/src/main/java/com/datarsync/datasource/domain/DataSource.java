package com.datarsync.datasource.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A registered source database. The credential is held only as cipher text. */
@Entity
@Table(name = "data_source")
public class DataSource {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 128)
    private String name;

    /** Source kind identifier: mysql, mariadb, postgres, oracle, sqlserver, mongodb, redis. */
    @Column(nullable = false, length = 32)
    private String kind;

    @Column(nullable = false)
    private String host;

    @Column(nullable = false)
    private int port;

    @Column(name = "database_name", length = 128)
    private String databaseName;

    @Column(length = 128)
    private String username;

    @Column(name = "credential_cipher", columnDefinition = "TEXT")
    private String credentialCipher;

    @Column(name = "options_json", columnDefinition = "JSON")
    private String optionsJson;

    @Column(nullable = false)
    private boolean enabled = true;

    @Column(length = 512)
    private String description;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false, insertable = false, updatable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected DataSource() {
    }

    public DataSource(String name, String kind, String host, int port, String databaseName, String username,
                      String credentialCipher, String description) {
        update(name, kind, host, port, databaseName, username, credentialCipher, description);
    }

    /** Changes what the operator gave; a null cipher keeps the stored credential. */
    public void update(String name, String kind, String host, int port, String databaseName, String username,
            String credentialCipher, String description) {
        this.name = name;
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.databaseName = databaseName;
        this.username = username;
        if (credentialCipher != null) {
            this.credentialCipher = credentialCipher;
        }
        this.description = description;
    }

    public void enable(boolean on) {
        this.enabled = on;
    }

    /** Re-seals the stored credential (a key rotation). */
    public void reseal(String credentialCipher) {
        this.credentialCipher = credentialCipher;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public String getDescription() {
        return description;
    }

    public String getCredentialCipher() {
        return credentialCipher;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getKind() {
        return kind;
    }

    public String getHost() {
        return host;
    }

    public int getPort() {
        return port;
    }

    public String getDatabaseName() {
        return databaseName;
    }

    public String getUsername() {
        return username;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
