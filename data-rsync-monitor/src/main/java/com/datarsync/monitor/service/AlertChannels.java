package com.datarsync.monitor.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.monitor.domain.AlertChannelDefinition;
import com.datarsync.monitor.domain.MessageLanguage;
import com.datarsync.monitor.infra.AlertChannelRepository;
import com.datarsync.monitor.infra.ChannelSecretCipher;
import com.datarsync.monitor.infra.channel.ChannelConfig;
import com.datarsync.monitor.infra.channel.ChannelDispatcher;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The named channels: checked by their kind before they are stored, their secret sealed. A
 * channel a rule names cannot be deleted.
 */
@Service
public class AlertChannels {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * What a client sends: the secret only when it is set or changed (null keeps the stored one,
     * "" removes it).
     */
    public record Fields(String name, String kind, Map<String, String> settings, String secret, String language,
            Boolean enabled) {
    }

    private final AlertChannelRepository channels;
    private final ChannelSecretCipher cipher;
    private final ChannelDispatcher dispatcher;
    private final AlertRuleUses uses;

    public AlertChannels(AlertChannelRepository channels, ChannelSecretCipher cipher, ChannelDispatcher dispatcher,
            AlertRuleUses uses) {
        this.channels = channels;
        this.cipher = cipher;
        this.dispatcher = dispatcher;
        this.uses = uses;
    }

    public List<AlertChannelDefinition> list() {
        return channels.findAll();
    }

    public AlertChannelDefinition get(long id) {
        return channels.findById(id).orElseThrow(() -> new DataRsyncException(ErrorCode.NOT_FOUND,
                "No alert channel " + id, Map.of("id", id), null));
    }

    @Transactional
    public AlertChannelDefinition create(Fields fields) {
        String name = name(fields);
        if (channels.findByName(name).isPresent()) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "An alert channel named '" + name + "' exists",
                    Map.of("field", "name"), null);
        }
        return save(new AlertChannelDefinition(name), fields, fields.secret());
    }

    @Transactional
    public AlertChannelDefinition update(long id, Fields fields) {
        AlertChannelDefinition channel = get(id);
        if (fields.name() != null && !fields.name().equals(channel.getName())) {
            throw invalid("name", "a channel keeps its name (rules refer to it); create another one");
        }
        String secret = fields.secret() == null ? open(channel) : fields.secret();
        return save(channel, fields, secret);
    }

    @Transactional
    public void delete(long id) {
        AlertChannelDefinition channel = get(id);
        List<String> rules = uses.rulesNaming(channel.getName());
        if (!rules.isEmpty()) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Alert channel '" + channel.getName()
                    + "' is used by rules " + rules + "; change them first", Map.of("rules", rules), null);
        }
        channels.delete(channel);
    }

    /** The channel as its kind sends it, the secret opened. */
    public ChannelConfig config(AlertChannelDefinition channel) {
        return new ChannelConfig(channel.getName(), channel.getKind(), settings(channel), open(channel),
                MessageLanguage.of(channel.getLanguage()));
    }

    public Map<String, String> settings(AlertChannelDefinition channel) {
        try {
            return JSON.readValue(channel.getSettingsJson(), new TypeReference<Map<String, String>>() { });
        } catch (Exception e) {
            throw new IllegalStateException("stored settings of channel " + channel.getName() + " are not JSON", e);
        }
    }

    private String open(AlertChannelDefinition channel) {
        return channel.getSecretCipher() == null ? null : cipher.decrypt(channel.getSecretCipher());
    }

    private AlertChannelDefinition save(AlertChannelDefinition channel, Fields fields, String secret) {
        if (fields.kind() == null || !dispatcher.kinds().contains(fields.kind())) {
            throw invalid("kind", "kind is one of " + new java.util.TreeSet<>(dispatcher.kinds()));
        }
        MessageLanguage language;
        try {
            language = MessageLanguage.of(fields.language() == null ? "zh-CN" : fields.language());
        } catch (IllegalArgumentException e) {
            throw invalid("language", e.getMessage());
        }
        Map<String, String> settings = fields.settings() == null ? Map.of() : fields.settings();
        if (settings.size() > 20 || settings.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null
                || e.getKey().length() > 64 || e.getValue().length() > 2000)) {
            throw invalid("settings", "settings are at most 20 names of up to 64 characters with values of up to "
                    + "2,000");
        }
        String kept = secret == null || secret.isEmpty() ? null : secret;
        if (kept != null && kept.length() > 4096) {
            throw invalid("secret", "a secret is at most 4,096 characters");
        }
        ChannelConfig config = new ChannelConfig(channel.getName(), fields.kind(), settings, kept, language);
        try {
            dispatcher.validate(config);
        } catch (IllegalArgumentException e) {
            throw invalid("settings", e.getMessage());
        }
        try {
            channel.define(fields.kind(), JSON.writeValueAsString(settings), language.tag(),
                    fields.enabled() == null || fields.enabled());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        channel.seal(kept == null ? null : cipher.encrypt(kept));
        return channels.save(channel);
    }

    private static String name(Fields fields) {
        if (fields.name() == null || !NAME.matcher(fields.name()).matches()) {
            throw invalid("name", "a channel's name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return fields.name();
    }

    static DataRsyncException invalid(String field, String why) {
        return new DataRsyncException(ErrorCode.VALIDATION_FAILED, why, Map.of("field", field), null);
    }
}
