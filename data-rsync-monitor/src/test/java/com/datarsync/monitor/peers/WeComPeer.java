package com.datarsync.monitor.peers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * WeCom's group robot endpoint ({@code /cgi-bin/webhook/send?key=…}) as WeCom documents it: an
 * unknown key is {@code 93000 invalid webhook url}; a markdown message needs its content
 * ({@code 44004 empty content}) of at most 4,096 bytes ({@code 40058}); a body that is not JSON is
 * {@code 40035}. Success is {@code {"errcode":0,"errmsg":"ok"}}, always with HTTP 200.
 */
public final class WeComPeer extends RobotPeer {

    private final String key;

    public WeComPeer(String key) throws IOException {
        super("/cgi-bin/webhook/send");
        this.key = key;
    }

    public String url() {
        return baseUrl() + "/cgi-bin/webhook/send";
    }

    @Override
    protected Answer answer(String method, String rawQuery, Map<String, String> params, JsonNode body) {
        if (!"POST".equals(method) || !key.equals(params.get("key"))) {
            return new Answer(200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url, hint: [1764572000_1], "
                    + "from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=93000\"}");
        }
        if (body == null) {
            return new Answer(200, "{\"errcode\":40035,\"errmsg\":\"invalid parameter\"}");
        }
        String content = body.path("markdown").path("content").asText("");
        if (!"markdown".equals(body.path("msgtype").asText()) || content.isEmpty()) {
            return new Answer(200, "{\"errcode\":44004,\"errmsg\":\"empty content\"}");
        }
        if (content.getBytes(StandardCharsets.UTF_8).length > 4096) {
            return new Answer(200, "{\"errcode\":40058,\"errmsg\":\"markdown.content exceed max length 4096\"}");
        }
        return new Answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}", true);
    }
}
