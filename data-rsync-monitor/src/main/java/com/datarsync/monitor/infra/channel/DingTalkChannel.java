package com.datarsync.monitor.infra.channel;

import com.datarsync.monitor.domain.AlertMessage;
import com.datarsync.monitor.domain.AlertTemplates;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import com.datarsync.common.net.OutboundHttp;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * A DingTalk group robot with "additional signature" security: the webhook URL (with its
 * access_token) is a setting, the signing secret ({@code SEC…}) the channel's secret. Each send
 * adds {@code timestamp} (ms) and {@code sign} = Base64(HmacSHA256(secret, timestamp + "\n" +
 * secret)), URL-encoded; DingTalk refuses a sign that does not match or a timestamp more than an
 * hour off. The message is Markdown; {@code settings.atMobiles} (comma-separated) are mentioned.
 * DingTalk answers HTTP 200 with {@code errcode} 0 when it took the message.
 */
public final class DingTalkChannel implements AlertChannel {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock;

    private final RobotHttp http;

    public DingTalkChannel(Clock clock, RobotHttp http) {
        this.clock = clock;
        this.http = http;
    }

    @Override
    public String kind() {
        return "dingtalk";
    }

    @Override
    public void validate(ChannelConfig config) {
        URI webhook = http.endpoint("webhook", config.required("webhook"));
        if (webhook.getQuery() == null || !webhook.getQuery().contains("access_token=")) {
            throw new IllegalArgumentException("settings.webhook is the robot's URL with its access_token");
        }
        config.requiredSecret();
    }

    @Override
    public Delivery send(ChannelConfig config, AlertMessage message) throws Exception {
        long timestamp = clock.millis();
        String sign = sign(config.requiredSecret(), timestamp);
        URI uri = URI.create(config.required("webhook") + "&timestamp=" + timestamp + "&sign="
                + URLEncoder.encode(sign, StandardCharsets.UTF_8));
        ObjectNode body = JSON.createObjectNode().put("msgtype", "markdown");
        body.putObject("markdown").put("title", AlertTemplates.title(message, config.language()))
                .put("text", AlertTemplates.markdown(message, config.language()));
        String mobiles = config.optional("atMobiles", "");
        if (!mobiles.isEmpty()) {
            ObjectNode at = body.putObject("at").put("isAtAll", false);
            Arrays.stream(mobiles.split(",")).map(String::trim).filter(m -> !m.isEmpty())
                    .forEach(at.putArray("atMobiles")::add);
        }
        OutboundHttp.Response response = http.postJson(uri, JSON.writeValueAsString(body), Map.of());
        return Delivery.of(response.status() == 200 && errcode(response.body()) == 0,
                RobotHttp.answer(response, RobotHttp.fields(response.body(), "errcode", "errmsg"), config.secret()));
    }

    /** DingTalk's signature of a timestamp (before URL encoding). */
    static String sign(String secret, long timestamp) throws Exception {
        return Base64.getEncoder().encodeToString(RobotHttp.hmac("HmacSHA256",
                secret.getBytes(StandardCharsets.UTF_8), timestamp + "\n" + secret));
    }

    static int errcode(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node.path("errcode").asInt(-1);
        } catch (Exception notJson) {
            return -1;
        }
    }
}
