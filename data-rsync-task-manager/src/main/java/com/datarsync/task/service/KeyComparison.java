package com.datarsync.task.service;

import com.datarsync.common.event.KeyDigest;
import com.datarsync.task.domain.Stage;
import com.datarsync.task.infra.StageClient;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A verification's key comparison, through the stages' verification endpoints: the keys of the
 * buckets whose digests differ on each side, or the source's keys looked up in Milvus, a group of
 * buckets at a time so the task manager never holds every key.
 */
final class KeyComparison {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    /** Buckets listed per call. */
    private static final int BUCKETS_PER_CALL = 64;
    /** Buckets of source keys read per call when keys are looked up (1/16 of the keys), and keys per lookup call. */
    private static final int BUCKETS_PER_LOOKUP = 256;
    private static final int KEYS_PER_LOOKUP_CALL = 20_000;

    private final StageClient stages;

    KeyComparison(StageClient stages) {
        this.stages = stages;
    }

    /** What only one side holds: source keys Milvus lacks, and Milvus keys the source does not hold. */
    record Differences(Set<String> missing, Set<String> ghosts) {
    }

    /**
     * The source keys Milvus lacks: the source's keys read a group of buckets at a time (so the
     * task manager never holds them all) and looked up in Milvus by primary key.
     */
    Set<String> absentKeys(String full) {
        Set<String> absent = new TreeSet<>();
        for (int from = 0; from < KeyDigest.BUCKETS; from += BUCKETS_PER_LOOKUP) {
            List<Integer> group = new ArrayList<>();
            for (int b = from; b < Math.min(KeyDigest.BUCKETS, from + BUCKETS_PER_LOOKUP); b++) {
                group.add(b);
            }
            List<String> inSource = new ArrayList<>(keySet(stages.post(Stage.LOG_LISTENER,
                    "/internal/verification/source/bucket-keys", body(full, "buckets", group))));
            for (int k = 0; k < inSource.size(); k += KEYS_PER_LOOKUP_CALL) {
                List<String> keys = inSource.subList(k, Math.min(inSource.size(), k + KEYS_PER_LOOKUP_CALL));
                stages.post(Stage.MILVUS_SYNC, "/internal/verification/target/absent", body(full, "keys", keys))
                        .path("absent").forEach(key -> absent.add(key.asText()));
            }
        }
        return absent;
    }

    /** The keys of the differing buckets on each side, a few buckets per call: what only one side holds. */
    Differences differences(String full, List<Integer> buckets) {
        Set<String> missing = new TreeSet<>();
        Set<String> ghosts = new TreeSet<>();
        for (int from = 0; from < buckets.size(); from += BUCKETS_PER_CALL) {
            List<Integer> group = buckets.subList(from, Math.min(buckets.size(), from + BUCKETS_PER_CALL));
            Set<String> inSource = keySet(stages.post(Stage.LOG_LISTENER, "/internal/verification/source/bucket-keys",
                    body(full, "buckets", group)));
            Set<String> inTarget = keySet(stages.post(Stage.MILVUS_SYNC, "/internal/verification/target/bucket-keys",
                    body(full, "buckets", group)));
            inSource.stream().filter(k -> !inTarget.contains(k)).forEach(missing::add);
            inTarget.stream().filter(k -> !inSource.contains(k)).forEach(ghosts::add);
        }
        return new Differences(missing, ghosts);
    }

    private static Set<String> keySet(JsonNode answer) {
        Set<String> out = new HashSet<>();
        answer.path("keys").forEach(k -> out.add(k.asText()));
        return out;
    }

    /** A stage's verification request body: the definition and one list. */
    static String body(String definitionJson, String name, List<?> values) {
        ObjectNode body = JSON.createObjectNode();
        body.set("definition", readTree(definitionJson));
        body.set(name, JSON.valueToTree(values));
        return body.toString();
    }

    static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
