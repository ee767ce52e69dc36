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

    /** A detail that also becomes the answer's {@code Retry-After} header (throttled calls). */
    public static final String RETRY_AFTER_SECONDS = "retryAfterSeconds";

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

    /**
     * Spring's own refusals of a request (unreadable body, wrong method or media type, a missing
     * or mistyped parameter): the caller's mistake, answered as such without the parser's text.
     */
    private ResponseEntity<ApiError> handleRefused(Exception e, HttpServletRequest request) {
        int status = ((org.springframework.web.ErrorResponse) e).getStatusCode().value();
        if (status == 404) {
            return answer(ErrorCode.NOT_FOUND, "No endpoint at this path", request, Map.of());
        }
        String title = ((org.springframework.web.ErrorResponse) e).getBody().getDetail();
        ErrorCode code = ErrorCode.VALIDATION_FAILED;
        return ResponseEntity.status(status).body(new ApiError(code.code(), code.name(), status,
                title == null ? "The request cannot be taken as it is" : title, false, request.getRequestURI(),
                java.time.Instant.now(), Map.of()));
    }

    @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> handleUnreadable(Exception e, HttpServletRequest request) {
        // The parser's message names Java types and positions: not for the caller.
        return answer(ErrorCode.VALIDATION_FAILED, "The request body is missing or is not valid JSON of the expected shape",
                request, Map.of());
    }

    /**
     * A path or query parameter that is not of its type (a number out of range, an unknown
     * state): named, with what it wants in words, never the Java type.
     */
    @ExceptionHandler(org.springframework.beans.TypeMismatchException.class)
    ResponseEntity<ApiError> handleMistyped(org.springframework.beans.TypeMismatchException e,
            HttpServletRequest request) {
        String name = e instanceof org.springframework.web.method.annotation.MethodArgumentTypeMismatchException m
                ? m.getName() : e.getPropertyName();
        Class<?> type = e.getRequiredType();
        String wants;
        if (type != null && type.isEnum()) {
            wants = "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", "));
        } else if (type == int.class || type == Integer.class) {
            wants = "a whole number between -2147483648 and 2147483647";
        } else if (type == long.class || type == Long.class) {
            wants = "a whole number between -9223372036854775808 and 9223372036854775807";
        } else if (type == boolean.class || type == Boolean.class) {
            wants = "true or false";
        } else {
            wants = "a value of another form";
        }
        return answer(ErrorCode.VALIDATION_FAILED, "Parameter '" + name + "' must be " + wants, request,
                Map.of("fields", Map.of(String.valueOf(name), wants)));
    }

    /** A multipart content type on a route that takes none, or a broken multipart body. */
    @ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    ResponseEntity<ApiError> handleMultipart(Exception e, HttpServletRequest request) {
        return answer(ErrorCode.VALIDATION_FAILED, "The request's multipart body cannot be read; this API takes JSON",
                request, Map.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> handleUnexpected(Exception e, HttpServletRequest request) {
        if (e instanceof org.springframework.web.ErrorResponse refused && refused.getStatusCode().value() < 500) {
            return handleRefused(e, request);
        }
        // The trace goes to the log only; the answer carries the code and a generic message.
        log.error("Unhandled error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return answer(ErrorCode.INTERNAL_ERROR, null, request, Map.of());
    }

    private static ResponseEntity<ApiError> answer(
            ErrorCode code, String message, HttpServletRequest request, Map<String, Object> details) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(code.httpStatus());
        if (details.get(RETRY_AFTER_SECONDS) instanceof Number seconds) {
            answer.header(org.springframework.http.HttpHeaders.RETRY_AFTER, Long.toString(seconds.longValue()));
        }
        return answer.body(ApiError.of(code, message, request.getRequestURI(), details));
    }
}
