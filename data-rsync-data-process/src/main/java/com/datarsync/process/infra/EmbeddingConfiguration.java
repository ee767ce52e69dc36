package com.datarsync.process.infra;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The vector cache. */
@Configuration(proxyBeanMethods = false)
public class EmbeddingConfiguration {

    @Bean
    VectorCache vectorCache(StringRedisTemplate redis,
            @Value("${datarsync.embedding.cache-ttl:P7D}") Duration ttl) {
        return new VectorCache(redis, ttl);
    }
}
