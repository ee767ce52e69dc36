package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.AuthClient.call;
import static com.datarsync.deploy.suite.AuthClient.read;
import static com.datarsync.deploy.suite.SuiteProcesses.gateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.monitor.peers.AliyunSmsPeer;
import com.datarsync.monitor.peers.DingTalkPeer;
import com.datarsync.monitor.peers.RobotPeer;
import com.datarsync.monitor.peers.WeComPeer;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An alert rule end to end, through the gateway, on a real task: the task fails (its PostgreSQL
 * replication slot was dropped while it was stopped) and the monitor, reading Prometheus, sends
 * one message through e-mail (GreenMail), DingTalk, WeCom and Alibaba Cloud SMS (local peers that
 * check what those services check), the e-mail and the SMS also to the user of the rule's role;
 * it repeats at the rule's interval, stays quiet while silenced, and sends a resolved message
 * once a full sync brings the task back.
 */
class AlertRulesIT extends RunningSuite {

    @Test
    void aRuleFiresOnceForAFailedTaskRepeatsStaysQuietWhileSilencedAndResolves() throws Exception {
        // The test outlasts an access token: each call asks AdminSession, which renews it.
        String run = runId();
        String taskId = "alerted_" + run;
        GreenMail smtp = new GreenMail(new ServerSetup(0, RobotPeer.ADDRESS, ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        List<Long> channelIds = new ArrayList<>();
        Long ruleId = null;
        Long quietRuleId = null;
        String loud = "failed " + taskId;
        String quiet = "quiet " + taskId;
        Long onCallUser = null;
        String role = "ONCALL_" + run.toUpperCase();
        PostgresE2eTable source = new PostgresE2eTable();
        source.create("alerted_docs", "CREATE TABLE alerted_docs (id INT PRIMARY KEY, title TEXT, body TEXT)",
                "ALTER TABLE alerted_docs REPLICA IDENTITY FULL",
                "INSERT INTO alerted_docs VALUES (1, 'one', 'a'), (2, 'two', 'b')");
        try (DingTalkPeer ding = new DingTalkPeer("tok-" + run, "SEC" + run);
             WeComPeer wecom = new WeComPeer("key-" + run);
             AliyunSmsPeer sms = new AliyunSmsPeer("LTAI" + run, "akSecret" + run, "数据同步", "SMS_42");
             DataPathClient client = new DataPathClient(); Connection db = source.connect();
             Statement sql = db.createStatement()) {
            try {
                channelIds.add(channel(AdminSession.accessToken(), "{\"name\":\"mail-" + run + "\",\"kind\":\"email\",\"language\":\"en\","
                        + "\"settings\":{\"host\":\"" + RobotPeer.ADDRESS + "\",\"port\":\"" + smtp.getSmtp().getPort() + "\","
                        + "\"security\":\"none\",\"from\":\"alerts@datarsync.local\",\"to\":\"ops@example.com\"}}"));
                channelIds.add(channel(AdminSession.accessToken(), "{\"name\":\"ding-" + run + "\",\"kind\":\"dingtalk\",\"secret\":\"SEC"
                        + run + "\",\"settings\":{\"webhook\":\"" + ding.webhook() + "\"}}"));
                channelIds.add(channel(AdminSession.accessToken(), "{\"name\":\"wecom-" + run + "\",\"kind\":\"wecom\",\"secret\":\"key-"
                        + run + "\",\"settings\":{\"url\":\"" + wecom.url() + "\"}}"));
                channelIds.add(channel(AdminSession.accessToken(), "{\"name\":\"sms-" + run + "\",\"kind\":\"aliyun-sms\",\"secret\":\"akSecret"
                        + run + "\",\"settings\":{\"endpoint\":\"" + sms.endpoint() + "\",\"accessKeyId\":\"LTAI"
                        + run + "\",\"signName\":\"数据同步\",\"templateCode\":\"SMS_42\",\"phoneNumbers\":\"13800000000\"}}"));
                // No answer carries a secret; each says one is stored.
                JsonNode listed = read(call("GET", gateway("/api/monitor/alerts/channels"), AdminSession.accessToken(), null).body());
                assertThat(listed.toString()).doesNotContain("SEC" + run).doesNotContain("key-" + run)
                        .doesNotContain("akSecret" + run);
                HttpResponse<String> tested = call("POST", gateway("/api/monitor/alerts/channels/" + channelIds.get(1)
                        + "/test"), AdminSession.accessToken(), null);
                assertThat(tested.statusCode()).as(tested.body()).isEqualTo(200);
                assertThat(read(tested.body()).get(0).path("delivered").asBoolean()).as(tested.body()).isTrue();
                assertThat(ding.received()).hasSize(1);

                // A role whose user is on call: the rule's e-mail and SMS channels reach them too.
                String onCallMail = "oncall-" + run + "@example.com";
                String onCallPhone = "+86139" + String.format("%08d", Math.floorMod(run.hashCode(), 100_000_000));
                HttpResponse<String> created = call("POST", gateway("/api/auth/roles"), AdminSession.accessToken(),
                        "{\"code\":\"" + role + "\",\"nameEn\":\"On call\",\"nameZh\":\"值班\",\"dataScope\":\"ASSIGNED\","
                                + "\"permissions\":[\"monitor:read\"]}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                created = call("POST", gateway("/api/auth/users"), AdminSession.accessToken(), "{\"username\":\"oncall"
                        + run + "\",\"password\":\"Pw-oncall-" + run + "-X9z\",\"roles\":[\"" + role + "\"],\"email\":\""
                        + onCallMail + "\",\"phone\":\"" + onCallPhone + "\"}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                onCallUser = read(created.body()).path("id").asLong();
                assertThat(read(created.body()).path("email").asText()).isEqualTo(onCallMail);
                // A role reached through robots only is refused: they post to one room, not to people.
                HttpResponse<String> robotsOnly = call("POST", gateway("/api/monitor/alerts/rules"), AdminSession.accessToken(),
                        "{\"name\":\"robots " + run + "\",\"kind\":\"TASK_FAILED\",\"severity\":\"INFO\",\"channels\":[\"ding-"
                                + run + "\"],\"roles\":[\"" + role + "\"]}");
                assertThat(robotsOnly.statusCode()).as(robotsOnly.body()).isEqualTo(400);
                HttpResponse<String> unknownRole = call("POST", gateway("/api/monitor/alerts/rules"), AdminSession.accessToken(),
                        "{\"name\":\"nobody " + run + "\",\"kind\":\"TASK_FAILED\",\"severity\":\"INFO\",\"channels\":[\"mail-"
                                + run + "\"],\"roles\":[\"NO_SUCH_ROLE_" + run.toUpperCase() + "\"]}");
                assertThat(unknownRole.statusCode()).as(unknownRole.body()).isEqualTo(400);
                assertThat(unknownRole.body()).contains("no role");

                client.startTask(source.definitionFor(taskId, "alerted_docs", List.of("title", "content")));
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(taskId) == 2);
                HttpResponse<String> rule = call("POST", gateway("/api/monitor/alerts/rules"), AdminSession.accessToken(), "{\"name\":\"failed "
                        + taskId + "\",\"kind\":\"TASK_FAILED\",\"taskId\":\"" + taskId + "\",\"forSeconds\":0,"
                        + "\"repeatSeconds\":60,\"severity\":\"CRITICAL\",\"channels\":[\"mail-" + run + "\",\"ding-"
                        + run + "\",\"wecom-" + run + "\",\"sms-" + run + "\"],\"roles\":[\"" + role + "\"]}");
                assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);
                ruleId = read(rule.body()).path("id").asLong();
                // A second rule on the same task, to DingTalk only, silenced once it has fired: the
                // silence is checked while the first rule's repeat interval runs, not after it.
                HttpResponse<String> quietRule = call("POST", gateway("/api/monitor/alerts/rules"),
                        AdminSession.accessToken(), "{\"name\":\"" + quiet + "\",\"kind\":\"TASK_FAILED\",\"taskId\":\""
                                + taskId + "\",\"forSeconds\":0,\"repeatSeconds\":60,\"severity\":\"WARNING\","
                                + "\"channels\":[\"ding-" + run + "\"]}");
                assertThat(quietRule.statusCode()).as(quietRule.body()).isEqualTo(201);
                quietRuleId = read(quietRule.body()).path("id").asLong();

                // The task fails: stopped, its slot dropped behind its back, started again.
                assertThat(client.action(taskId, "stop").statusCode()).isEqualTo(200);
                awaitState(client, taskId, "STOPPED");
                await("slot dropped").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    try (ResultSet rs = sql.executeQuery("SELECT pg_drop_replication_slot(slot_name) FROM "
                            + "pg_replication_slots WHERE slot_name = 'drs_" + taskId + "' AND NOT active")) {
                        rs.next();
                    }
                    try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = "
                            + "'drs_" + taskId + "'")) {
                        return rs.next() && rs.getInt(1) == 0;
                    }
                });
                assertThat(client.action(taskId, "start").statusCode()).isEqualTo(200);
                awaitState(client, taskId, "FAILED");

                // Fires: one message in every channel; the e-mail and the SMS reach the role's user too
                // (GreenMail keeps one copy per recipient). The quiet rule fires to DingTalk.
                await("the firing message").atMost(Duration.ofSeconds(90)).until(() -> firing(ding, loud) == 1
                        && firing(wecom, loud) == 1 && sms.received().size() == 1 && smtp.getReceivedMessages().length == 2
                        && firing(ding, quiet) == 1);
                Instant fired = Instant.now();
                // The quiet rule silenced past its next repeat.
                HttpResponse<String> silence = call("POST", gateway("/api/monitor/alerts/silences"), AdminSession.accessToken(),
                        "{\"ruleId\":" + quietRuleId + ",\"subject\":\"" + taskId + "\",\"endsAt\":\""
                                + Instant.now().plusSeconds(600) + "\",\"reason\":\"maintenance window\"}");
                assertThat(silence.statusCode()).as(silence.body()).isEqualTo(201);
                MimeMessage mail = smtp.getReceivedMessages()[0];
                assertThat(mail.getSubject()).contains("[Critical] [FIRING] " + loud);
                assertThat(java.util.Arrays.stream(mail.getAllRecipients()).map(Object::toString))
                        .containsExactlyInAnyOrder("ops@example.com", onCallMail);
                assertThat(smtp.getReceivedMessagesForDomain("example.com")).hasSize(2);
                assertThat(sms.received().get(0).params().get("TemplateParam")).contains("\"subject\":\"" + taskId + "\"")
                        .contains("\"state\":\"告警\"");
                assertThat(sms.received().get(0).params().get("PhoneNumbers")).isEqualTo("13800000000," + onCallPhone);

                // Repeats at its interval (60 s), not before: a repeat sooner than 45 s fails here.
                await("the repeat").atMost(Duration.ofSeconds(90)).until(() -> firing(ding, loud) == 2);
                long repeatedAfter = Duration.between(fired, Instant.now()).toSeconds();
                assertThat(repeatedAfter).isBetween(45L, 90L);

                // The silenced rule: nothing past its repeat, which fell due in the round that sent the
                // first rule's (a few seconds allowed for its delivery); once the silence ends, the
                // still firing alert is sent.
                Thread.sleep(5_000);
                assertThat(firing(ding, quiet)).as("silenced").isEqualTo(1);
                assertThat(call("DELETE", gateway("/api/monitor/alerts/silences/" + read(silence.body()).path("id")
                        .asLong()), AdminSession.accessToken(), null).statusCode()).isEqualTo(204);
                await("sent once the silence ended").atMost(Duration.ofSeconds(45)).until(() -> firing(ding, quiet) == 2);

                // Recovers: a full sync runs the task again; one resolved message per rule and channel.
                assertThat(client.action(taskId, "full-sync").statusCode()).isEqualTo(200);
                awaitState(client, taskId, "RUNNING");
                await("the resolved message").atMost(Duration.ofSeconds(90)).until(() -> resolved(ding, loud) == 1
                        && resolved(wecom, loud) == 1 && smtp.getReceivedMessages().length == 6
                        && resolved(ding, quiet) == 1);
                assertThat(smtp.getReceivedMessages()[5].getSubject()).contains("[RESOLVED] " + loud);
                Thread.sleep(10_000);
                assertThat(resolved(ding, loud)).isEqualTo(1);
                assertThat(firing(ding, loud)).isEqualTo(2);
                assertThat(firing(ding, quiet)).isEqualTo(2);

                // The history has every message through every channel, with the channel's answer.
                JsonNode history = read(call("GET", gateway("/api/monitor/alerts/history?ruleId=" + ruleId), AdminSession.accessToken(), null)
                        .body());
                assertThat(history).hasSize(3 * 4);
                history.forEach(h -> assertThat(h.path("delivered").asBoolean()).as(h.toString()).isTrue());
                // Each answer is the status and the service's own result fields, not its body.
                assertThat(history.toString()).contains("HTTP 200 errcode=0 errmsg=ok").contains("HTTP 200 Code=OK")
                        .contains("250").doesNotContain("{\\\"errcode");
                System.out.printf("ALERTS rules %d and %d on %s: fired, repeated after %d s; silenced, sent on "
                        + "unsilence; resolved; %d deliveries recorded for the first%n", ruleId, quietRuleId, taskId,
                        repeatedAfter, history.size());
            } finally {
                for (Long id : java.util.Arrays.asList(ruleId, quietRuleId)) {
                    if (id != null) {
                        call("DELETE", gateway("/api/monitor/alerts/rules/" + id), AdminSession.accessToken(), null);
                    }
                }
                for (long id : channelIds) {
                    call("DELETE", gateway("/api/monitor/alerts/channels/" + id), AdminSession.accessToken(), null);
                }
                if (onCallUser != null) {
                    call("DELETE", gateway("/api/auth/users/" + onCallUser), AdminSession.accessToken(), null);
                }
                call("DELETE", gateway("/api/auth/roles/" + role), AdminSession.accessToken(), null);
                client.deleteTask(taskId, true);
                source.dropCaptureState(taskId);
                smtp.stop();
            }
        }
    }

    private static long channel(String admin, String json) {
        HttpResponse<String> created = call("POST", gateway("/api/monitor/alerts/channels"), admin, json);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode view = read(created.body());
        assertThat(view.has("secret")).isFalse();
        return view.path("id").asLong();
    }

    /** Firing messages of the rule a robot peer took (its Markdown title says FIRING / 告警 and the rule). */
    private static long firing(RobotPeer peer, String rule) {
        return messages(peer, rule, false);
    }

    private static long resolved(RobotPeer peer, String rule) {
        return messages(peer, rule, true);
    }

    private static long messages(RobotPeer peer, String rule, boolean resolved) {
        return peer.received().stream().map(r -> r.body().path("markdown"))
                .map(m -> m.path("text").asText(m.path("content").asText()))
                .filter(text -> text.contains("] " + rule))
                .filter(text -> resolved == (text.contains("已恢复") || text.contains("RESOLVED"))).count();
    }

    private static void awaitState(DataPathClient client, String taskId, String state) {
        await(taskId + " " + state).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> state.equals(client.taskStatus(taskId).path("state").asText()));
    }
}
