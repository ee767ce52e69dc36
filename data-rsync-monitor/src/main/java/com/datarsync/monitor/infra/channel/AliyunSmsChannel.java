package com.datarsync.monitor.infra.channel;

import com.datarsync.monitor.domain.AlertMessage;
import com.datarsync.monitor.domain.MessageLanguage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import com.datarsync.common.net.OutboundHttp;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;

/**
 * SMS through Alibaba Cloud's SendSms API (dysmsapi, version 2017-05-25), signed as its RPC API
 * requires (signature version 1.0): the parameters sorted and percent-encoded, the string
 * {@code GET&%2F&<encoded query>} signed with HMAC-SHA1 under {@code AccessKeySecret + "&"}, a
 * fresh {@code SignatureNonce} and the UTC {@code Timestamp} each time. Settings: accessKeyId,
 * signName, templateCode, phoneNumbers (comma-separated), and optionally endpoint and regionId;
 * the AccessKey secret is the channel's secret. SMS templates are approved by Alibaba Cloud in
 * advance, so the message goes as the template's parameters: {@code rule}, {@code severity},
 * {@code state}, {@code subject} (the first alert's) and {@code count} (docs/monitoring.md).
 */
public final class AliyunSmsChannel implements AlertChannel {

    public static final String KIND = "aliyun-sms";

    static final String DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/";
    /** Alibaba Cloud caps a template variable's value; longer ones are cut. */
    static final int MAX_PARAM_CHARS = 35;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private final Clock clock;

    private final RobotHttp http;

    public AliyunSmsChannel(Clock clock, RobotHttp http) {
        this.clock = clock;
        this.http = http;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void validate(ChannelConfig config) {
        http.endpoint("endpoint", config.optional("endpoint", DEFAULT_ENDPOINT));
        for (String key : new String[] {"accessKeyId", "signName", "templateCode", "phoneNumbers"}) {
            config.required(key);
        }
        if (!config.required("phoneNumbers").matches("\\+?[0-9]{5,20}(,\\s*\\+?[0-9]{5,20})*")) {
            throw new IllegalArgumentException("settings.phoneNumbers is a comma-separated list of phone numbers");
        }
        config.requiredSecret();
    }

    @Override
    public Delivery send(ChannelConfig config, AlertMessage message) throws Exception {
        Map<String, String> params = new TreeMap<>();
        params.put("AccessKeyId", config.required("accessKeyId"));
        params.put("Action", "SendSms");
        params.put("Format", "JSON");
        params.put("RegionId", config.optional("regionId", "cn-hangzhou"));
        params.put("SignatureMethod", "HMAC-SHA1");
        params.put("SignatureNonce", UUID.randomUUID().toString());
        params.put("SignatureVersion", "1.0");
        params.put("Timestamp", TIMESTAMP.format(clock.instant()));
        params.put("Version", "2017-05-25");
        params.put("PhoneNumbers", config.required("phoneNumbers").replace(" ", ""));
        params.put("SignName", config.required("signName"));
        params.put("TemplateCode", config.required("templateCode"));
        params.put("TemplateParam", templateParam(message, config.language()));
        String query = canonicalQuery(params);
        String signature = sign(config.requiredSecret(), "GET", query);
        URI uri = URI.create(config.optional("endpoint", DEFAULT_ENDPOINT) + "?Signature=" + percentEncode(signature)
                + "&" + query);
        OutboundHttp.Response response = http.get(uri);
        String fields = RobotHttp.fields(response.body(), "Code", "Message", "BizId");
        boolean ok = response.status() == 200 && "OK".equals(RobotHttp.field(response.body(), "Code"));
        return Delivery.of(ok, RobotHttp.answer(response, fields, config.secret()));
    }

    static String templateParam(AlertMessage message, MessageLanguage language) throws Exception {
        boolean zh = language == MessageLanguage.ZH_CN;
        ObjectNode p = JSON.createObjectNode();
        p.put("rule", cut(message.rule()));
        p.put("severity", message.severity().label(language));
        p.put("state", message.resolved() ? (zh ? "已恢复" : "resolved") : (zh ? "告警" : "firing"));
        p.put("subject", cut(message.alerts().get(0).subject()));
        p.put("count", Integer.toString(message.alerts().size()));
        return JSON.writeValueAsString(p);
    }

    private static String cut(String value) {
        return value.length() <= MAX_PARAM_CHARS ? value : value.substring(0, MAX_PARAM_CHARS - 1) + "…";
    }

    /** The parameters sorted by name, each name and value percent-encoded, joined by {@code &}. */
    static String canonicalQuery(Map<String, String> params) {
        StringJoiner out = new StringJoiner("&");
        new TreeMap<>(params).forEach((k, v) -> out.add(percentEncode(k) + "=" + percentEncode(v)));
        return out.toString();
    }

    /** Signature version 1.0 of a canonical query. */
    static String sign(String accessKeySecret, String method, String canonicalQuery) throws Exception {
        String toSign = method + "&" + percentEncode("/") + "&" + percentEncode(canonicalQuery);
        return Base64.getEncoder().encodeToString(RobotHttp.hmac("HmacSHA1",
                (accessKeySecret + "&").getBytes(StandardCharsets.UTF_8), toSign));
    }

    /** RFC 3986 encoding as Alibaba Cloud defines it: space as %20, {@code *} as %2A, {@code ~} kept. */
    static String percentEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }
}
