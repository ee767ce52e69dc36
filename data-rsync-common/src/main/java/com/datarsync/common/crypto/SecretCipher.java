package com.datarsync.common.crypto;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest (source credentials, alert channel secrets) with AES-256-GCM (a fresh
 * 12-byte nonce each time, the 128-bit tag authenticates). Keys are configured as comma-separated
 * {@code <id>:<base64 of 32 bytes>}: the first one encrypts, every one decrypts. Stored form:
 * {@code v1:<key id>:<base64 of nonce | cipher text | tag>}, so a rotation (docs/data-sources.md)
 * can tell which rows still use an old key. The purpose is authenticated with each cipher text,
 * so one kind of secret cannot be replayed as another.
 */
public class SecretCipher {

    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final byte[] aad;

    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final String currentKeyId;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param configured the keys, {@code <id>:<base64 of 32 bytes>,...}
     * @param purpose    what the secrets are ({@code datarsync:data-source:credential}), bound to each
     * @param setting    the setting the keys come from, named in errors
     */
    public SecretCipher(String configured, String purpose, String setting) {
        this.aad = purpose.getBytes(StandardCharsets.UTF_8);
        for (String entry : configured.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException(setting + ": each key is <id>:<base64 of 32 bytes>");
            }
            byte[] key = Base64.getDecoder().decode(trimmed.substring(colon + 1));
            if (key.length != 32) {
                throw new IllegalStateException(setting + ": key '"
                        + trimmed.substring(0, colon) + "' is " + key.length + " bytes, not 32");
            }
            keys.put(trimmed.substring(0, colon), new SecretKeySpec(key, "AES"));
        }
        this.currentKeyId = keys.keySet().iterator().next();
    }

    public String encrypt(String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return VERSION + ":" + currentKeyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String decrypt(String stored) {
        String[] parts = stored.split(":", 3);
        SecretKeySpec key = parts.length == 3 && VERSION.equals(parts[0]) ? keys.get(parts[1]) : null;
        if (key == null) {
            throw new DataRsyncException(ErrorCode.INTERNAL_ERROR, "A sealed value uses a key this service "
                    + "does not hold (" + (parts.length == 3 ? parts[1] : "unknown form") + ")", Map.of(), null);
        }
        byte[] in = Base64.getDecoder().decode(parts[2]);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(aad);
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new DataRsyncException(ErrorCode.INTERNAL_ERROR, "A sealed value does not decrypt: it was "
                    + "altered or sealed under another key", Map.of(), null);
        }
    }

    /** Whether the stored value was sealed under the current key (else a rotation re-encrypts it). */
    public boolean isCurrent(String stored) {
        return stored.startsWith(VERSION + ":" + currentKeyId + ":");
    }
}
