package com.datarsync.milvus.infra;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** The Milvus connection pool on /actuator/prometheus: connections in use and idle, opened and closed. */
@Component
public class MilvusConnectionMetrics implements MeterBinder {

    private final MilvusConnectionPool pool;

    public MilvusConnectionMetrics(MilvusCollections milvus) {
        this.pool = milvus.connections();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("datarsync.milvus.connections", pool, MilvusConnectionPool::inUse).tag("state", "in_use")
                .description("Pooled connections to Milvus").register(registry);
        Gauge.builder("datarsync.milvus.connections", pool, MilvusConnectionPool::idle).tag("state", "idle")
                .description("Pooled connections to Milvus").register(registry);
        FunctionCounter.builder("datarsync.milvus.connections.opened", pool, MilvusConnectionPool::created)
                .description("Connections to Milvus opened").register(registry);
        FunctionCounter.builder("datarsync.milvus.connections.closed", pool, MilvusConnectionPool::destroyed)
                .description("Connections to Milvus closed (idle past the timeout, or failed a check)").register(registry);
    }
}
