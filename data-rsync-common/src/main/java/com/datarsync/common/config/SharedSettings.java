package com.datarsync.common.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings every service reads from the shared Nacos config ({@code data-rsync-shared.yaml},
 * group {@code DATA_RSYNC}). Spring Cloud rebinds this bean when the config centre pushes a
 * change, so a new value is visible without a restart.
 *
 * @param environment  a label for the deployment (local, staging, production), shown in the console
 * @param announcement an operator notice shown to every console user; empty for none
 */
@ConfigurationProperties("datarsync.shared")
public record SharedSettings(String environment, String announcement) {

    public SharedSettings {
        environment = environment == null ? "unknown" : environment;
        announcement = announcement == null ? "" : announcement;
    }
}
