package com.datarsync.task.infra;

import com.datarsync.common.event.DeadLetter;
import com.datarsync.common.event.EventJson;
import com.datarsync.task.domain.StoredDeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.redisson.api.RMap;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.LongCodec;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.CompositeCodec;
import org.springframework.stereotype.Component;

/**
 * Each task's dead letters in Redis (the architecture document's choice), beside the Kafka topic
 * they are read from: {@code datarsync:dlq:<task>:letters} (id to letter JSON),
 * {@code :ids} (ids by failure time) and {@code :counts} (letters per {@code stage|code}).
 */
@Component
public class DeadLetterStore {

    private static final int SCAN = 256;
    /** Text keys, number values (HINCRBY). */
    private static final CompositeCodec COUNTS = new CompositeCodec(StringCodec.INSTANCE, LongCodec.INSTANCE,
            LongCodec.INSTANCE);

    private final RedissonClient redis;

    public DeadLetterStore(RedissonClient redis) {
        this.redis = redis;
    }

    /** Stores the letter unless it is there already; returns whether it was new. */
    public boolean add(String taskId, String id, byte[] json) {
        DeadLetter letter = EventJson.read(json, DeadLetter.class);
        if (!letters(taskId).fastPutIfAbsent(id, new String(json, StandardCharsets.UTF_8))) {
            return false;
        }
        ids(taskId).add(letter.failedAtMs(), id);
        counts(taskId).addAndGet(countKey(letter), 1);
        return true;
    }

    public Optional<StoredDeadLetter> get(String taskId, String id) {
        String json = letters(taskId).get(id);
        return json == null ? Optional.empty() : Optional.of(parse(id, json));
    }

    /**
     * The letters matching the filters (null matches all), newest first, {@code skip} of them
     * left out and at most {@code limit} returned.
     */
    public List<StoredDeadLetter> find(String taskId, String stage, String code, int skip, int limit) {
        List<StoredDeadLetter> out = new ArrayList<>();
        RScoredSortedSet<String> ids = ids(taskId);
        int matched = 0;
        for (int from = 0; out.size() < limit; from += SCAN) {
            Collection<String> page = ids.valueRangeReversed(from, from + SCAN - 1);
            if (page.isEmpty()) {
                break;
            }
            Map<String, String> found = letters(taskId).getAll(Set.copyOf(page));
            for (String id : page) {
                String json = found.get(id);
                if (json == null) {
                    continue;
                }
                StoredDeadLetter letter = parse(id, json);
                if (matches(letter.letter(), stage, code) && matched++ >= skip && out.size() < limit) {
                    out.add(letter);
                }
            }
        }
        return out;
    }

    /** Letters per {@code stage|code}. */
    public Map<String, Long> counts(String taskId, String stage, String code) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts(taskId).readAllMap().forEach((key, n) -> {
            String[] parts = key.split("\\|", 2);
            if ((stage == null || stage.equals(parts[0])) && (code == null || code.equals(parts[1])) && n > 0) {
                out.put(key, n);
            }
        });
        return out;
    }

    /** Removes the letter (replayed or discarded); returns whether it was there. */
    public boolean remove(String taskId, String id) {
        String json = letters(taskId).remove(id);
        if (json == null) {
            return false;
        }
        ids(taskId).remove(id);
        counts(taskId).addAndGet(countKey(parse(id, json).letter()), -1);
        return true;
    }

    /** Forgets every letter of a deleted task. */
    public void deleteTask(String taskId) {
        redis.getKeys().delete(key(taskId, "letters"), key(taskId, "ids"), key(taskId, "counts"));
    }

    private static boolean matches(DeadLetter letter, String stage, String code) {
        return (stage == null || stage.equals(letter.stage())) && (code == null || code.equals(letter.code()));
    }

    private static String countKey(DeadLetter letter) {
        return letter.stage() + "|" + letter.code();
    }

    private static StoredDeadLetter parse(String id, String json) {
        return new StoredDeadLetter(id, EventJson.read(json.getBytes(StandardCharsets.UTF_8), DeadLetter.class));
    }

    private RMap<String, String> letters(String taskId) {
        return redis.getMap(key(taskId, "letters"), StringCodec.INSTANCE);
    }

    private RScoredSortedSet<String> ids(String taskId) {
        return redis.getScoredSortedSet(key(taskId, "ids"), StringCodec.INSTANCE);
    }

    private RMap<String, Long> counts(String taskId) {
        return redis.getMap(key(taskId, "counts"), COUNTS);
    }

    private static String key(String taskId, String part) {
        return "datarsync:dlq:" + taskId + ":" + part;
    }
}
