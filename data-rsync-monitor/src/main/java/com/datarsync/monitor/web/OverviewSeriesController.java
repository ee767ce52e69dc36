package com.datarsync.monitor.web;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.web.DataPermissions;
import com.datarsync.monitor.infra.PrometheusQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console overview's charts: rows per second into Milvus and the end-to-end lag of every
 * task over the last minutes, from Prometheus with the shipped overview dashboard's expressions
 * (deploy/monitoring/grafana/dashboards/datarsync-overview.json). The series name every task, so
 * only a caller who sees every data source may read them.
 */
@RestController
public class OverviewSeriesController {

    static final String ROWS_PER_SECOND =
            "sum by (task) (rate(datarsync_stage_events_total{stage=\"milvus-sync\",direction=\"out\"}[1m]))";
    static final String LAG_MS = "max by (task) (datarsync_task_lag_milliseconds)";

    private final PrometheusQueries prometheus;

    public OverviewSeriesController(PrometheusQueries prometheus) {
        this.prometheus = prometheus;
    }

    public record TaskSeries(String task, List<double[]> points) {
    }

    @GetMapping("/api/monitor/series")
    public Map<String, Object> series(@RequestParam(defaultValue = "30") int minutes) {
        DataPermissions.current().requireAll("Reading every task's series");
        if (minutes < 5 || minutes > 1440) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "minutes: from 5 to 1440",
                    Map.of("fields", Map.of("minutes", "from 5 to 1440")), null);
        }
        Instant end = Instant.now();
        Instant start = end.minus(Duration.ofMinutes(minutes));
        // About 120 points a chart, whatever the window.
        Duration step = Duration.ofSeconds(Math.max(15, minutes * 60L / 120));
        return Map.of("start", start, "end", end, "stepSeconds", step.toSeconds(),
                "rowsPerSecond", byTask(ROWS_PER_SECOND, start, end, step), "lagMs", byTask(LAG_MS, start, end, step));
    }

    private List<TaskSeries> byTask(String promql, Instant start, Instant end, Duration step) {
        return prometheus.queryRange(promql, start, end, step).stream()
                .map(s -> new TaskSeries(s.labels().getOrDefault("task", ""), s.points())).toList();
    }
}
