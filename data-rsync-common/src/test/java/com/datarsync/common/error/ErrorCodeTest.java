package com.datarsync.common.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.web.ApiError;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void codesAreUniqueAndCarryTheirHttpStatusClass() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet()))
                .hasSize(ErrorCode.values().length);
        for (ErrorCode code : ErrorCode.values()) {
            // DRS-4xxx codes answer 4xx, DRS-5xxx answer 5xx: the code tells the class at a glance.
            assertThat(code.code()).startsWith("DRS-" + code.httpStatus() / 100);
        }
    }

    @Test
    void onlyTransientFailuresAreRetriable() {
        assertThat(Arrays.stream(ErrorCode.values()).filter(ErrorCode::retriable))
                .containsExactlyInAnyOrder(ErrorCode.RATE_LIMITED, ErrorCode.BAD_GATEWAY,
                        ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.SOURCE_UNREACHABLE,
                        ErrorCode.TARGET_UNAVAILABLE, ErrorCode.TARGET_PAUSED, ErrorCode.CAPTURE_INTERRUPTED,
                        ErrorCode.UPSTREAM_TIMEOUT);
    }

    @Test
    void apiErrorJsonHasCodeAndNoTraceFields() throws Exception {
        ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
        ApiError error = ApiError.of(ErrorCode.SERVICE_UNAVAILABLE, null, "/api/tasks",
                Map.of("service", "data-rsync-task-manager"));

        Map<String, Object> body = json.readValue(json.writeValueAsString(error), new TypeReference<>() { });

        assertThat(body).containsEntry("code", "DRS-5030")
                .containsEntry("error", "SERVICE_UNAVAILABLE")
                .containsEntry("status", 503)
                .containsEntry("retriable", true)
                .containsEntry("message", ErrorCode.SERVICE_UNAVAILABLE.defaultMessage())
                .containsKeys("timestamp", "details")
                .doesNotContainKeys("trace", "stackTrace", "exception");
    }
}
