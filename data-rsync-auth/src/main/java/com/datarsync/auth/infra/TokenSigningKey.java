package com.datarsync.auth.infra;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Map;

/**
 * The RSA key access tokens are signed with (RS256). The private key is read from a PKCS#8 PEM
 * file named by configuration (the local suite generates one; production mounts its own); the
 * public half is published as a JWKS so the gateway and services verify without sharing a secret.
 * The key id is the key's RFC 7638 thumbprint, so a new key gets a new id by itself.
 */
public final class TokenSigningKey {

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;
    private final String keyId;

    private TokenSigningKey(RSAPrivateCrtKey privateKey) {
        try {
            this.privateKey = privateKey;
            this.publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            this.keyId = new RSAKey.Builder(publicKey).build().computeThumbprint().toString();
            if (privateKey.getModulus().bitLength() < 2048) {
                throw new IllegalStateException("The token signing key has " + privateKey.getModulus().bitLength()
                        + " bits; RS256 needs at least 2048");
            }
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("The token signing key cannot be used: " + e.getMessage(), e);
        }
    }

    /** Reads an unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY") RSA key. */
    public static TokenSigningKey fromPemFile(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("The token signing key file " + file + " cannot be read", e);
        }
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalStateException("The token signing key file " + file
                    + " is not a PKCS#8 PEM private key (openssl genpkey -algorithm RSA writes one)");
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return new TokenSigningKey((RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64))));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("The token signing key file " + file + " holds no RSA private key", e);
        }
    }

    public RSAPrivateCrtKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public String keyId() {
        return keyId;
    }

    public BigInteger modulus() {
        return publicKey.getModulus();
    }

    /** The public JWKS document: this key only, marked for signatures with RS256. */
    public Map<String, Object> jwks() {
        RSAKey jwk = new RSAKey.Builder(publicKey).keyID(keyId).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256).build();
        return new JWKSet(jwk).toJSONObject(true);
    }
}
