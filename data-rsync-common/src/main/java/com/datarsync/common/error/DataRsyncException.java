package com.datarsync.common.error;

import java.util.Map;

/** An error the product expects and reports with a stable {@link ErrorCode}. */
public class DataRsyncException extends RuntimeException {

    private final ErrorCode errorCode;
    private final Map<String, Object> details;

    public DataRsyncException(ErrorCode errorCode, String message) {
        this(errorCode, message, Map.of(), null);
    }

    public DataRsyncException(ErrorCode errorCode, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.details = Map.copyOf(details);
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public Map<String, Object> details() {
        return details;
    }
}
