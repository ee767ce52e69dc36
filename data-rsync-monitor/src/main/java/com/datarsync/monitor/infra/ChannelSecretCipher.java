package com.datarsync.monitor.infra;

import com.datarsync.common.crypto.SecretCipher;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Alert channel secrets at rest (SMTP passwords, robot secrets, AccessKey secrets): AES-256-GCM
 * under {@code datarsync.monitor.channel-keys} ({@code DATARSYNC_CHANNEL_KEYS}), stored like a
 * data-source credential ({@link SecretCipher}).
 */
@Component
public class ChannelSecretCipher extends SecretCipher {

    public ChannelSecretCipher(@Value("${datarsync.monitor.channel-keys}") String configured) {
        super(configured, "datarsync:monitor:channel-secret", "datarsync.monitor.channel-keys");
    }
}
