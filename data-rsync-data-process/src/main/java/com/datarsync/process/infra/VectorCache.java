package com.datarsync.process.infra;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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

    private final StringRedisTemplate redis;
    private final Duration ttl;

    public VectorCache(StringRedisTemplate redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    private static String key(String modelId, String textHash) {
        return "datarsync:vector-cache:" + modelId + ":" + textHash;
    }

    /** The cached vectors in the order of the hashes, null where there is none. */
    public List<float[]> get(String modelId, List<String> textHashes) {
        List<String> values = redis.opsForValue().multiGet(textHashes.stream().map(h -> key(modelId, h)).toList());
        List<float[]> out = new ArrayList<>(textHashes.size());
        for (int i = 0; i < textHashes.size(); i++) {
            String value = values == null ? null : values.get(i);
            out.add(value == null ? null : decode(value));
        }
        return out;
    }

    /** Stores vectors by text hash in one pipelined round trip. */
    public void putAll(String modelId, Map<String, float[]> vectorsByHash) {
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
