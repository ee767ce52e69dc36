package com.datarsync.common.error;

/**
 * Stable error codes shared by every service and the gateway. The code string is part of the
 * public API (clients switch on it); the HTTP status and whether a retry can help are decided
 * here, in one place, never at the throw site.
 */
public enum ErrorCode {
    VALIDATION_FAILED("DRS-4000", 400, false, "The request or configuration is invalid"),
    UNAUTHORIZED("DRS-4010", 401, false, "Authentication is required"),
    FORBIDDEN("DRS-4030", 403, false, "The caller lacks the permission for this action"),
    NOT_FOUND("DRS-4040", 404, false, "No such resource"),
    CONFLICT("DRS-4090", 409, false, "The resource changed or already exists"),
    POSITION_LOST("DRS-4092", 409, false, "A stored log position or unread records no longer exist; re-snapshot the task (full sync)"),
    TARGET_SCHEMA_MISMATCH("DRS-4091", 409, false, "The existing target collection does not match the task definition"),
    RECORD_REJECTED("DRS-4220", 422, false, "A record cannot be mapped to the target and went to the dead-letter queue"),
    RATE_LIMITED("DRS-4290", 429, true, "Too many requests"),
    INTERNAL_ERROR("DRS-5000", 500, false, "Unexpected server error"),
    BAD_GATEWAY("DRS-5020", 502, true, "The upstream service answered with an error"),
    SERVICE_UNAVAILABLE("DRS-5030", 503, true, "The service is not available"),
    SOURCE_UNREACHABLE("DRS-5031", 503, true, "The source database cannot be reached"),
    TARGET_UNAVAILABLE("DRS-5032", 503, true, "The target (Kafka or Milvus) cannot be reached"),
    TARGET_PAUSED("DRS-5033", 503, true, "Writes to Milvus are paused: its circuit breaker is open after repeated failures"),
    CAPTURE_INTERRUPTED("DRS-5034", 503, true, "The capture stopped on an unexpected error; it starts again from its stored position"),
    UPSTREAM_TIMEOUT("DRS-5040", 504, true, "The upstream service did not answer in time");

    private final String code;
    private final int httpStatus;
    private final boolean retriable;
    private final String defaultMessage;

    ErrorCode(String code, int httpStatus, boolean retriable, String defaultMessage) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.retriable = retriable;
        this.defaultMessage = defaultMessage;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** True when the same call may succeed later (transient outage, throttling, timeout). */
    public boolean retriable() {
        return retriable;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
