package com.datarsync.task.infra;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.springframework.stereotype.Component;

/**
 * Redisson locks that keep task-manager instances apart: one lock per task, held by whoever acts
 * on the task (an API call or the supervisor), so two instances never drive one task at once.
 * Redisson's watchdog extends a held lock while its JVM lives and lets it expire when it dies.
 */
@Component
public class TaskLocks {

    private final RedissonClient redisson;

    public TaskLocks(RedissonClient redisson) {
        this.redisson = redisson;
    }

    /** Runs {@code action} holding the task's lock; waits up to {@code waitMs}, else DRS-4090. */
    public <T> T withTask(String taskId, long waitMs, Supplier<T> action) {
        RLock lock = redisson.getLock("datarsync:task-manager:task:" + taskId);
        boolean locked;
        try {
            locked = lock.tryLock(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!locked) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Task '" + taskId
                    + "' is being changed by another request; try again", Map.of("taskId", taskId), null);
        }
        try {
            return action.get();
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
    }

    /** The lock only one task-manager instance holds at a time: its holder runs the supervisor. */
    public RLock leadership() {
        return redisson.getLock("datarsync:task-manager:leader");
    }
}
