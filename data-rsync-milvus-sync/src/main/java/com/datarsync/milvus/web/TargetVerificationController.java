package com.datarsync.milvus.web;

import com.datarsync.stage.VerificationRequests;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.datarsync.milvus.service.TargetVerification;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Milvus' side of a verification, for the task manager only ({@code /internal}, which the
 * gateway does not route). Bodies: the task definition, or {@code {definition, keys|buckets}}.
 */
@RestController
@RequestMapping(path = "/internal/verification/target", consumes = MediaType.APPLICATION_JSON_VALUE)
public class TargetVerificationController {

    private final TargetVerification verification;

    public TargetVerificationController(TargetVerification verification) {
        this.verification = verification;
    }

    @PostMapping("/keys")
    public TargetVerification.KeySummary keys(@RequestBody String definitionJson) {
        return verification.keys(SyncTaskDefinitions.parse(definitionJson));
    }

    @PostMapping("/count")
    public Map<String, Long> count(@RequestBody String definitionJson) {
        return Map.of("entities", verification.count(SyncTaskDefinitions.parse(definitionJson)));
    }

    @PostMapping("/absent")
    public Map<String, List<String>> absent(@RequestBody JsonNode body) {
        return Map.of("absent", verification.absent(VerificationRequests.definition(body), VerificationRequests.keys(body)));
    }

    @PostMapping("/bucket-keys")
    public Map<String, List<String>> bucketKeys(@RequestBody JsonNode body) {
        return Map.of("keys", verification.bucketKeys(VerificationRequests.definition(body), VerificationRequests.buckets(body)));
    }

    @PostMapping("/entities")
    public Map<String, Map<String, List<Map<String, Object>>>> entities(@RequestBody JsonNode body) {
        return Map.of("entities", verification.entities(VerificationRequests.definition(body), VerificationRequests.keys(body)));
    }
}
