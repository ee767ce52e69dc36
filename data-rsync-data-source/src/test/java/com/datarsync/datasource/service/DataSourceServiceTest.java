package com.datarsync.datasource.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class DataSourceServiceTest {

    @Test
    void networksMatchByTheirPrefix() throws Exception {
        assertThat(DataSourceService.inNetwork(InetAddress.getByName("169.254.169.254"), "169.254.0.0/16")).isTrue();
        assertThat(DataSourceService.inNetwork(InetAddress.getByName("169.255.0.1"), "169.254.0.0/16")).isFalse();
        assertThat(DataSourceService.inNetwork(InetAddress.getByName("10.1.2.3"), "10.0.0.0/8")).isTrue();
        assertThat(DataSourceService.inNetwork(InetAddress.getByName("10.1.2.3"), "0.0.0.0/0")).isTrue();
        assertThat(DataSourceService.inNetwork(InetAddress.getByName("::1"), "10.0.0.0/8")).isFalse();
        assertThat(DataSourceService.inNetwork(InetAddress.getByName("fd00::5"), "fd00::/8")).isTrue();
    }
}
