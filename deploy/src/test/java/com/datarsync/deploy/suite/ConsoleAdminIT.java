package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.AuthClient.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.monitor.peers.RobotPeer;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The console's administration pages in a real browser: the overview (source health, charts);
 * alerts: a webhook channel made in the browser whose "send a test message" reaches a receiver
 * this test runs (the body signed with the secret typed in the browser), a rule and a silence;
 * a user made in the browser with a role and a data source, as the API then reads it; the audit
 * log filtered to that creation (`user.create` by admin, naming the user); the user changing their own password (the old one refused
 * after). Each page is photographed in both languages.
 */
class ConsoleAdminIT extends RunningSuite {

    @Test
    void alertsUsersAuditAndPasswordFromTheBrowser() throws Exception {
        String run = runId();
        Instant started = Instant.now().minusSeconds(2);
        String secret = "hook-secret-" + run;
        List<String[]> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(RobotPeer.ADDRESS, 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String[] {new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("X-DataRsync-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-DataRsync-Signature")});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String channelName = "hook-" + run;
        String ruleName = "failed-" + run;
        String username = "ops" + run;
        String password = "Pw-ops-" + run + "-X9z";
        String newPassword = "Pw-new-" + run + "-Y8w";
        long sourceId = new MariaDbE2eTable().dataSourceId();
        try (ConsoleBrowser browser = new ConsoleBrowser()) {
            browser.login("admin", AuthClient.adminPassword());
            browser.language("en");
            browser.waitUntil(Duration.ofSeconds(30), d -> browser.shown("overview-health-e2e-mariadb")
                    && browser.text("overview-health-e2e-mariadb").equals("Healthy"));
            assertThat(browser.byTest("overview-rows-chart").findElements(By.tagName("canvas"))).isNotEmpty();

            // Alerts: a channel, its test message, a rule, a silence.
            browser.page("/alerts");
            browser.driver().findElement(By.id("tab-channels")).click();
            browser.click("channel-create");
            browser.type("channel-name", channelName);
            browser.pick("channel-kind", "channel-kind-webhook");
            browser.type("channel-setting-url", "http://" + RobotPeer.ADDRESS + ":" + receiver.getAddress().getPort() + "/hook");
            browser.type("channel-secret", secret);
            browser.click("channel-save");
            browser.click("channel-test-" + channelName);
            browser.waitForText("channel-test-delivered-1", "Yes");
            assertThat(received).as("the test message reached the receiver").hasSize(1);
            String[] message = received.get(0);
            assertThat(message[2]).isEqualTo("sha256=" + hmac(secret, message[1] + "." + message[0]));
            assertThat(message[0]).contains(channelName);
            browser.screenshot("alert-channel-test.en");
            browser.driver().navigate().refresh();

            browser.click("rule-create");
            browser.type("rule-name", ruleName);
            browser.pick("rule-channels", "rule-channel-" + channelName);
            browser.click("rule-name");
            browser.click("rule-save");
            browser.byTest("rule-" + ruleName);
            JsonNode rule = find(JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/monitor/alerts/rules")).body()),
                    "name", ruleName);
            assertThat(rule.path("kind").asText()).isEqualTo("TASK_FAILED");
            assertThat(rule.path("channels")).extracting(JsonNode::asText).containsExactly(channelName);

            browser.driver().findElement(By.id("tab-silences")).click();
            browser.click("silence-create");
            browser.type("silence-reason", "maintenance " + run);
            browser.click("silence-save");
            browser.byTest("silence-maintenance " + run);
            browser.screenshot("alerts.en");
            browser.language("zh-CN");
            browser.driver().findElement(By.id("tab-rules")).click();
            browser.byTest("rule-" + ruleName);
            browser.screenshot("alerts.zh-CN");
            browser.language("en");

            // Users: a viewer assigned the MariaDB source.
            browser.page("/users");
            browser.click("user-create");
            browser.type("user-form-username", username);
            browser.type("user-form-password", password);
            browser.pick("user-form-sources", "user-source-e2e-mariadb");
            browser.click("user-form-username");
            browser.click("user-form-save");
            browser.byTest("user-" + username);
            JsonNode user = find(JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/auth/users?q=" + username))
                    .body()).path("items"), "username", username);
            assertThat(user.path("roles")).extracting(JsonNode::asText).containsExactly("VIEWER");
            assertThat(user.path("dataSourceIds")).extracting(JsonNode::asLong).containsExactly(sourceId);
            browser.screenshot("users.en");
            browser.driver().findElement(By.id("tab-roles")).click();
            browser.screenshot("roles.en");
            browser.language("zh-CN");
            browser.screenshot("roles.zh-CN");
            browser.driver().findElement(By.id("tab-users")).click();
            browser.screenshot("users.zh-CN");

            // The audit log holds that creation, by admin, since this test began.
            browser.page("/audit");
            browser.type("audit-actor", "admin");
            browser.type("audit-action", "user.create");
            browser.click("audit-search");
            browser.click("audit-verify");
            browser.byTest("audit-chain");
            JsonNode newest = JSON.readTree(call("GET", SuiteProcesses.gateway(
                    "/api/auth/audit?actor=admin&action=user.create&size=1"), AdminSession.accessToken(), null)
                    .body()).path("items").get(0);
            assertThat(newest.path("resource").asText()).isEqualTo("user:" + username);
            assertThat(Instant.parse(newest.path("occurredAt").asText())).isAfter(started);
            browser.waitUntil(Duration.ofSeconds(20), d -> browser.driver().findElements(By.cssSelector(
                    "[data-test='audit-entries'] tbody tr")).get(0).getText().contains("user:" + username));
            browser.screenshot("audit.zh-CN");
            browser.language("en");
            browser.screenshot("audit.en");
            browser.byTest("logout").click();

            // The new user changes their own password: every session ends, the old password is refused.
            browser.login(username, password);
            assertThat(browser.shown("menu-users")).isFalse();
            browser.click("change-password");
            browser.type("password-current", password);
            browser.type("password-new", newPassword);
            browser.type("password-again", newPassword);
            browser.click("password-save");
            browser.byTest("login");
            assertThat(AuthClient.login(SuiteProcesses.gateway("/"), username, password).statusCode()).isEqualTo(401);
            browser.login(username, newPassword);
            browser.waitForText("welcome", username);
        } finally {
            receiver.stop(0);
            String admin = AdminSession.accessToken();
            JsonNode users = JSON.readTree(call("GET", SuiteProcesses.gateway("/api/auth/users?q=" + username), admin, null)
                    .body()).path("items");
            for (JsonNode u : users) {
                call("DELETE", SuiteProcesses.gateway("/api/auth/users/" + u.path("id").asLong()), admin, null);
            }
            deleteWhere("/api/monitor/alerts/rules", "name", ruleName);
            deleteWhere("/api/monitor/alerts/channels", "name", channelName);
            deleteWhere("/api/monitor/alerts/silences", "reason", "maintenance " + run);
        }
    }

    /** Deletes, as the administrator, every item of the list whose field has the value. */
    private static void deleteWhere(String list, String field, String value) throws Exception {
        String admin = AdminSession.accessToken();
        for (JsonNode item : JSON.readTree(call("GET", SuiteProcesses.gateway(list), admin, null).body())) {
            if (item.path(field).asText().equals(value)) {
                call("DELETE", SuiteProcesses.gateway(list + "/" + item.path("id").asLong()), admin, null);
            }
        }
    }

    private static JsonNode find(JsonNode list, String field, String value) {
        for (JsonNode item : list) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        throw new AssertionError("no " + field + " = " + value + " in " + list);
    }

    private static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
