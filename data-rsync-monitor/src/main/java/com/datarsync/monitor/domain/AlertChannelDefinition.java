package com.datarsync.monitor.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A named channel as stored: kind, settings as JSON, the secret sealed (never in clear). */
@Entity
@Table(name = "alert_channel")
public class AlertChannelDefinition {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(nullable = false, unique = true, length = 64)
    private String name;
    @Column(nullable = false, length = 32)
    private String kind;
    @Column(name = "settings_json", nullable = false, columnDefinition = "TEXT")
    private String settingsJson;
    @Column(name = "secret_cipher", columnDefinition = "TEXT")
    private String secretCipher;
    @Column(nullable = false, length = 8)
    private String language;
    @Column(nullable = false)
    private boolean enabled;

    protected AlertChannelDefinition() {
    }

    public AlertChannelDefinition(String name) {
        this.name = name;
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

    public String getSettingsJson() {
        return settingsJson;
    }

    public String getSecretCipher() {
        return secretCipher;
    }

    public String getLanguage() {
        return language;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Everything but the secret, which {@link #seal} sets (or keeps). */
    public void define(String kind, String settingsJson, String language, boolean enabled) {
        this.kind = kind;
        this.settingsJson = settingsJson;
        this.language = language;
        this.enabled = enabled;
    }

    public void seal(String secretCipher) {
        this.secretCipher = secretCipher;
    }
}
