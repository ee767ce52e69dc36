package com.datarsync.milvus.infra;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;

/**
 * Connections to Milvus, borrowed per call and kept between calls: at most {@code maxPerPurpose}
 * per purpose, closed after {@code idleTimeout} unused (none is kept open for a quiet service),
 * checked when borrowed (a shut-down channel is replaced) and, while idle, every
 * {@code checkEvery} with a real round trip ({@code getServerVersion}): one that fails is closed
 * and the next call opens a new one.
 *
 * <p>Each {@link Purpose} has its own deadline and retry policy, so one pool serves short writes,
 * long Strong reads and the quick liveness probe. Written on commons-pool2 rather than the SDK's
 * {@code MilvusClientV2Pool}: that pool's per-key cache keeps its last client borrowed for good,
 * so no client of a quiet key would ever reach the idle timeout.
 */
public final class MilvusConnectionPool implements AutoCloseable {

    /** What a call is for; it decides the call's deadline and retries. */
    public enum Purpose {
        /** Writes and schema calls: a short deadline, few retries, so an outage fails the batch fast. */
        WRITE,
        /**
         * Strong-consistency reads (verification, sweeps, search): right after a large load such
         * a read waits until Milvus has consumed every write, longer than any write may take.
         * Dropping a collection too, which takes as long then.
         */
        READ,
        /** Tells within about two seconds whether Milvus answers at all. */
        PROBE
    }

    /** Sizes and timings of the pool (milvus-sync's {@code datarsync.milvus.pool.*}). */
    public record Settings(int maxPerPurpose, Duration idleTimeout, Duration checkEvery) {

        public static final Settings DEFAULTS = new Settings(4, Duration.ofMinutes(5), Duration.ofSeconds(30));

        public Settings {
            if (maxPerPurpose < 1) {
                throw new IllegalArgumentException("datarsync.milvus.pool.max-per-purpose must be at least 1");
            }
        }
    }

    static final long PROBE_DEADLINE_MS = 2_000;

    private final GenericKeyedObjectPool<Purpose, MilvusClientV2> pool;

    public MilvusConnectionPool(String uri, Duration callTimeout, Duration readTimeout, Settings settings) {
        Map<Purpose, ConnectConfig> configs = new EnumMap<>(Purpose.class);
        configs.put(Purpose.WRITE, config(uri, callTimeout.toMillis(), 10_000));
        configs.put(Purpose.READ, config(uri, readTimeout.toMillis(), 10_000));
        configs.put(Purpose.PROBE, config(uri, PROBE_DEADLINE_MS, PROBE_DEADLINE_MS));
        // The SDK would retry a failed call for minutes on its own, hiding an outage inside one
        // call; a short retry lets the batch fail, so the task shows RETRYING and backs off.
        RetryConfig shortRetries = RetryConfig.builder().maxRetryTimes(3).initialBackOffMs(200).maxBackOffMs(1_000)
                .maxRetryTimeoutMs(5_000).build();
        Map<Purpose, RetryConfig> retries = new EnumMap<>(Map.of(Purpose.WRITE, shortRetries, Purpose.READ, shortRetries,
                Purpose.PROBE, RetryConfig.builder().maxRetryTimes(1).build()));

        GenericKeyedObjectPoolConfig<MilvusClientV2> config = new GenericKeyedObjectPoolConfig<>();
        config.setMaxTotalPerKey(settings.maxPerPurpose());
        config.setMaxIdlePerKey(settings.maxPerPurpose());
        config.setMinIdlePerKey(0);
        config.setMinEvictableIdleDuration(settings.idleTimeout());
        config.setTimeBetweenEvictionRuns(settings.checkEvery());
        config.setNumTestsPerEvictionRun(Purpose.values().length * settings.maxPerPurpose());
        config.setTestOnBorrow(true);
        config.setTestWhileIdle(true);
        // A caller waits for a free connection no longer than a write may take.
        config.setMaxWait(callTimeout);
        config.setJmxEnabled(false);
        this.pool = new GenericKeyedObjectPool<>(new Factory(configs, retries), config);
    }

    /** Without a deadline a call waits for an unreachable server for as long as it takes. */
    private static ConnectConfig config(String uri, long deadlineMs, long connectTimeoutMs) {
        return ConnectConfig.builder().uri(uri).connectTimeoutMs(connectTimeoutMs).rpcDeadlineMs(deadlineMs).build();
    }

    /** Runs one call on a pooled connection for the purpose and gives the connection back. */
    public <T> T call(Purpose purpose, Function<MilvusClientV2, T> call) {
        MilvusClientV2 client = borrow(purpose);
        try {
            return call.apply(client);
        } finally {
            pool.returnObject(purpose, client);
        }
    }

    private MilvusClientV2 borrow(Purpose purpose) {
        try {
            return pool.borrowObject(purpose);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("No connection to Milvus (" + purpose + "): " + e.getMessage(), e);
        }
    }

    /** Connections open now for the purpose: in use and idle. */
    public int open(Purpose purpose) {
        return pool.getNumActive(purpose) + pool.getNumIdle(purpose);
    }

    /** Connections in use now, over all purposes. */
    public int inUse() {
        return pool.getNumActive();
    }

    /** Connections open and unused now, over all purposes. */
    public int idle() {
        return pool.getNumIdle();
    }

    /** Connections opened and closed since start (a closed one failed a check or idled out). */
    public long created() {
        return pool.getCreatedCount();
    }

    public long destroyed() {
        return pool.getDestroyedCount();
    }

    @Override
    public void close() {
        pool.close();
    }

    private static final class Factory extends BaseKeyedPooledObjectFactory<Purpose, MilvusClientV2> {

        private final Map<Purpose, ConnectConfig> configs;
        private final Map<Purpose, RetryConfig> retries;

        Factory(Map<Purpose, ConnectConfig> configs, Map<Purpose, RetryConfig> retries) {
            this.configs = configs;
            this.retries = retries;
        }

        @Override
        public MilvusClientV2 create(Purpose purpose) {
            MilvusClientV2 client = new MilvusClientV2(configs.get(purpose));
            client.retryConfig(retries.get(purpose));
            return client;
        }

        @Override
        public PooledObject<MilvusClientV2> wrap(MilvusClientV2 client) {
            return new DefaultPooledObject<>(client);
        }

        /**
         * On borrow only the channel's state is checked (no round trip on the write path); an idle
         * connection is also asked for the server's version, so one the server dropped is closed.
         */
        @Override
        public boolean validateObject(Purpose purpose, PooledObject<MilvusClientV2> pooled) {
            MilvusClientV2 client = pooled.getObject();
            if (!client.clientIsReady()) {
                return false;
            }
            if (pooled.getState() != org.apache.commons.pool2.PooledObjectState.EVICTION) {
                return true;
            }
            try {
                client.getServerVersion();
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        public void destroyObject(Purpose purpose, PooledObject<MilvusClientV2> pooled) {
            pooled.getObject().close();
        }
    }
}
