package com.datarsync.milvus.infra;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The rows milvus-sync wrote in each partition since that partition's snapshot began, in Redis
 * so a restart in the middle of a snapshot forgets nothing: {@code datarsync:snapshot:<task>:open}
 * (the partitions whose snapshot is under way) and {@code :seen:<partition>} (row keys written).
 */
@Component
public class SnapshotKeys {

    private final StringRedisTemplate redis;

    public SnapshotKeys(StringRedisTemplate redis) {
        this.redis = redis;
    }

    public Set<Integer> openPartitions(String taskId) {
        Set<Integer> out = new HashSet<>();
        Set<String> members = redis.opsForSet().members(open(taskId));
        if (members != null) {
            members.forEach(m -> out.add(Integer.parseInt(m)));
        }
        return out;
    }

    public void begin(String taskId, int partition) {
        redis.delete(seen(taskId, partition));
        redis.opsForSet().add(open(taskId), Integer.toString(partition));
    }

    public void saw(String taskId, int partition, List<String> rowKeys) {
        if (!rowKeys.isEmpty()) {
            redis.opsForSet().add(seen(taskId, partition), rowKeys.toArray(String[]::new));
        }
    }

    /** Of the given row keys, those not written since the partition's snapshot began. */
    public List<String> unseen(String taskId, int partition, List<String> rowKeys) {
        List<String> out = new ArrayList<>();
        if (rowKeys.isEmpty()) {
            return out;
        }
        Map<Object, Boolean> member = redis.opsForSet().isMember(seen(taskId, partition), rowKeys.toArray());
        for (String key : rowKeys) {
            if (member == null || !Boolean.TRUE.equals(member.get(key))) {
                out.add(key);
            }
        }
        return out;
    }

    public void end(String taskId, int partition) {
        redis.delete(seen(taskId, partition));
        redis.opsForSet().remove(open(taskId), Integer.toString(partition));
    }

    /** Forgets a deleted task's snapshot state. */
    public void deleteTask(String taskId) {
        // Rows are only noted for open partitions, so their sets are all there is.
        List<String> keys = new ArrayList<>();
        openPartitions(taskId).forEach(p -> keys.add(seen(taskId, p)));
        keys.add(open(taskId));
        redis.delete(keys);
    }

    private static String open(String taskId) {
        return "datarsync:snapshot:" + taskId + ":open";
    }

    private static String seen(String taskId, int partition) {
        return "datarsync:snapshot:" + taskId + ":seen:" + partition;
    }
}
