package com.datarsync.process.service;

import com.datarsync.stage.StageMetrics;
import com.datarsync.process.domain.Vectorizer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * One task's embedding meters, tagged by task, provider and model, on {@code /actuator/prometheus}:
 * {@code datarsync_embedding_texts_total}, {@code _cache_hits_total}, {@code _cache_misses_total},
 * {@code _batch_size}, {@code _latency_seconds}; and per provider and model,
 * {@code datarsync_embedding_tokens_total} as the provider reports them.
 */
final class EmbeddingMetrics {

    private final Counter texts;
    private final Counter hits;
    private final Counter misses;
    private final DistributionSummary batchSize;
    private final Timer latency;

    /** The task's meters, owned by its stage meters so they go when the stage releases the task. */
    EmbeddingMetrics(StageMetrics owner, String taskId, Vectorizer vectorizer) {
        MeterRegistry registry = owner.registry();
        String[] tags = {"task", taskId, "provider", vectorizer.provider(), "model", vectorizer.modelName()};
        texts = owner.own(Counter.builder("datarsync.embedding.texts").description("Texts sent to the model").tags(tags)
                .register(registry));
        hits = owner.own(Counter.builder("datarsync.embedding.cache.hits")
                .description("Texts whose vector came from the cache").tags(tags).register(registry));
        misses = owner.own(Counter.builder("datarsync.embedding.cache.misses").description("Texts the cache did not hold")
                .tags(tags).register(registry));
        batchSize = owner.own(DistributionSummary.builder("datarsync.embedding.batch.size")
                .description("Texts per model call").tags(tags).register(registry));
        latency = owner.own(Timer.builder("datarsync.embedding.latency").description("Time of one model call")
                .tags(tags).publishPercentiles(0.5, 0.99).register(registry));
        // Registered once per provider and model (Micrometer returns the existing meter to later
        // tasks) and kept when a task goes: it counts for the provider, not for one task.
        FunctionCounter.builder("datarsync.embedding.tokens", vectorizer, Vectorizer::tokensUsed)
                .description("Tokens the provider reported as used").tags("provider", vectorizer.provider(),
                        "model", vectorizer.modelName())
                .register(registry);
    }

    void cache(int hitCount, int missCount) {
        hits.increment(hitCount);
        misses.increment(missCount);
    }

    void embedded(int count, long nanos) {
        texts.increment(count);
        batchSize.record(count);
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }
}
