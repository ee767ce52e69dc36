package com.datarsync.common.web;

import com.datarsync.common.error.ErrorCode;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * The one JSON body every error answer carries, from the gateway and from each service.
 * It never holds a stack trace or an exception class name.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(
        String code,
        String error,
        int status,
        String message,
        boolean retriable,
        String path,
        Instant timestamp,
        Map<String, Object> details) {

    public static ApiError of(ErrorCode errorCode, String message, String path, Map<String, Object> details) {
        return new ApiError(
                errorCode.code(),
                errorCode.name(),
                errorCode.httpStatus(),
                message == null || message.isBlank() ? errorCode.defaultMessage() : message,
                errorCode.retriable(),
                path,
                Instant.now(),
                details == null ? Map.of() : Map.copyOf(details));
    }
}
