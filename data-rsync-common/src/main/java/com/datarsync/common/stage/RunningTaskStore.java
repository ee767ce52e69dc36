package com.datarsync.common.stage;

import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import java.util.List;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The tasks a stage was asked to run, kept in Redis so a restarted (or killed) service resumes
 * them on start-up. Removed only by an explicit stop.
 */
public class RunningTaskStore {

    private final StringRedisTemplate redis;
    private final String key;

    public RunningTaskStore(StringRedisTemplate redis, String stage) {
        this.redis = redis;
        this.key = "datarsync:stage:" + stage + ":tasks";
    }

    public void save(SyncTaskDefinition definition) {
        redis.opsForHash().put(key, definition.id(), SyncTaskDefinitions.toJson(definition));
    }

    public void remove(String taskId) {
        redis.opsForHash().delete(key, taskId);
    }

    public List<String> definitions() {
        return redis.<String, String>opsForHash().values(key);
    }
}
