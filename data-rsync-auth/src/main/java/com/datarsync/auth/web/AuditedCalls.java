package com.datarsync.auth.web;

import com.datarsync.auth.service.AuditRecorder;
import com.datarsync.auth.service.Caller;
import com.datarsync.common.error.DataRsyncException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/** Runs a state-changing call of auth and appends its audit entry, whether it succeeded or not. */
@Component
class AuditedCalls {

    private final AuditRecorder audit;

    AuditedCalls(AuditRecorder audit) {
        this.audit = audit;
    }

    void run(Caller caller, HttpServletRequest http, String action, String resource, Map<String, ?> summary,
             Runnable call) {
        get(caller, http, action, resource, summary, () -> {
            call.run();
            return null;
        });
    }

    <T> T get(Caller caller, HttpServletRequest http, String action, String resource, Map<String, ?> summary,
              Supplier<T> call) {
        try {
            T result = call.get();
            audit.record(caller.username(), action, resource, true, ClientAddress.of(http), summary);
            return result;
        } catch (DataRsyncException e) {
            Map<String, Object> failed = new LinkedHashMap<>(summary);
            failed.put("error", e.errorCode().code());
            audit.record(caller.username(), action, resource, false, ClientAddress.of(http), failed);
            throw e;
        }
    }
}
