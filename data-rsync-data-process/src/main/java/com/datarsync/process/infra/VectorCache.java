package com.datarsync.process.infra;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ValueOperations;

/**
 * Vectors by (model, SHA-256 of the exact text) in Redis, so the same text is never embedded
 * twice while its entry lives: an update that leaves the embedded columns alone costs no
 * embedding, and neither does a replay after a restart.
 */
public final class VectorCache {

    private static final Logger log = LoggerFactory.getLogger(VectorCache.class);

    private final StringRedisTemplate redis;
    private final Duration ttl;
    private final AtomicLong errors = new AtomicLong();

    public VectorCache(StringRedisTemplate redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    private static String key(String modelId, String textHash) {
        return "datarsync:vector-cache:" + modelId + ":" + textHash;
    }

    /**
     * The cached vectors in the order of the hashes, null where there is none. The cache only
     * saves work: while Redis does not answer every text is a miss, and the data path goes on.
     */
    public List<float[]> get(String modelId, List<String> textHashes) {
        List<String> values;
        try {
            values = redis.opsForValue().multiGet(textHashes.stream().map(h -> key(modelId, h)).toList());
        } catch (DataAccessException unavailable) {
            unavailable("read", unavailable);
            values = null;
        }
        List<float[]> out = new ArrayList<>(textHashes.size());
        for (int i = 0; i < textHashes.size(); i++) {
            String value = values == null ? null : values.get(i);
            out.add(value == null ? null : decode(value));
        }
        return out;
    }

    /** Stores vectors by text hash in one pipelined round trip; skipped while Redis does not answer. */
    public void putAll(String modelId, Map<String, float[]> vectorsByHash) {
        try {
            store(modelId, vectorsByHash);
        } catch (DataAccessException unavailable) {
            unavailable("write", unavailable);
        }
    }

    /** How many cache calls failed since the start (each one went on without the cache). */
    public long errors() {
        return errors.get();
    }

    private void unavailable(String what, DataAccessException e) {
        // One line per outage, not one per batch.
        if (errors.getAndIncrement() % 100 == 0) {
            log.warn("Vector cache {} failed, going on without it: {}", what, e.getMessage());
        }
    }

    private void store(String modelId, Map<String, float[]> vectorsByHash) {
        redis.executePipelined(new SessionCallback<Object>() {
            @Override
            @SuppressWarnings("unchecked")
            public <K, V> Object execute(RedisOperations<K, V> operations) {
                ValueOperations<String, String> values = (ValueOperations<String, String>) operations.opsForValue();
                vectorsByHash.forEach((hash, vector) -> values.set(key(modelId, hash), encode(vector), ttl));
                return null;
            }
        });
    }

    private static String encode(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES);
        buffer.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    private static float[] decode(String value) {
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(value));
        float[] vector = new float[buffer.remaining() / Float.BYTES];
        buffer.asFloatBuffer().get(vector);
        return vector;
    }
}
