package com.datarsync.common.web;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every exception a controller lets out into an {@link ApiError} with a stable code. */
@RestControllerAdvice
public class ServletApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ServletApiExceptionHandler.class);

    @ExceptionHandler(DataRsyncException.class)
    ResponseEntity<ApiError> handleKnown(DataRsyncException e, HttpServletRequest request) {
        return answer(e.errorCode(), e.getMessage(), request, e.details());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ApiError> handleInvalid(MethodArgumentNotValidException e, HttpServletRequest request) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            fields.putIfAbsent(error.getField(), error.getDefaultMessage());
        }
        return answer(ErrorCode.VALIDATION_FAILED, "Invalid request", request, Map.of("fields", fields));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> handleNoResource(NoResourceFoundException e, HttpServletRequest request) {
        return answer(ErrorCode.NOT_FOUND, "No endpoint at this path", request, Map.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> handleUnexpected(Exception e, HttpServletRequest request) {
        // The trace goes to the log only; the answer carries the code and a generic message.
        log.error("Unhandled error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return answer(ErrorCode.INTERNAL_ERROR, null, request, Map.of());
    }

    private static ResponseEntity<ApiError> answer(
            ErrorCode code, String message, HttpServletRequest request, Map<String, Object> details) {
        return ResponseEntity.status(code.httpStatus())
                .body(ApiError.of(code, message, request.getRequestURI(), details));
    }
}
