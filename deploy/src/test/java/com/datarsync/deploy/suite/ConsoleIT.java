package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.AuthClient.call;
import static com.datarsync.deploy.suite.AuthClient.quote;
import static com.datarsync.deploy.suite.AuthClient.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web console in a real browser against the running suite: served by the gateway with the
 * right cache headers; Chinese by default, switched to English and remembered across a reload;
 * a login shows the user's menu, and only the entries their permissions allow (a viewer has no
 * user administration, and the API refuses the viewer the same); logout returns to the login.
 */
class ConsoleIT extends RunningSuite {

    @Test
    void theGatewayServesTheConsoleWithCacheHeaders() {
        HttpResponse<String> page = SuiteProcesses.get(SuiteProcesses.gateway("/"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Cache-Control").orElse("")).isEqualTo("no-cache");
        GatewayTransportIT.assertSecurityHeaders(page);
        Matcher asset = Pattern.compile("/assets/[A-Za-z0-9_.-]+\\.js").matcher(page.body());
        assertThat(asset.find()).as(page.body()).isTrue();
        HttpResponse<String> script = SuiteProcesses.get(SuiteProcesses.gateway(asset.group()));
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Cache-Control").orElse(""))
                .contains("max-age=31536000").contains("public").contains("immutable");
        // Nothing else of the gateway's class path is served.
        assertThat(SuiteProcesses.get(SuiteProcesses.gateway("/application.yml")).statusCode()).isIn(401, 404);
    }

    @Test
    void loginLanguageAndPermissionsInABrowser() throws Exception {
        String run = runId();
        String viewer = "console" + run;
        String viewerPassword = "Pw-console-" + run + "-X9z";
        HttpResponse<String> made = call("POST", SuiteProcesses.gateway("/api/auth/users"), AdminSession.accessToken(),
                "{\"username\":" + quote(viewer) + ",\"password\":" + quote(viewerPassword) + ",\"roles\":[\"VIEWER\"]}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        long viewerId = read(made.body()).get("id").asLong();
        try (ConsoleBrowser browser = new ConsoleBrowser()) {
            browser.open("/");
            // Chinese first (no choice remembered in this browser yet).
            browser.waitForText("login", "登录");
            browser.screenshot("login.zh-CN");
            browser.language("en");
            browser.waitForText("login", "Log in");
            browser.driver().navigate().refresh();
            browser.waitForText("login", "Log in");
            browser.screenshot("login.en");

            browser.type("username", "admin");
            browser.type("password", "wrong-password-" + run);
            browser.byTest("login").click();
            browser.waitForText("login-error", "Login failed");

            browser.type("username", "admin");
            browser.type("password", AuthClient.adminPassword());
            browser.byTest("login").click();
            browser.waitForText("welcome", "Welcome, admin");
            assertThat(browser.shown("menu-users")).as("the administrator manages users").isTrue();
            assertThat(browser.shown("menu-tasks")).isTrue();
            browser.screenshot("overview.en");
            browser.language("zh-CN");
            browser.waitForText("welcome", "欢迎，admin");
            browser.screenshot("overview.zh-CN");
            browser.byTest("logout").click();
            browser.waitForText("login", "登录");

            browser.type("username", viewer);
            browser.type("password", viewerPassword);
            browser.byTest("login").click();
            browser.waitForText("welcome", viewer);
            assertThat(browser.shown("menu-tasks")).as("a viewer reads tasks").isTrue();
            assertThat(browser.shown("menu-users")).as("a viewer does not see user administration").isFalse();
            assertThat(browser.shown("menu-audit")).isFalse();
            String viewerToken = AuthClient.tokens(viewer, viewerPassword).get("accessToken").asText();
            assertThat(call("GET", SuiteProcesses.gateway("/api/auth/users"), viewerToken, null).statusCode())
                    .as("the API refuses the viewer what the console does not show").isEqualTo(403);
        } finally {
            call("DELETE", SuiteProcesses.gateway("/api/auth/users/" + viewerId), AdminSession.accessToken(), null);
        }
    }
}
