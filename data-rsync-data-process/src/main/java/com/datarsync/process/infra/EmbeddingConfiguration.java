package com.datarsync.process.infra;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
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
            @Value("${datarsync.embedding.cache-ttl:P7D}") Duration ttl, MeterRegistry meters) {
        VectorCache cache = new VectorCache(redis, ttl);
        FunctionCounter.builder("datarsync.embedding.cache.errors", cache, VectorCache::errors)
                .description("Vector cache calls that failed (Redis unreachable); the data path went on without the cache")
                .register(meters);
        return cache;
    }
}
