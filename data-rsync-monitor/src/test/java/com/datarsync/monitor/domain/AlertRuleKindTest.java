package com.datarsync.monitor.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The monitor's built-in rules and the shipped Prometheus rules file say the same. */
class AlertRuleKindTest {

    private static final Path RULES = Path.of(System.getProperty("user.dir")).resolveSibling("deploy")
            .resolve("monitoring/prometheus/datarsync-alerts.yml");

    @Test
    void everyKindIsTheAlertOfTheRulesFileWithItsDefaultThresholdAndEveryAlertIsAKind() throws Exception {
        Map<String, String> file = alerts(Files.readString(RULES));
        assertThat(file.keySet()).containsExactlyInAnyOrder(java.util.Arrays.stream(AlertRuleKind.values())
                .map(AlertRuleKind::alertName).toArray(String[]::new));
        for (AlertRuleKind kind : AlertRuleKind.values()) {
            assertThat(normal(kind.expression(null, kind.defaultThreshold()))).as(kind.name())
                    .isEqualTo(normal(file.get(kind.alertName())));
        }
    }

    @Test
    void aRuleLimitedToATaskFiltersEverySelectorByItAndOtherThresholdsAreUsed() {
        assertThat(AlertRuleKind.LAG_ABOVE.expression("orders_1", 60_000))
                .isEqualTo("max by (task) (datarsync_task_lag_milliseconds{task=\"orders_1\"}) > 60000");
        assertThat(AlertRuleKind.TASK_FAILED.expression("orders_1", 5))
                .isEqualTo("max by (task) (datarsync_task_state{state=\"FAILED\", task=\"orders_1\"}) == 1");
        String failures = AlertRuleKind.MILVUS_WRITE_FAILURE_RATE.expression("o", 0.2);
        assertThat(failures).contains("{outcome=\"failure\", task=\"o\"}[5m]")
                .contains("datarsync_milvus_write_duration_seconds_count{task=\"o\"}[5m]").endsWith("> 0.2")
                .doesNotContain("@");
        assertThatThrownBy(() -> AlertRuleKind.LAG_ABOVE.expression("x\"} or vector(1) #", 1))
                .hasMessageContaining("cannot limit");
        assertThatThrownBy(() -> AlertRuleKind.HOST_CPU.expression("orders_1", 0.5))
                .hasMessageContaining("cannot limit a HOST_CPU rule");
    }

    /** Alert name to expression, folded blocks joined into one line. */
    private static Map<String, String> alerts(String yaml) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher rule = Pattern.compile("- alert: (\\w+)\\n(?:\\s*#.*\\n)*\\s*expr: (?:>-\\n((?:\\s{10}.*\\n)+)|(.*)\\n)")
                .matcher(yaml);
        while (rule.find()) {
            out.put(rule.group(1), rule.group(2) != null ? String.join(" ", rule.group(2).lines().map(String::trim)
                    .toList()) : rule.group(3).trim());
        }
        return out;
    }

    private static String normal(String promql) {
        return promql.replaceAll("\\s+", " ").trim();
    }
}
