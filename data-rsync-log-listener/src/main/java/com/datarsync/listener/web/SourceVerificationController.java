package com.datarsync.listener.web;

import com.datarsync.common.event.ChangeEvent;
import com.datarsync.stage.VerificationRequests;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.datarsync.listener.service.SourceVerification;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
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
        return Map.of("keys", verification.bucketKeys(VerificationRequests.definition(body), VerificationRequests.buckets(body)));
    }

    @PostMapping("/rows")
    public Map<String, Map<String, ChangeEvent>> rows(@RequestBody JsonNode body) {
        return Map.of("rows", verification.rows(VerificationRequests.definition(body), VerificationRequests.keys(body)));
    }

    @PostMapping("/republish")
    public SourceVerification.Republished republish(@RequestBody JsonNode body) {
        return verification.republish(VerificationRequests.definition(body), VerificationRequests.keys(body));
    }
}
