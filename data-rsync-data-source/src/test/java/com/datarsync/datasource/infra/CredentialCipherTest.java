package com.datarsync.datasource.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.error.DataRsyncException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    private static String key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return Base64.getEncoder().encodeToString(k);
    }

    @Test
    void sealsWithAFreshNonceAndOpensWhatItSealed() {
        CredentialCipher cipher = new CredentialCipher("k1:" + key(1));
        String a = cipher.encrypt("s3cret pässwörd");
        String b = cipher.encrypt("s3cret pässwörd");
        assertThat(a).startsWith("v1:k1:").isNotEqualTo(b).doesNotContain("s3cret");
        assertThat(cipher.decrypt(a)).isEqualTo("s3cret pässwörd");
        assertThat(cipher.isCurrent(a)).isTrue();
    }

    @Test
    void anAlteredCipherTextOrAnUnknownKeyIsRefused() {
        CredentialCipher cipher = new CredentialCipher("k1:" + key(1));
        String sealed = cipher.encrypt("secret");
        byte[] raw = Base64.getDecoder().decode(sealed.substring("v1:k1:".length()));
        raw[raw.length - 1] ^= 1;
        String altered = "v1:k1:" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> cipher.decrypt(altered)).isInstanceOf(DataRsyncException.class)
                .hasMessageContaining("altered").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> new CredentialCipher("k2:" + key(2)).decrypt(sealed))
                .isInstanceOf(DataRsyncException.class).hasMessageContaining("k1");
    }

    @Test
    void aRotationDecryptsOldValuesAndSealsNewOnesUnderTheNewKey() {
        String old = new CredentialCipher("k1:" + key(1)).encrypt("secret");
        CredentialCipher rotated = new CredentialCipher("k2:" + key(2) + ",k1:" + key(1));
        assertThat(rotated.decrypt(old)).isEqualTo("secret");
        assertThat(rotated.isCurrent(old)).isFalse();
        assertThat(rotated.encrypt("secret")).startsWith("v1:k2:");
    }

    @Test
    void aKeyOfTheWrongSizeIsRefusedAtStart() {
        assertThatThrownBy(() -> new CredentialCipher("k1:" + Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not 32");
    }
}
