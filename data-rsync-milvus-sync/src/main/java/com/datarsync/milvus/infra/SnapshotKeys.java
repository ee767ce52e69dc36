package com.datarsync.milvus.infra;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * What milvus-sync knows of a task's snapshots, in Redis so a restart in the middle of one forgets
 * nothing. Keys under {@code datarsync:snapshot:<task>:}
 * <ul>
 *   <li>{@code open}: the partitions whose snapshot is under way;</li>
 *   <li>{@code seen:<partition>}: the row keys written in that partition since its snapshot began;</li>
 *   <li>{@code created}: present when this task created its collection;</li>
 *   <li>{@code written}: the partitions that have had a row upserted since then;</li>
 *   <li>{@code fresh}: the open partitions whose snapshot began on an empty key space (no row of
 *       theirs written since the collection was created), which need neither notes nor a sweep.</li>
 * </ul>
 */
@Component
public class SnapshotKeys {

    private final StringRedisTemplate redis;

    public SnapshotKeys(StringRedisTemplate redis) {
        this.redis = redis;
    }

    public Set<Integer> openPartitions(String taskId) {
        return partitions(open(taskId));
    }

    /** The open partitions whose snapshot began with none of their rows in the collection. */
    public Set<Integer> freshPartitions(String taskId) {
        return partitions(key(taskId, "fresh"));
    }

    /** The task's collection was just created: no partition has a row in it. */
    public void collectionCreated(String taskId) {
        redis.delete(key(taskId, "written"));
        redis.opsForValue().set(key(taskId, "created"), "1");
    }

    /** Rows of these partitions are about to be upserted (noted first, so a crash in between errs safe). */
    public void writing(String taskId, Collection<Integer> partitions) {
        if (!partitions.isEmpty()) {
            redis.opsForSet().add(key(taskId, "written"), partitions.stream().map(String::valueOf).toArray(String[]::new));
        }
    }

    /** The partitions upserts were noted for since the collection was created (see {@link #writing}). */
    public Set<Integer> writtenPartitions(String taskId) {
        return partitions(key(taskId, "written"));
    }

    /** Whether no row of the partition was written since this task created its collection. */
    public boolean untouched(String taskId, int partition) {
        return Boolean.TRUE.equals(redis.hasKey(key(taskId, "created")))
                && !Boolean.TRUE.equals(redis.opsForSet().isMember(key(taskId, "written"), Integer.toString(partition)));
    }

    /** The partition's snapshot begins; {@code fresh}: none of its rows is in the collection. */
    public void begin(String taskId, int partition, boolean fresh) {
        redis.delete(seen(taskId, partition));
        if (fresh) {
            redis.opsForSet().add(key(taskId, "fresh"), Integer.toString(partition));
        } else {
            redis.opsForSet().remove(key(taskId, "fresh"), Integer.toString(partition));
        }
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
        redis.opsForSet().remove(key(taskId, "fresh"), Integer.toString(partition));
        redis.opsForSet().remove(open(taskId), Integer.toString(partition));
    }

    /**
     * The task's first full load writes without vector indexes (target.index.afterLoad): noted
     * before the collection is created, so a restart never loads an index-less collection.
     */
    public void indexPending(String taskId, boolean pending) {
        if (pending) {
            redis.delete(key(taskId, "index-ended"));
            redis.opsForValue().set(key(taskId, "index-pending"), "1");
        } else {
            redis.delete(List.of(key(taskId, "index-pending"), key(taskId, "index-ended")));
        }
    }

    public boolean indexPending(String taskId) {
        return Boolean.TRUE.equals(redis.hasKey(key(taskId, "index-pending")));
    }

    /**
     * Notes that the load's end marker of a partition was written; true once every partition's
     * was (whichever instance writes the last one builds the indexes).
     */
    public boolean loadEnded(String taskId, int partition, int partitions) {
        redis.opsForSet().add(key(taskId, "index-ended"), Integer.toString(partition));
        Long ended = redis.opsForSet().size(key(taskId, "index-ended"));
        return ended != null && ended >= partitions;
    }

    /** Forgets a deleted task's snapshot state. */
    public void deleteTask(String taskId) {
        // Rows are only noted for open partitions, so their sets are all there is.
        List<String> keys = new ArrayList<>();
        openPartitions(taskId).forEach(p -> keys.add(seen(taskId, p)));
        keys.addAll(List.of(open(taskId), key(taskId, "fresh"), key(taskId, "created"), key(taskId, "written"),
                key(taskId, "index-pending"), key(taskId, "index-ended")));
        redis.delete(keys);
    }

    private Set<Integer> partitions(String key) {
        Set<Integer> out = new HashSet<>();
        Set<String> members = redis.opsForSet().members(key);
        if (members != null) {
            members.forEach(m -> out.add(Integer.parseInt(m)));
        }
        return out;
    }

    private static String key(String taskId, String name) {
        return "datarsync:snapshot:" + taskId + ":" + name;
    }

    private static String open(String taskId) {
        return key(taskId, "open");
    }

    private static String seen(String taskId, int partition) {
        return key(taskId, "seen:" + partition);
    }
}
