package com.datarsync.monitor.infra.channel;

import com.datarsync.monitor.domain.AlertMessage;
import com.datarsync.monitor.domain.AlertTemplates;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.datarsync.common.net.OutboundHttp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Any HTTP endpoint (settings.url): the alert as JSON ({@code rule, severity, resolved, title,
 * text, at, alerts[]}). With a secret, the request carries {@code X-DataRsync-Timestamp} (ms)
 * and {@code X-DataRsync-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>},
 * so the receiver can tell it came from Data Rsync and is fresh. Any 2xx answer is a delivery.
 */
public final class WebhookChannel implements AlertChannel {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock;

    private final RobotHttp http;

    public WebhookChannel(Clock clock, RobotHttp http) {
        this.clock = clock;
        this.http = http;
    }

    @Override
    public String kind() {
        return "webhook";
    }

    @Override
    public void validate(ChannelConfig config) {
        http.endpoint("url", config.required("url"));
    }

    @Override
    public Delivery send(ChannelConfig config, AlertMessage message) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("rule", message.rule()).put("severity", message.severity().name())
                .put("resolved", message.resolved()).put("title", AlertTemplates.title(message, config.language()))
                .put("text", AlertTemplates.text(message, config.language())).put("at", message.at().toString());
        ArrayNode alerts = body.putArray("alerts");
        message.alerts().forEach(a -> alerts.addObject().put("subject", a.subject()).put("value", a.value())
                .put("detail", a.detail()));
        String json = JSON.writeValueAsString(body);
        Map<String, String> headers = new LinkedHashMap<>();
        if (config.secret() != null && !config.secret().isEmpty()) {
            String timestamp = Long.toString(clock.millis());
            headers.put("X-DataRsync-Timestamp", timestamp);
            headers.put("X-DataRsync-Signature", "sha256=" + HexFormat.of().formatHex(RobotHttp.hmac("HmacSHA256",
                    config.secret().getBytes(java.nio.charset.StandardCharsets.UTF_8), timestamp + "." + json)));
        }
        OutboundHttp.Response response = http.postJson(http.endpoint("url", config.required("url")), json, headers);
        // The status only: a webhook's body is whatever the URL answers, not something to show.
        return Delivery.of(response.status() / 100 == 2, RobotHttp.answer(response, null, config.secret()));
    }
}
