package com.datarsync.stage;

import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parts of a verification request the stages share ({@code /internal/verification/*}, called
 * by the task manager): {@code {definition, keys}} or {@code {definition, buckets}}.
 */
public final class VerificationRequests {

    private VerificationRequests() {
    }

    public static SyncTaskDefinition definition(JsonNode body) {
        return SyncTaskDefinitions.parse(body.path("definition").toString());
    }

    public static List<String> keys(JsonNode body) {
        List<String> keys = new ArrayList<>();
        body.path("keys").forEach(k -> keys.add(k.asText()));
        return keys;
    }

    public static Set<Integer> buckets(JsonNode body) {
        Set<Integer> buckets = new HashSet<>();
        body.path("buckets").forEach(b -> buckets.add(b.asInt()));
        return buckets;
    }
}
