package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.vector.request.QueryReq;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A task built with the console's wizard on the demo table (datarsync_demo.articles, created
 * by the demo's own SQL): the source and the table picked from the browser, one column left
 * out, one field renamed, the template's preview equal to the source row's columns joined as
 * the template says, validated, saved and started; the task page shows it running with the
 * snapshot at 100 % and the table's row count; an edit in MariaDB moves its updated count; the
 * playground, searching the edited text, finds the edited row first. Milvus itself holds what
 * the wizard chose.
 */
class ConsoleWizardIT extends RunningSuite {

    @Test
    void aWizardTaskOnTheDemoTableRunsAndThePlaygroundFindsTheEditedRow() throws Exception {
        String run = runId();
        String taskId = "wizard_" + run;
        MariaDbE2eTable source = new MariaDbE2eTable();
        // The source the wizard offers (registered through the API, as an operator would first).
        source.dataSourceId();
        long firstId;
        String firstTitle;
        String firstBody;
        String expectedPreview;
        long rows;
        try (Connection c = source.connect(); Statement sql = c.createStatement()) {
            // The demo's table, as `datarsync up` creates and seeds it (idempotent).
            String demo = Files.readString(source.infra.repo().resolve("deploy/local/tasks/demo_articles.sql"));
            for (String statement : demo.split(";\\s*\\n")) {
                if (!statement.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("--"))) {
                    sql.execute(statement);
                }
            }
            try (ResultSet r = sql.executeQuery("SELECT id, title, body FROM articles ORDER BY id LIMIT 1")) {
                r.next();
                firstId = r.getLong(1);
                firstTitle = r.getString(2);
                firstBody = r.getString(3);
                expectedPreview = firstTitle + "\n" + firstBody;
            }
            try (ResultSet r = sql.executeQuery("SELECT count(*) FROM articles")) {
                r.next();
                rows = r.getLong(1);
            }
        }
        try (DataPathClient client = new DataPathClient(); ConsoleBrowser browser = new ConsoleBrowser()) {
            try {
                browser.login("admin", AuthClient.adminPassword());
                browser.language("zh-CN");
                browser.page("/tasks");
                browser.click("task-new");
                browser.pick("wizard-source", "wizard-source-e2e-mariadb");
                browser.type("wizard-id", taskId);
                browser.screenshot("wizard-source.zh-CN");
                browser.language("en");
                browser.click("wizard-next");

                browser.selectRow("wizard-table-articles");
                browser.click("wizard-capture-internal_note");
                browser.screenshot("wizard-tables.en");
                browser.click("wizard-next");

                browser.type("wizard-field-body", "content");
                browser.screenshot("wizard-fields.en");
                browser.click("wizard-next");

                browser.type("wizard-template", "{title}\n{body}");
                browser.waitUntil(Duration.ofSeconds(20), d -> browser.shown("wizard-preview-" + firstId)
                        && browser.text("wizard-preview-" + firstId).equals(expectedPreview));
                browser.screenshot("wizard-embedding.en");
                browser.language("zh-CN");
                browser.screenshot("wizard-embedding.zh-CN");
                browser.language("en");
                browser.click("wizard-next");
                browser.click("wizard-next");

                browser.click("wizard-validate");
                browser.byTest("wizard-valid");
                browser.screenshot("wizard-review.en");
                browser.language("zh-CN");
                browser.screenshot("wizard-review.zh-CN");
                browser.language("en");
                browser.click("wizard-save-start");

                browser.waitForText("task-id", taskId);
                try {
                    browser.waitUntil(Duration.ofMinutes(2), d -> browser.text("task-state").equals("Running")
                            && browser.text("task-snapshot").contains("100%"));
                } catch (org.openqa.selenium.TimeoutException e) {
                    throw new AssertionError("The page did not show the task running with its snapshot at 100 % "
                            + "within 2 minutes; " + DataPathClient.describe(taskId), e);
                }
                browser.waitForAttribute("task-rows-snapshotted", "data-value", String.valueOf(rows));

                long updatedBefore = Long.parseLong(browser.byTest("task-rows-updated").getAttribute("data-value"));
                String edited = "Quantum flamingo " + run + " dances on the lighthouse at midnight";
                try (Connection c = source.connect(); Statement sql = c.createStatement()) {
                    sql.execute("UPDATE articles SET title = 'Console edit " + run + "', body = '" + edited
                            + "' WHERE id = " + firstId);
                }
                browser.waitForAttribute("task-rows-updated", "data-value", String.valueOf(updatedBefore + 1));
                await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> edited.equals(client.milvus.query(
                        QueryReq.builder().collectionName(taskId).filter("pk == \"" + firstId + "\"")
                                .outputFields(List.of("content")).consistencyLevel(ConsistencyLevel.STRONG).build())
                        .getQueryResults().get(0).getEntity().get("content")));
                List<String> fields = client.milvus.describeCollection(DescribeCollectionReq.builder()
                        .collectionName(taskId).build()).getFieldNames();
                assertThat(fields).as("the wizard's choices").contains("pk", "title", "content", "lang", "embedding")
                        .doesNotContain("internal_note", "body", "id");
                browser.screenshot("task-wizard-made.en");

                browser.click("task-search");
                browser.type("search-query", "flamingo dancing on a lighthouse at midnight");
                browser.click("search-submit");
                browser.waitForAttribute("search-hit-0", "data-row-key", String.valueOf(firstId));
                browser.screenshot("search.en");
                browser.language("zh-CN");
                browser.click("search-submit");
                browser.waitForAttribute("search-hit-0", "data-row-key", String.valueOf(firstId));
                browser.screenshot("search.zh-CN");
            } finally {
                client.deleteTask(taskId, true);
                // The demo's row as it was, for whoever runs the demo on this machine.
                try (Connection c = source.connect();
                        java.sql.PreparedStatement restore = c.prepareStatement("UPDATE articles SET title = ?, body = ? WHERE id = ?")) {
                    restore.setString(1, firstTitle);
                    restore.setString(2, firstBody);
                    restore.setLong(3, firstId);
                    restore.executeUpdate();
                }
            }
        }
    }
}
