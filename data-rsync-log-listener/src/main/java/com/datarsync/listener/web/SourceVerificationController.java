package com.datarsync.listener.web;

import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.datarsync.listener.service.SourceVerification;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The source's side of a verification, for the task manager only ({@code /internal}, which the
 * gateway does not route). Bodies: the task definition, or {@code {definition, keys|buckets}}.
 */
@RestController
@RequestMapping(path = "/internal/verification/source", consumes = MediaType.APPLICATION_JSON_VALUE)
public class SourceVerificationController {

    private final SourceVerification verification;

    public SourceVerificationController(SourceVerification verification) {
        this.verification = verification;
    }

    @PostMapping("/keys")
    public SourceVerification.KeySummary keys(@RequestBody String definitionJson,
            @RequestParam(defaultValue = "0") int sample) {
        return verification.keys(SyncTaskDefinitions.parse(definitionJson), sample);
    }

    @PostMapping("/bucket-keys")
    public Map<String, List<String>> bucketKeys(@RequestBody JsonNode body) {
        Set<Integer> buckets = new HashSet<>();
        body.path("buckets").forEach(b -> buckets.add(b.asInt()));
        return Map.of("keys", verification.bucketKeys(definition(body), buckets));
    }

    @PostMapping("/rows")
    public Map<String, Map<String, ChangeEvent>> rows(@RequestBody JsonNode body) {
        return Map.of("rows", verification.rows(definition(body), keys(body)));
    }

    @PostMapping("/republish")
    public SourceVerification.Republished republish(@RequestBody JsonNode body) {
        return verification.republish(definition(body), keys(body));
    }

    private static SyncTaskDefinition definition(JsonNode body) {
        return SyncTaskDefinitions.parse(body.path("definition").toString());
    }

    private static List<String> keys(JsonNode body) {
        List<String> keys = new ArrayList<>();
        body.path("keys").forEach(k -> keys.add(k.asText()));
        return keys;
    }
}
