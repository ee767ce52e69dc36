package com.datarsync.common.web;

import com.datarsync.common.config.ServiceIdentity;
import com.datarsync.common.config.SharedSettings;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET <api-prefix>/service-info}: which service and instance answered, and the shared
 * settings it currently holds. The gateway and operators use it to see that a route reaches the
 * right service and that a config change has arrived.
 */
@RestController
public class ServiceInfoController {

    private final String serviceName;
    private final ServiceIdentity identity;
    private final SharedSettings shared;
    private final int port;

    public ServiceInfoController(
            @Value("${spring.application.name}") String serviceName,
            @Value("${server.port:8080}") int port,
            ServiceIdentity identity,
            SharedSettings shared) {
        this.serviceName = serviceName;
        this.port = port;
        this.identity = identity;
        this.shared = shared;
    }

    @GetMapping("${datarsync.service.api-prefix}/service-info")
    public ServiceInfo info() {
        return new ServiceInfo(serviceName, identity.version(), port, ProcessHandle.current().pid(),
                Instant.now(), shared);
    }

    public record ServiceInfo(String service, String version, int port, long pid, Instant time,
                              SharedSettings shared) {
    }
}
