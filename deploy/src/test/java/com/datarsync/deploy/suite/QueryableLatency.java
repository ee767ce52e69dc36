package com.datarsync.deploy.suite;

import static org.awaitility.Awaitility.await;

import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.QueryReq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The time from a source commit until the row is queryable in Milvus: the keys committed and
 * not yet seen are looked up (Strong, by primary key {@code pk}) every {@code pollMs}; each key's
 * latency is taken when a lookup first returns it.
 */
final class QueryableLatency implements AutoCloseable {

    private final Map<String, Long> committedAt = new ConcurrentHashMap<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();

    QueryableLatency(MilvusClientV2 milvus, String collection, long pollMs) {
        poller.scheduleWithFixedDelay(() -> {
            if (committedAt.isEmpty()) {
                return;
            }
            String keys = committedAt.keySet().stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(","));
            try {
                long now = System.nanoTime();
                milvus.query(QueryReq.builder().collectionName(collection).filter("pk in [" + keys + "]")
                        .outputFields(List.of("pk")).consistencyLevel(ConsistencyLevel.STRONG).build())
                        .getQueryResults().forEach(r -> {
                            Long t = committedAt.remove((String) r.getEntity().get("pk"));
                            if (t != null) {
                                latencies.add(TimeUnit.NANOSECONDS.toMillis(now - t));
                            }
                        });
            } catch (RuntimeException e) {
                // a failed poll only delays the reading; the next one retries
            }
        }, 0, pollMs, TimeUnit.MILLISECONDS);
    }

    /** These keys were committed at the source at {@code nanoTime}. */
    void committed(Collection<String> keys, long nanoTime) {
        keys.forEach(k -> committedAt.put(k, nanoTime));
    }

    /** Waits until {@code count} keys were seen in Milvus; their latencies in ms, sorted. */
    List<Long> awaitAll(int count, Duration atMost) {
        await("every row queryable").atMost(atMost).until(() -> latencies.size() == count);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return sorted;
    }

    static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
