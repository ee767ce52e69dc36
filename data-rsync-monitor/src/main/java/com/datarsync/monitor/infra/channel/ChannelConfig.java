package com.datarsync.monitor.infra.channel;

import com.datarsync.monitor.domain.MessageLanguage;
import java.util.Map;

/**
 * A named channel as stored: its kind, its settings (nothing secret) and its secret (a
 * password, a signing secret, a robot key), decrypted only to send.
 */
public record ChannelConfig(String name, String kind, Map<String, String> settings, String secret,
        MessageLanguage language) {

    public ChannelConfig {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        language = language == null ? MessageLanguage.ZH_CN : language;
    }

    /** A setting that must be there. */
    public String required(String key) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("settings." + key + " is required for a " + kind + " channel");
        }
        return value.trim();
    }

    public String optional(String key, String fallback) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The secret, which this kind needs. */
    public String requiredSecret() {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("secret is required for a " + kind + " channel");
        }
        return secret;
    }

    @Override
    public String toString() {
        return "ChannelConfig[" + name + ", " + kind + ", " + settings + ", secret " + (secret == null ? "none" : "***")
                + "]";
    }
}
