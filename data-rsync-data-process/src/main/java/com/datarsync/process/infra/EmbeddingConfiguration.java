package com.datarsync.process.infra;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The local model and the vector cache. */
@Configuration(proxyBeanMethods = false)
public class EmbeddingConfiguration {

    /** One inference thread per core: more would only oversubscribe a small machine. */
    @Bean(destroyMethod = "shutdown")
    ExecutorService embeddingExecutor(@Value("${datarsync.embedding.threads:0}") int threads) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "embedding");
            t.setDaemon(true);
            return t;
        });
    }

    @Bean
    TextEmbedder textEmbedder(ExecutorService embeddingExecutor) {
        return new OnnxLocalEmbedder(embeddingExecutor);
    }

    @Bean
    VectorCache vectorCache(StringRedisTemplate redis,
            @Value("${datarsync.embedding.cache-ttl:P7D}") Duration ttl) {
        return new VectorCache(redis, ttl);
    }
}
