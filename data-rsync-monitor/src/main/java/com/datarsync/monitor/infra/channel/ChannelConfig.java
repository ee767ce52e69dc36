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

    /**
     * The setting listing this kind's recipients, which role receivers are added to: e-mail's
     * {@code to}, SMS' {@code phoneNumbers}; none for the kinds that post to one place.
     */
    public static java.util.Optional<String> recipientSetting(String kind) {
        return switch (kind) {
            case EmailChannel.KIND -> java.util.Optional.of("to");
            case AliyunSmsChannel.KIND -> java.util.Optional.of("phoneNumbers");
            default -> java.util.Optional.empty();
        };
    }

    /** This configuration also reaching these people: their e-mail addresses or phone numbers, by kind. */
    public ChannelConfig withPeople(java.util.Collection<String> emails, java.util.Collection<String> phones) {
        return withRecipients(EmailChannel.KIND.equals(kind) ? emails : AliyunSmsChannel.KIND.equals(kind) ? phones
                : java.util.List.of());
    }

    /**
     * This configuration with {@code more} recipients after its own (e-mail addresses for an
     * e-mail channel, phone numbers for SMS), each once; unchanged for other kinds or none.
     */
    public ChannelConfig withRecipients(java.util.Collection<String> more) {
        java.util.Optional<String> setting = recipientSetting(kind);
        if (setting.isEmpty() || more.isEmpty()) {
            return this;
        }
        java.util.Set<String> all = new java.util.LinkedHashSet<>();
        for (String own : optional(setting.get(), "").split(",")) {
            if (!own.isBlank()) {
                all.add(own.trim());
            }
        }
        more.stream().filter(r -> r != null && !r.isBlank()).map(String::trim).forEach(all::add);
        Map<String, String> changed = new java.util.HashMap<>(settings);
        changed.put(setting.get(), String.join(",", all));
        return new ChannelConfig(name, kind, changed, secret, language);
    }

    @Override
    public String toString() {
        return "ChannelConfig[" + name + ", " + kind + ", " + settings + ", secret " + (secret == null ? "none" : "***")
                + "]";
    }
}
