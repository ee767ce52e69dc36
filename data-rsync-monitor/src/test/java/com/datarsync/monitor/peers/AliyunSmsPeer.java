package com.datarsync.monitor.peers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Alibaba Cloud's SMS API (dysmsapi, {@code Action=SendSms}, version 2017-05-25) as its RPC
 * signature documentation describes the server side: it rebuilds the string to sign from the
 * request's own parameters (all but {@code Signature}, sorted, percent-encoded) and compares the
 * HMAC-SHA1 under the AccessKey secret + "&"; refuses an unknown AccessKeyId, a timestamp more
 * than 15 minutes off, a nonce seen before, a missing parameter, a sign name or template that
 * was not approved, and a TemplateParam that is not JSON; answers with the API's codes.
 */
public final class AliyunSmsPeer extends RobotPeer {

    private final String accessKeyId;
    private final String accessKeySecret;
    private final String signName;
    private final String templateCode;
    private final Set<String> nonces = new HashSet<>();

    public AliyunSmsPeer(String accessKeyId, String accessKeySecret, String signName, String templateCode)
            throws IOException {
        super("/");
        this.accessKeyId = accessKeyId;
        this.accessKeySecret = accessKeySecret;
        this.signName = signName;
        this.templateCode = templateCode;
    }

    public String endpoint() {
        return baseUrl() + "/";
    }

    @Override
    protected synchronized Answer answer(String method, String rawQuery, Map<String, String> params, JsonNode body)
            throws Exception {
        String requestId = UUID.randomUUID().toString().toUpperCase();
        for (String required : new String[] {"AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce",
                "SignatureVersion", "Timestamp", "Version", "Signature", "PhoneNumbers", "SignName", "TemplateCode"}) {
            if (!params.containsKey(required) || params.get(required).isEmpty()) {
                return error(400, requestId, "MissingParameter", "The input parameter \\\"" + required
                        + "\\\" that is mandatory for processing this request is not supplied.");
            }
        }
        if (!"SendSms".equals(params.get("Action")) || !"2017-05-25".equals(params.get("Version"))) {
            return error(404, requestId, "InvalidAction.NotFound", "Specified api is not found, please check your url "
                    + "and method.");
        }
        if (!accessKeyId.equals(params.get("AccessKeyId"))) {
            return error(404, requestId, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }
        if (!"HMAC-SHA1".equals(params.get("SignatureMethod")) || !"1.0".equals(params.get("SignatureVersion"))) {
            return error(400, requestId, "InvalidSignatureMethod", "Specified signature method is not supported.");
        }
        Instant timestamp;
        try {
            timestamp = Instant.parse(params.get("Timestamp"));
        } catch (RuntimeException e) {
            return error(400, requestId, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well "
                    + "formatted.");
        }
        if (Math.abs(Instant.now().getEpochSecond() - timestamp.getEpochSecond()) > 900) {
            return error(400, requestId, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
        }
        TreeMap<String, String> signed = new TreeMap<>(params);
        signed.remove("Signature");
        StringJoiner query = new StringJoiner("&");
        signed.forEach((k, v) -> query.add(encode(k) + "=" + encode(v)));
        String toSign = method + "&" + encode("/") + "&" + encode(query.toString());
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec((accessKeySecret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        if (!expected.equals(params.get("Signature"))) {
            return error(400, requestId, "SignatureDoesNotMatch", "Specified signature is not matched with our "
                    + "calculation. server string to sign is:" + toSign);
        }
        if (!nonces.add(params.get("SignatureNonce"))) {
            return error(400, requestId, "SignatureNonceUsed", "Specified signature nonce was used already.");
        }
        if (!signName.equals(params.get("SignName"))) {
            return ok(requestId, "isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名");
        }
        if (!templateCode.equals(params.get("TemplateCode"))) {
            return ok(requestId, "isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板");
        }
        if (!params.get("PhoneNumbers").matches("\\+?[0-9]{5,20}(,\\+?[0-9]{5,20})*")) {
            return ok(requestId, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号");
        }
        try {
            if (!JSON.readTree(params.getOrDefault("TemplateParam", "{}")).isObject()) {
                throw new IOException("not an object");
            }
        } catch (IOException e) {
            return ok(requestId, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值");
        }
        return new Answer(200, "{\"Message\":\"OK\",\"RequestId\":\"" + requestId + "\",\"Code\":\"OK\",\"BizId\":\""
                + System.nanoTime() + "^0\"}", true);
    }

    /** A business refusal: HTTP 200 with the code, as the API answers them. */
    private static Answer ok(String requestId, String code, String message) {
        return new Answer(200, "{\"Message\":\"" + message + "\",\"RequestId\":\"" + requestId + "\",\"Code\":\"" + code
                + "\"}");
    }

    private static Answer error(int status, String requestId, String code, String message) {
        return new Answer(status, "{\"RequestId\":\"" + requestId + "\",\"HostId\":\"dysmsapi.aliyuncs.com\",\"Code\":\""
                + code + "\",\"Message\":\"" + message + "\",\"Recommend\":\"https://api.aliyun.com/troubleshoot?q="
                + code + "\"}");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }
}
