package com.datarsync.task.infra;

import com.xxl.job.core.executor.impl.XxlJobSpringExecutor;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded XXL-Job executor: it serves XXL-Job's executor protocol (beat, idleBeat, run,
 * kill, log) on its own port, runs the {@code @XxlJob} handlers of {@code ScheduledJobs}, and
 * registers with the admin. Each instance uses the service port + 1000 unless told otherwise, so
 * two task managers on one host do not collide. It runs only with an admin configured: only an
 * admin calls it, and xxl-job-core 3.3.2 binds its port on every interface (its Netty server
 * takes no address), so without one the built-in scheduler fires the schedules and no port opens.
 */
@Configuration(proxyBeanMethods = false)
@org.springframework.boot.autoconfigure.condition.ConditionalOnExpression(
        "!'${datarsync.tasks.xxl-job.admin-addresses:}'.isBlank()")
public class XxlJobExecutorConfiguration {

    public static final String APP_NAME = "data-rsync-task-manager";

    @Bean
    XxlJobSpringExecutor xxlJobExecutor(TaskManagerSettings settings, @Value("${server.port}") int serverPort,
            @Value("${spring.cloud.nacos.discovery.ip:}") String advertisedIp) {
        TaskManagerSettings.XxlJob xxl = settings.xxlJob();
        int port = xxl.port() > 0 ? xxl.port() : serverPort + 1000;
        XxlJobSpringExecutor executor = new XxlJobSpringExecutor();
        executor.setAdminAddresses(xxl.adminAddresses());
        executor.setAccessToken(xxl.accessToken());
        executor.setAppname(APP_NAME);
        executor.setPort(port);
        if (!advertisedIp.isBlank()) {
            executor.setIp(advertisedIp);
        }
        executor.setLogPath(Path.of(xxl.logPath(), "task-manager-" + port).toString());
        executor.setLogRetentionDays(7);
        return executor;
    }
}
