package com.datarsync.task.web;

import com.datarsync.task.service.TaskSupervisor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * Whether this task-manager instance leads, in {@code /actuator/info} ({@code supervisor.leading})
 * and as the gauge {@code datarsync_task_manager_leader} (1 or 0): exactly one instance should say 1.
 */
@Component
public class SupervisorInfo implements InfoContributor {

    private final TaskSupervisor supervisor;

    public SupervisorInfo(TaskSupervisor supervisor, MeterRegistry meters) {
        this.supervisor = supervisor;
        Gauge.builder("datarsync.task.manager.leader", supervisor, s -> s.leading() ? 1 : 0)
                .description("1 while this task-manager instance runs the supervisor").register(meters);
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("supervisor", Map.of("leading", supervisor.leading()));
    }
}
