package com.datarsync.monitor.infra.channel;

import com.datarsync.common.net.OutboundAddressPolicy;
import com.datarsync.common.net.OutboundHttp;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the HTTP channels share: one client under the outbound address policy (the address each
 * connection resolves to must be public or in the allow-list), JSON posts with a timeout, HMACs,
 * URL checks, and the answer kept for the history.
 */
public final class RobotHttp {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private final OutboundAddressPolicy policy;
    private final OutboundHttp client;

    public RobotHttp(OutboundAddressPolicy policy) {
        this.policy = policy;
        this.client = new OutboundHttp(policy, Duration.ofSeconds(10), Duration.ofSeconds(15));
    }

    OutboundHttp.Response postJson(URI uri, String json, Map<String, String> headers) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json; charset=utf-8");
        return client.post(uri, all, json);
    }

    OutboundHttp.Response get(URI uri) throws Exception {
        return client.get(uri, Map.of());
    }

    static byte[] hmac(String algorithm, byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key, algorithm));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An endpoint URL from a setting: HTTPS, or plain HTTP only to a loopback address (a local
     * relay or a test peer), since the message and the signature must not cross a network in
     * clear; and an address the outbound policy allows (checked again on every connection).
     */
    URI endpoint(String setting, String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("settings." + setting + " is not a URL");
        }
        String host = uri.getHost();
        if (host == null || !("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback(host)))) {
            throw new IllegalArgumentException("settings." + setting + " must be an https:// URL (http:// only to "
                    + "this host)");
        }
        String refusal = policy.refusalOfHost(host);
        if (refusal != null) {
            throw new IllegalArgumentException("settings." + setting + ": calls to " + host + " are refused: " + refusal);
        }
        return uri;
    }

    /** Whether a host is named as this machine: localhost or a loopback literal (all of 127/8, ::1). */
    static boolean loopback(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if ("localhost".equals(bare)) {
            return true;
        }
        if (!bare.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** One top-level field of a JSON answer as text, or null when it is absent or the answer is no JSON. */
    static String field(String body, String name) {
        com.fasterxml.jackson.databind.JsonNode node = json(body);
        return node.hasNonNull(name) ? node.get(name).asText() : null;
    }

    /** The named top-level fields of a JSON answer as {@code name=value} (each cut to 200 characters), or "". */
    static String fields(String body, String... names) {
        com.fasterxml.jackson.databind.JsonNode node = json(body);
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            if (node.hasNonNull(name)) {
                String value = node.get(name).asText();
                out.append(out.isEmpty() ? "" : " ").append(name).append('=')
                        .append(value.length() > 200 ? value.substring(0, 200) + "…" : value);
            }
        }
        return out.toString();
    }

    /** The answer as JSON; an empty object when it is none. */
    private static com.fasterxml.jackson.databind.JsonNode json(String body) {
        try {
            return JSON.readTree(body == null ? "" : body);
        } catch (Exception notJson) {
            return JSON.createObjectNode();
        }
    }

    /**
     * The far end's answer for the history and a channel test: the status and, where the service
     * defines them, its own result fields (a robot's errcode and errmsg), never the raw body, so a
     * channel cannot be used to read whatever a URL answers. The secret is blotted out.
     */
    static String answer(OutboundHttp.Response response, String detail, String secret) {
        String text = "HTTP " + response.status() + (detail == null || detail.isEmpty() ? "" : " " + detail);
        return secret == null || secret.isEmpty() ? text : text.replace(secret, "***");
    }
}
