package com.datarsync.monitor.infra.channel;

import com.datarsync.monitor.domain.AlertMessage;
import com.datarsync.monitor.domain.AlertTemplates;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import com.datarsync.common.net.OutboundHttp;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A WeCom (企业微信) group robot: its webhook key is the channel's secret (whoever holds it can
 * post), {@code settings.url} the send endpoint (WeCom's by default). The message is Markdown of
 * at most 4,096 bytes, as WeCom takes; it answers {@code errcode} 0 when it took the message.
 */
public final class WeComChannel implements AlertChannel {

    static final String DEFAULT_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send";
    static final int MAX_MARKDOWN_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RobotHttp http;

    public WeComChannel(RobotHttp http) {
        this.http = http;
    }

    @Override
    public String kind() {
        return "wecom";
    }

    @Override
    public void validate(ChannelConfig config) {
        http.endpoint("url", config.optional("url", DEFAULT_URL));
        config.requiredSecret();
    }

    @Override
    public Delivery send(ChannelConfig config, AlertMessage message) throws Exception {
        URI uri = URI.create(config.optional("url", DEFAULT_URL) + "?key="
                + URLEncoder.encode(config.requiredSecret(), StandardCharsets.UTF_8));
        ObjectNode body = JSON.createObjectNode().put("msgtype", "markdown");
        body.putObject("markdown").put("content", fit(AlertTemplates.markdown(message, config.language())));
        OutboundHttp.Response response = http.postJson(uri, JSON.writeValueAsString(body), Map.of());
        return Delivery.of(response.status() == 200 && DingTalkChannel.errcode(response.body()) == 0,
                RobotHttp.answer(response, RobotHttp.fields(response.body(), "errcode", "errmsg"), config.secret()));
    }

    /** Cut to WeCom's limit on a character boundary. */
    static String fit(String markdown) {
        byte[] bytes = markdown.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_MARKDOWN_BYTES) {
            return markdown;
        }
        String cut = markdown;
        while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_MARKDOWN_BYTES - 3) {
            cut = cut.substring(0, cut.length() - Math.max(1, (cut.getBytes(StandardCharsets.UTF_8).length
                    - MAX_MARKDOWN_BYTES) / 3));
        }
        return cut + "…";
    }
}
