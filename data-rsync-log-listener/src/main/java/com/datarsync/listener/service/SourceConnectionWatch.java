package com.datarsync.listener.service;

import com.datarsync.common.error.ErrorCode;
import com.datarsync.stage.TaskProgress;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a lost source connection visible. When the database goes away while Debezium streams,
 * the binlog client (and the PostgreSQL replication stream's retries) reconnect by themselves:
 * the engine keeps running and reports nothing, so a task could sit still for minutes looking
 * healthy. Debezium's own streaming metrics say whether it is connected; while they say no, the
 * task's progress is RETRYING with the reason, and RUNNING again once connected. While connected
 * with nothing queued, the capture has caught up with the source, which the engine turns into a
 * heartbeat for the lag (docs/monitoring.md).
 */
final class SourceConnectionWatch {

    private static final Logger log = LoggerFactory.getLogger(SourceConnectionWatch.class);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "source-connection-watch");
        t.setDaemon(true);
        return t;
    });

    private final ObjectName pattern;
    private final TaskProgress progress;
    private final LongConsumer caughtUp;
    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    private ScheduledFuture<?> schedule;
    private boolean wasConnected;
    /** What Debezium's streaming metrics said at the last check. */
    private volatile boolean connected;

    /**
     * @param caughtUp told, with the time of the check, each time Debezium streams connected with
     *                 its queue empty: every change the source committed before then is delivered
     */
    SourceConnectionWatch(String topicPrefix, TaskProgress progress, LongConsumer caughtUp) {
        try {
            // Debezium names it debezium.<connector>:type=connector-metrics,context=streaming,server=<prefix>;
            // the prefix is drs_<task id>, letters, digits and '_' only.
            this.pattern = new ObjectName("debezium.*:type=connector-metrics,context=streaming,server="
                    + topicPrefix + ",*");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        this.progress = progress;
        this.caughtUp = caughtUp;
    }

    void start() {
        schedule = TIMER.scheduleWithFixedDelay(this::check, 2, 2, TimeUnit.SECONDS);
    }

    void stop() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }

    /**
     * Whether the capture streams the source's log now: its start-up queries (the schema, the
     * GTID set or slot to resume from) are behind it.
     */
    boolean streaming() {
        return connected;
    }

    private void check() {
        try {
            Set<ObjectName> names = mbeans.queryNames(pattern, null);
            // Debezium unregisters the metrics while it restarts its connector task after a
            // retriable error (the PostgreSQL connector does this when the server goes away).
            Object connected = names.isEmpty() ? Boolean.FALSE
                    : mbeans.getAttribute(names.iterator().next(), "Connected");
            this.connected = Boolean.TRUE.equals(connected);
            if (Boolean.TRUE.equals(connected)) {
                long checkedAt = System.currentTimeMillis();
                wasConnected = true;
                progress.recovered(ErrorCode.SOURCE_UNREACHABLE);
                ObjectName metrics = names.iterator().next();
                if (mbeans.getAttribute(metrics, "QueueRemainingCapacity")
                        .equals(mbeans.getAttribute(metrics, "QueueTotalCapacity"))) {
                    caughtUp.accept(checkedAt);
                }
            } else if (wasConnected) {
                // Only after streaming was connected once: before that the snapshot may still run.
                progress.retrying(ErrorCode.SOURCE_UNREACHABLE,
                        "The connection to the source's log is lost; Debezium is reconnecting");
            }
        } catch (Exception e) {
            log.debug("No streaming metrics for {}: {}", pattern, e.toString());
        }
    }
}
