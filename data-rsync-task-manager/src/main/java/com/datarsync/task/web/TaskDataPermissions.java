package com.datarsync.task.web;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.web.DataPermissions;
import com.datarsync.task.infra.SyncTaskRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Data permissions on tasks: a caller who does not see every data source acts only on the tasks
 * built on the sources assigned to them. Every {@code /api/tasks/{id}/...} route (actions, status,
 * runs, verifications, dead letters) is checked here, in one place, before its handler; a task
 * on another source answers 403, and so does an id that does not exist (guessing ids tells
 * nothing). Lists are filtered where they are read ({@link TaskController}).
 */
@Configuration
public class TaskDataPermissions implements WebMvcConfigurer, HandlerInterceptor {

    /** The path variables that name a task in the task routes. */
    private static final Set<String> TASK_ID_VARIABLES = Set.of("id", "taskId");

    private final SyncTaskRepository tasks;

    public TaskDataPermissions(SyncTaskRepository tasks) {
        this.tasks = tasks;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/tasks/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        DataPermissions scope = DataPermissions.current();
        if (scope.all()) {
            return true;
        }
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (variables instanceof Map<?, ?> map) {
            for (String name : TASK_ID_VARIABLES) {
                if (map.get(name) instanceof String taskId) {
                    require(scope, taskId);
                }
            }
        }
        return true;
    }

    private void require(DataPermissions scope, String taskId) {
        Optional<Long> source = tasks.findDataSourceIdById(taskId);
        if (source.isEmpty() || !scope.covers(source.get())) {
            throw new DataRsyncException(ErrorCode.FORBIDDEN, "This task is not built on a data source assigned to you",
                    Map.of("taskId", taskId), null);
        }
    }
}
