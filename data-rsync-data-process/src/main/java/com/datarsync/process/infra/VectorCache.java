package com.datarsync.process.infra;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.springframework.data.redis.core.StringRedisTemplate;

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

    public void put(String modelId, String textHash, float[] vector) {
        redis.opsForValue().set(key(modelId, textHash), encode(vector), ttl);
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
