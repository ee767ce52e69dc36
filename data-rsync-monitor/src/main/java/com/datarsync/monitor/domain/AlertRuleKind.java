package com.datarsync.monitor.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a built-in alert rule watches, as a PromQL quantity per subject compared with the rule's
 * threshold. Each kind means exactly what the alert of the same name in
 * deploy/monitoring/prometheus/datarsync-alerts.yml means (with the default threshold, the same
 * expression; AlertRuleKindTest holds them equal), so users of Alertmanager and of the monitor's
 * own rules are told about the same things.
 */
public enum AlertRuleKind {
    TASK_FAILED("DataRsyncTaskFailed", "task", "max by (task) (datarsync_task_state{state=\"FAILED\"@F})", "==", 1),
    TASK_RETRYING("DataRsyncTaskRetrying", "task", "max by (task) (datarsync_task_state{state=\"RETRYING\"@F})", "==",
            1),
    LAG_ABOVE("DataRsyncLagHigh", "task", "max by (task) (datarsync_task_lag_milliseconds@S)", ">", 300_000),
    DEAD_LETTERS_GROWING("DataRsyncDeadLettersGrowing", "task",
            "sum by (task, stage, code) (increase(datarsync_stage_dead_letters_total@S[10m]))", ">", 0),
    MILVUS_WRITE_FAILURE_RATE("DataRsyncMilvusWriteFailures", "task",
            "(sum by (task) (rate(datarsync_milvus_write_duration_seconds_count{outcome=\"failure\"@F}[5m]))"
                    + " or sum by (task) (rate(datarsync_milvus_write_duration_seconds_count@S[5m])) * 0)"
                    + " / sum by (task) (rate(datarsync_milvus_write_duration_seconds_count@S[5m]))", ">", 0.05),
    NO_PROGRESS("DataRsyncNoProgress", "task", "sum by (task, stage) (datarsync_stage_backlog@S)"
            + " * on (task, stage) (sum by (task, stage) (rate(datarsync_stage_events_total{direction=\"in\"@F}[10m]))"
            + " == bool 0)", ">", 0),
    SOURCE_UNHEALTHY("DataRsyncSourceUnhealthy", "name", "min by (dataSource, name) (datarsync_datasource_health)", "<",
            1),
    HOST_CPU("DataRsyncHostCpuHigh", "instance", "max by (instance) (system_cpu_usage)", ">", 0.9),
    HOST_MEMORY("DataRsyncHostMemoryHigh", "instance",
            "max by (instance) (1 - system_memory_available_bytes / system_memory_total_bytes)", ">", 0.9),
    HOST_DISK("DataRsyncHostDiskFull", "instance", "max by (instance, path) (1 - disk_free_bytes / disk_total_bytes)",
            ">", 0.9),
    JVM_HEAP("DataRsyncJvmHeapHigh", "application", "max by (application, instance) (sum by (application, instance) "
            + "(jvm_memory_used_bytes{area=\"heap\"}) / sum by (application, instance) "
            + "(jvm_memory_max_bytes{area=\"heap\"}))", ">", 0.9);

    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private final String alertName;
    private final String subjectLabel;
    private final String quantity;
    private final String comparison;
    private final double defaultThreshold;

    AlertRuleKind(String alertName, String subjectLabel, String quantity, String comparison, double defaultThreshold) {
        this.alertName = alertName;
        this.subjectLabel = subjectLabel;
        this.quantity = quantity;
        this.comparison = comparison;
        this.defaultThreshold = defaultThreshold;
    }

    /** The alert of the shipped Prometheus rules file that means the same. */
    public String alertName() {
        return alertName;
    }

    /** The series label that names what an alert is about. */
    public String subjectLabel() {
        return subjectLabel;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** Whether a rule of this kind may be limited to one task. */
    public boolean perTask() {
        return "task".equals(subjectLabel);
    }

    /** Whether the rule's threshold is fixed (a state is there or not). */
    public boolean fixedThreshold() {
        return this == TASK_FAILED || this == TASK_RETRYING;
    }

    /**
     * The PromQL that returns the subjects whose condition holds: the quantity, limited to one
     * task when {@code taskId} is given, compared with the threshold.
     */
    public String expression(String taskId, double threshold) {
        String filter = "";
        if (taskId != null) {
            if (!perTask() || !TASK_ID.matcher(taskId).matches()) {
                throw new IllegalArgumentException("taskId '" + taskId + "' cannot limit a " + name() + " rule");
            }
            filter = "task=\"" + taskId + "\"";
        }
        // @F: inside a selector's own braces; @S: after a bare metric name.
        String q = quantity.replace("@F", filter.isEmpty() ? "" : ", " + filter)
                .replace("@S", filter.isEmpty() ? "" : "{" + filter + "}");
        return q + " " + comparison + " " + number(fixedThreshold() ? defaultThreshold : threshold);
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }
}
