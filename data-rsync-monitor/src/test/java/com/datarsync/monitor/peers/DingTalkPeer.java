package com.datarsync.monitor.peers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * DingTalk's robot send endpoint ({@code /robot/send}) with signature security, as documented by
 * DingTalk: an unknown access_token is {@code 300001}; a timestamp more than an hour from now or
 * a sign that is not Base64(HmacSHA256(secret, timestamp + "\n" + secret)) is {@code 310000};
 * a markdown message without title or text is {@code 40035}; more than 20 messages a minute is
 * {@code 130101}. Success is {@code {"errcode":0,"errmsg":"ok"}}, always with HTTP 200.
 */
public final class DingTalkPeer extends RobotPeer {

    private final String accessToken;
    private final String secret;
    private final Deque<Long> lastMinute = new ArrayDeque<>();

    public DingTalkPeer(String accessToken, String secret) throws IOException {
        super("/robot/send");
        this.accessToken = accessToken;
        this.secret = secret;
    }

    public String webhook() {
        return baseUrl() + "/robot/send?access_token=" + accessToken;
    }

    @Override
    protected synchronized Answer answer(String method, String rawQuery, Map<String, String> params, JsonNode body)
            throws Exception {
        if (!"POST".equals(method) || !accessToken.equals(params.get("access_token"))) {
            return new Answer(200, "{\"errcode\":300001,\"errmsg\":\"token is not exist\"}");
        }
        long now = System.currentTimeMillis();
        long timestamp;
        try {
            timestamp = Long.parseLong(params.getOrDefault("timestamp", ""));
        } catch (NumberFormatException e) {
            return new Answer(200, "{\"errcode\":310000,\"errmsg\":\"invalid timestamp\"}");
        }
        if (Math.abs(now - timestamp) > 3_600_000) {
            return new Answer(200, "{\"errcode\":310000,\"errmsg\":\"invalid timestamp\"}");
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal((timestamp + "\n" + secret)
                .getBytes(StandardCharsets.UTF_8)));
        if (!expected.equals(params.get("sign"))) {
            return new Answer(200, "{\"errcode\":310000,\"errmsg\":\"sign not match, more: "
                    + "[https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]\"}");
        }
        if (body == null || !"markdown".equals(body.path("msgtype").asText())
                || body.path("markdown").path("title").asText().isEmpty()
                || body.path("markdown").path("text").asText().isEmpty()) {
            return new Answer(200, "{\"errcode\":40035,\"errmsg\":\"缺少参数 markdown\"}");
        }
        while (!lastMinute.isEmpty() && now - lastMinute.peekFirst() > 60_000) {
            lastMinute.removeFirst();
        }
        if (lastMinute.size() >= 20) {
            return new Answer(200, "{\"errcode\":130101,\"errmsg\":\"send too fast, exceed 20 times per minute\"}");
        }
        lastMinute.addLast(now);
        return new Answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}", true);
    }
}
