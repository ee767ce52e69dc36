package com.datarsync.deploy.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.testsupport.LocalInfra;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/** The local Redis through Redisson: a key set with a TTL and read back. */
class RedisIT {

    @Test
    void setsAndReadsAKeyWithTtl() {
        Config config = new Config();
        config.useSingleServer().setAddress(LocalInfra.get().redisUri()).setPassword(LocalInfra.get().redisPassword()).setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(2);
        RedissonClient redis = Redisson.create(config);
        try {
            RBucket<String> bucket = redis.getBucket("datarsync:it:" + UUID.randomUUID(), StringCodec.INSTANCE);
            bucket.set("偏移量 offset=42", Duration.ofMinutes(1));

            assertThat(bucket.get()).isEqualTo("偏移量 offset=42");
            assertThat(bucket.remainTimeToLive()).isBetween(1L, 60_000L);
            assertThat(bucket.delete()).isTrue();
            assertThat(bucket.isExists()).isFalse();
        } finally {
            redis.shutdown();
        }
    }
}
