package com.datarsync.common.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What a service is: its API prefix behind the gateway ({@code /api/tasks}) and its version.
 */
@ConfigurationProperties("datarsync.service")
public record ServiceIdentity(String apiPrefix, String version) {

    public ServiceIdentity {
        version = version == null ? "dev" : version;
    }
}
