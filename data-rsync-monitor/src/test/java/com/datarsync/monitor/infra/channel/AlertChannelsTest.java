package com.datarsync.monitor.infra.channel;

import com.datarsync.common.net.OutboundAddressPolicy;
import com.datarsync.monitor.peers.RobotPeer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.monitor.domain.AlertMessage;
import com.datarsync.monitor.domain.AlertSeverity;
import com.datarsync.monitor.domain.MessageLanguage;
import com.datarsync.monitor.peers.AliyunSmsPeer;
import com.datarsync.monitor.peers.DingTalkPeer;
import com.datarsync.monitor.peers.WeComPeer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Each channel against a peer that checks what the real service checks: GreenMail for SMTP,
 * local servers for DingTalk, WeCom, Alibaba Cloud SMS and a webhook receiver.
 */
class AlertChannelsTest {

    private static final AlertMessage FIRING = new AlertMessage("任务失败 task failed", AlertSeverity.CRITICAL, false,
            List.of(new AlertMessage.Alert("orders_to_milvus", "FAILED", "DRS-4012 The source refused the login"),
                    new AlertMessage.Alert("docs_to_milvus", "FAILED", null)), Instant.parse("2026-12-01T08:00:00Z"));
    private static final AlertMessage RESOLVED = new AlertMessage("lag", AlertSeverity.WARNING, true,
            List.of(new AlertMessage.Alert("orders_to_milvus", "800 ms", null)), Instant.parse("2026-12-01T08:05:00Z"));

    // As the local suite: public addresses, and the peers' own loopback block as the reviewed exception.
    private static final OutboundAddressPolicy POLICY = OutboundAddressPolicy.allowing(List.of("127.77.0.0/16"));
    private static final RobotHttp HTTP = new RobotHttp(POLICY);
    private final ChannelDispatcher dispatcher = new ChannelDispatcher(List.of(new EmailChannel(POLICY),
            new DingTalkChannel(Clock.systemUTC(), HTTP), new WeComChannel(HTTP),
            new AliyunSmsChannel(Clock.systemUTC(), HTTP), new WebhookChannel(Clock.systemUTC(), HTTP),
            new LogChannel()), 3, Duration.ZERO, Clock.systemUTC());

    @Test
    void dingTalkTakesASignedMarkdownMessageAndRefusesAWrongSignature() throws Exception {
        try (DingTalkPeer peer = new DingTalkPeer("tok123", "SECabc")) {
            ChannelConfig config = new ChannelConfig("ops-robot", "dingtalk", Map.of("webhook", peer.webhook(),
                    "atMobiles", "13800000000"), "SECabc", MessageLanguage.ZH_CN);
            dispatcher.validate(config);
            List<ChannelDispatcher.Attempt> attempts = dispatcher.deliver(config, FIRING);

            assertThat(attempts).singleElement().satisfies(a -> {
                assertThat(a.delivered()).isTrue();
                assertThat(a.answer()).isEqualTo("HTTP 200 errcode=0 errmsg=ok");
            });
            assertThat(peer.received()).singleElement().satisfies(r -> {
                assertThat(r.body().path("markdown").path("title").asText()).contains("严重").contains("告警")
                        .contains("任务失败 task failed");
                assertThat(r.body().path("markdown").path("text").asText()).contains("orders_to_milvus")
                        .contains("DRS-4012").contains("docs_to_milvus");
                assertThat(r.body().path("at").path("atMobiles").get(0).asText()).isEqualTo("13800000000");
            });

            ChannelConfig wrong = new ChannelConfig("ops-robot", "dingtalk", Map.of("webhook", peer.webhook()),
                    "SECwrong", MessageLanguage.EN);
            List<ChannelDispatcher.Attempt> refused = dispatcher.deliver(wrong, FIRING);
            assertThat(refused).hasSize(3).allSatisfy(a -> {
                assertThat(a.delivered()).isFalse();
                assertThat(a.answer()).contains("310000").contains("sign not match").doesNotContain("SECwrong");
            });
            assertThat(refused).extracting(ChannelDispatcher.Attempt::number).containsExactly(1, 2, 3);
            assertThat(peer.received()).hasSize(1);
        }
    }

    @Test
    void weComTakesMarkdownWithinItsLimitAndRefusesAnUnknownKey() throws Exception {
        try (WeComPeer peer = new WeComPeer("key-693axxx")) {
            ChannelConfig config = new ChannelConfig("wecom", "wecom", Map.of("url", peer.url()), "key-693axxx",
                    MessageLanguage.EN);
            assertThat(dispatcher.deliver(config, RESOLVED)).singleElement()
                    .satisfies(a -> assertThat(a.delivered()).isTrue());
            assertThat(peer.received().get(0).body().path("markdown").path("content").asText())
                    .contains("[Warning] [RESOLVED] lag").contains("orders_to_milvus: value 800 ms");

            // Many alerts: the message is cut to WeCom's 4,096 bytes, not refused.
            List<AlertMessage.Alert> many = java.util.stream.IntStream.range(0, 400)
                    .mapToObj(i -> new AlertMessage.Alert("任务_" + i, "FAILED", "很长的错误信息 " + i)).toList();
            assertThat(dispatcher.deliver(config, new AlertMessage("big", AlertSeverity.CRITICAL, false, many,
                    Instant.now()))).singleElement().satisfies(a -> assertThat(a.delivered()).isTrue());
            assertThat(peer.received().get(1).body().path("markdown").path("content").asText()
                    .getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);

            List<ChannelDispatcher.Attempt> refused = dispatcher.deliver(new ChannelConfig("wecom", "wecom",
                    Map.of("url", peer.url()), "not-the-key", MessageLanguage.EN), RESOLVED);
            assertThat(refused).hasSize(3).allSatisfy(a -> assertThat(a.answer()).contains("93000")
                    .doesNotContain("not-the-key"));
        }
    }

    @Test
    void aliyunSmsIsSignedAsTheApiRequiresAndEachNonceIsFresh() throws Exception {
        try (AliyunSmsPeer peer = new AliyunSmsPeer("LTAI5tExample", "s3cr3tKey", "数据同步", "SMS_123456789")) {
            ChannelConfig config = new ChannelConfig("oncall-sms", "aliyun-sms", Map.of("endpoint", peer.endpoint(),
                    "accessKeyId", "LTAI5tExample", "signName", "数据同步", "templateCode", "SMS_123456789",
                    "phoneNumbers", "13800000000, 13900000000"), "s3cr3tKey", MessageLanguage.ZH_CN);
            dispatcher.validate(config);
            assertThat(dispatcher.deliver(config, FIRING)).singleElement().satisfies(a -> {
                assertThat(a.delivered()).as(a.answer()).isTrue();
                assertThat(a.answer()).startsWith("HTTP 200 Code=OK Message=OK BizId=");
            });
            assertThat(dispatcher.deliver(config, RESOLVED)).singleElement()
                    .satisfies(a -> assertThat(a.delivered()).isTrue());
            assertThat(peer.received()).hasSize(2);
            Map<String, String> sent = peer.received().get(0).params();
            assertThat(sent.get("PhoneNumbers")).isEqualTo("13800000000,13900000000");
            assertThat(sent.get("TemplateParam")).contains("\"severity\":\"严重\"").contains("\"count\":\"2\"")
                    .contains("\"subject\":\"orders_to_milvus\"");
            assertThat(peer.received().get(1).params().get("SignatureNonce")).isNotEqualTo(sent.get("SignatureNonce"));

            ChannelConfig wrongSecret = new ChannelConfig("oncall-sms", "aliyun-sms", config.settings(), "other",
                    MessageLanguage.ZH_CN);
            assertThat(dispatcher.deliver(wrongSecret, FIRING)).hasSize(3).allSatisfy(a -> {
                assertThat(a.delivered()).isFalse();
                assertThat(a.answer()).startsWith("HTTP 400 Code=SignatureDoesNotMatch");
            });
            // A clock 20 minutes off: the API refuses the timestamp.
            AliyunSmsChannel late = new AliyunSmsChannel(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20)), HTTP);
            assertThat(late.send(config, FIRING).answer()).contains("InvalidTimeStamp.Expired");
            ChannelConfig wrongTemplate = new ChannelConfig("oncall-sms", "aliyun-sms", Map.of("endpoint",
                    peer.endpoint(), "accessKeyId", "LTAI5tExample", "signName", "数据同步", "templateCode",
                    "SMS_000", "phoneNumbers", "13800000000"), "s3cr3tKey", MessageLanguage.ZH_CN);
            assertThat(dispatcher.deliver(wrongTemplate, FIRING).get(0).answer()).contains("isv.SMS_TEMPLATE_ILLEGAL");
        }
    }

    @Test
    void eMailGoesOverSmtpsWithAuthenticationAndAWrongPasswordIsARefusal() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, RobotPeer.ADDRESS, ServerSetup.PROTOCOL_SMTPS));
        smtp.setUser("alerts@datarsync.local", "alerts", "mail-pass-1");
        smtp.start();
        try {
            ChannelConfig config = new ChannelConfig("ops-mail", "email", Map.of("host", RobotPeer.ADDRESS, "port",
                    Integer.toString(smtp.getSmtps().getPort()), "security", "ssl", "trust", RobotPeer.ADDRESS,
                    "username", "alerts", "from", "alerts@datarsync.local", "to", "ops@example.com, dba@example.com"),
                    "mail-pass-1", MessageLanguage.EN);
            dispatcher.validate(config);
            assertThat(dispatcher.deliver(config, FIRING)).singleElement().satisfies(a -> {
                assertThat(a.delivered()).isTrue();
                assertThat(a.answer()).startsWith("250");
            });
            MimeMessage[] mails = smtp.getReceivedMessages();
            assertThat(mails).hasSize(2);
            assertThat(mails[0].getSubject()).isEqualTo("[Data Rsync] [Critical] [FIRING] 任务失败 task failed (2)");
            assertThat(GreenMailUtil.getBody(mails[0])).contains("orders_to_milvus");

            ChannelConfig wrong = new ChannelConfig("ops-mail", "email", config.settings(), "nope", MessageLanguage.EN);
            assertThat(dispatcher.deliver(wrong, FIRING)).hasSize(3).allSatisfy(a -> {
                assertThat(a.delivered()).isFalse();
                assertThat(a.answer()).startsWith("refused by the server").doesNotContain("nope")
                        .doesNotContainPattern("[A-Za-z]+Exception");
            });
            assertThat(smtp.getReceivedMessages()).hasSize(2);
        } finally {
            smtp.stop();
        }
    }

    @Test
    void eMailToAnSmtpServerThatIsDownIsRetriedAndRecordedAsUnreachable() throws Exception {
        ChannelConfig config = new ChannelConfig("ops-mail", "email", Map.of("host", RobotPeer.ADDRESS, "port", "1",
                "security", "none", "from", "a@datarsync.local", "to", "ops@example.com"), null, MessageLanguage.EN);
        List<ChannelDispatcher.Attempt> attempts = dispatcher.deliver(config, FIRING);
        assertThat(attempts).hasSize(3).allSatisfy(a -> {
            assertThat(a.delivered()).isFalse();
            assertThat(a.answer()).startsWith("not reached: ").contains("onnect")
                    .doesNotContainPattern("[A-Za-z]+Exception");
        });
    }

    @Test
    void aWebhookIsSignedSoItsReceiverCanCheckIt() throws Exception {
        List<String[]> got = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(RobotPeer.ADDRESS, 0), 0);
        server.createContext("/hook", exchange -> {
            got.add(new String[] {exchange.getRequestHeaders().getFirst("X-DataRsync-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-DataRsync-Signature"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            ChannelConfig config = new ChannelConfig("hook", "webhook", Map.of("url", "http://" + RobotPeer.ADDRESS + ":"
                    + server.getAddress().getPort() + "/hook"), "hook-secret", MessageLanguage.EN);
            assertThat(dispatcher.deliver(config, FIRING)).singleElement().satisfies(a -> assertThat(a.delivered())
                    .isTrue());
            String[] request = got.get(0);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("hook-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertThat(request[1]).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal((request[0] + "."
                    + request[2]).getBytes(StandardCharsets.UTF_8))));
            assertThat(request[2]).contains("\"severity\":\"CRITICAL\"").contains("\"subject\":\"docs_to_milvus\"");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void noChannelReachesTheSuitesOwnAddressesAndNoAnswerCarriesTheRemoteBody() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer inside = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpServer outside = HttpServer.create(new InetSocketAddress(RobotPeer.ADDRESS, 0), 0);
        for (HttpServer server : List.of(inside, outside)) {
            server.createContext("/", exchange -> {
                calls.incrementAndGet();
                byte[] body = "up{job=\"internal\"} 1 secret-metric".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }
        try {
            String prometheusLike = "http://127.0.0.1:" + inside.getAddress().getPort() + "/api/v1/query?query=up";
            for (ChannelConfig config : List.of(
                    new ChannelConfig("hook", "webhook", Map.of("url", prometheusLike), null, MessageLanguage.EN),
                    new ChannelConfig("hook", "webhook", Map.of("url", "http://localhost:"
                            + inside.getAddress().getPort() + "/"), null, MessageLanguage.EN),
                    new ChannelConfig("robot", "dingtalk", Map.of("webhook", prometheusLike + "&access_token=t"), "SEC",
                            MessageLanguage.EN),
                    new ChannelConfig("mail", "email", Map.of("host", "127.0.0.1", "port", Integer.toString(
                            inside.getAddress().getPort()), "security", "none", "from", "a@datarsync.local", "to",
                            "ops@example.com"), null, MessageLanguage.EN))) {
                assertThatThrownBy(() -> dispatcher.validate(config)).as(config.kind())
                        .hasMessageContaining("refused").hasMessageContaining("loopback");
                assertThat(dispatcher.deliver(config, FIRING)).as(config.kind()).allSatisfy(a -> {
                    assertThat(a.delivered()).isFalse();
                    assertThat(a.answer()).contains("refused").doesNotContain("secret-metric");
                });
            }
            assertThat(calls).as("requests that reached the suite's own address").hasValue(0);

            ChannelConfig allowed = new ChannelConfig("hook", "webhook", Map.of("url", "http://" + RobotPeer.ADDRESS
                    + ":" + outside.getAddress().getPort() + "/"), null, MessageLanguage.EN);
            assertThat(dispatcher.deliver(allowed, FIRING)).hasSize(3).allSatisfy(a -> assertThat(a.answer())
                    .isEqualTo("HTTP 500"));
            assertThat(calls).hasValue(3);
        } finally {
            inside.stop(0);
            outside.stop(0);
        }
    }

    @Test
    void aConfigurationIsRefusedNamingTheSettingBeforeItIsStored() {
        assertThatThrownBy(() -> dispatcher.validate(new ChannelConfig("x", "dingtalk", Map.of("webhook",
                "http://robot.example.com/robot/send?access_token=t"), "SEC", MessageLanguage.EN)))
                .hasMessageContaining("settings.webhook must be an https:// URL");
        assertThatThrownBy(() -> dispatcher.validate(new ChannelConfig("x", "aliyun-sms", Map.of("accessKeyId", "a",
                "signName", "s", "templateCode", "t", "phoneNumbers", "call me"), "k", MessageLanguage.EN)))
                .hasMessageContaining("settings.phoneNumbers");
        assertThatThrownBy(() -> dispatcher.validate(new ChannelConfig("x", "email", Map.of("host", "smtp.example.com",
                "security", "none", "from", "a@b.c", "to", "d@e.f"), null, MessageLanguage.EN)))
                .hasMessageContaining("settings.security none");
        assertThatThrownBy(() -> dispatcher.validate(new ChannelConfig("x", "pager", Map.of(), null,
                MessageLanguage.EN))).hasMessageContaining("kind 'pager' is not one of");
        assertThat(new ChannelConfig("x", "wecom", Map.of(), "the-key", MessageLanguage.EN).toString())
                .doesNotContain("the-key");
    }
}
