package com.datarsync.milvus.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.testsupport.LocalInfra;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * On the suite's real Redis (logical database 2, away from the suite's keys): which snapshots
 * may skip their sweep. A partition is fresh only when this task created the collection and no
 * row of that partition was written since, and a deleted task leaves no key behind.
 */
class SnapshotKeysIT {

    private static final String TASK = "it_snap_" + Long.toString(System.nanoTime() % 1_000_000, 36);

    private final LettuceConnectionFactory connections = connections();
    private final StringRedisTemplate redis = new StringRedisTemplate(connections);
    private final SnapshotKeys keys = new SnapshotKeys(redis);

    private static LettuceConnectionFactory connections() {
        RedisStandaloneConfiguration config = new RedisStandaloneConfiguration("127.0.0.1", LocalInfra.get().port("redis"));
        config.setDatabase(2);
        config.setPassword(LocalInfra.get().redisPassword());
        LettuceConnectionFactory factory = new LettuceConnectionFactory(config);
        factory.afterPropertiesSet();
        return factory;
    }

    @AfterEach
    void close() {
        keys.deleteTask(TASK);
        connections.destroy();
    }

    @Test
    void aPartitionIsUntouchedOnlyWhileNothingWasWrittenToItSinceTheTaskCreatedItsCollection() {
        redis.afterPropertiesSet();
        assertThat(keys.untouched(TASK, 0)).as("a collection this task did not create may hold anything").isFalse();

        keys.collectionCreated(TASK);
        assertThat(keys.untouched(TASK, 0)).isTrue();
        assertThat(keys.untouched(TASK, 1)).isTrue();

        keys.writing(TASK, List.of(1));
        assertThat(keys.untouched(TASK, 0)).isTrue();
        assertThat(keys.untouched(TASK, 1)).isFalse();
        assertThat(keys.writtenPartitions(TASK)).containsExactly(1);

        keys.begin(TASK, 0, true);
        keys.begin(TASK, 1, false);
        assertThat(keys.openPartitions(TASK)).containsExactlyInAnyOrder(0, 1);
        assertThat(keys.freshPartitions(TASK)).containsExactly(0);

        // A second snapshot of partition 0 (rows written meanwhile) is no longer fresh.
        keys.writing(TASK, List.of(0));
        keys.begin(TASK, 0, keys.untouched(TASK, 0));
        assertThat(keys.freshPartitions(TASK)).isEmpty();

        keys.saw(TASK, 1, List.of("a", "b"));
        assertThat(keys.unseen(TASK, 1, List.of("a", "c"))).containsExactly("c");
        keys.end(TASK, 1);
        assertThat(keys.openPartitions(TASK)).containsExactly(0);
        assertThat(keys.unseen(TASK, 1, List.of("a"))).containsExactly("a");

        // A collection created again (dropped meanwhile) starts every partition untouched.
        keys.collectionCreated(TASK);
        assertThat(keys.untouched(TASK, 0)).isTrue();
        assertThat(keys.untouched(TASK, 1)).isTrue();

        keys.saw(TASK, 0, List.of("x"));
        keys.deleteTask(TASK);
        assertThat(redis.keys("datarsync:snapshot:" + TASK + ":*")).isEmpty();
    }
}
