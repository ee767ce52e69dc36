package com.datarsync.datasource.infra;

import com.datarsync.common.crypto.SecretCipher;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Source credentials at rest: AES-256-GCM under {@code datarsync.data-source.credential-keys}
 * ({@code DATARSYNC_CREDENTIAL_KEYS}, or a jasypt {@code ENC(...)} value); see {@link SecretCipher}.
 */
@Component
public class CredentialCipher extends SecretCipher {

    public CredentialCipher(@Value("${datarsync.data-source.credential-keys}") String configured) {
        super(configured, "datarsync:data-source:credential", "datarsync.data-source.credential-keys");
    }
}
