package com.datarsync.common.autoconfigure;

import com.datarsync.common.config.SharedSettings;

import com.datarsync.common.config.ServiceIdentity;

import com.datarsync.common.web.ServiceInfoController;
import com.datarsync.common.web.ServletApiExceptionHandler;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Wires what every Data Rsync service shares; servlet parts only in servlet services. */
@AutoConfiguration
@EnableConfigurationProperties({SharedSettings.class, ServiceIdentity.class})
public class DataRsyncServiceAutoConfiguration {

    /** The host's memory for the host alert rule; Micrometer's binders cover only JVM, process and CPU. */
    @org.springframework.context.annotation.Bean
    com.datarsync.common.monitor.HostMemoryMetrics hostMemoryMetrics() {
        return new com.datarsync.common.monitor.HostMemoryMetrics();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @Import(ServletApiExceptionHandler.class)
    static class ServletErrors {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnProperty("datarsync.service.api-prefix")
    @Import(ServiceInfoController.class)
    static class ServletServiceInfo {
    }
}
