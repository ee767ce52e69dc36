package com.datarsync.common.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings every service reads from the shared Nacos config ({@code data-rsync-shared.yaml},
 * group {@code DATA_RSYNC}). A JavaBean, not a record, on purpose: Spring Cloud's rebinder
 * updates {@code @ConfigurationProperties} beans in place when the config centre pushes a change,
 * and it can only do that through setters.
 */
@ConfigurationProperties("datarsync.shared")
public class SharedSettings {

    /** A label for the deployment (local, staging, production), shown in the console. */
    private String environment = "unknown";

    /** An operator notice shown to every console user; empty for none. */
    private String announcement = "";

    public String getEnvironment() {
        return environment;
    }

    public void setEnvironment(String environment) {
        this.environment = environment == null ? "unknown" : environment;
    }

    public String getAnnouncement() {
        return announcement;
    }

    public void setAnnouncement(String announcement) {
        this.announcement = announcement == null ? "" : announcement;
    }
}
