package com.datarsync.datasource.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SourceNetworksTest {

    @Test
    void aNameIsJudgedByWhatItResolvesToWhenTheConnectionIsMade() throws Exception {
        SourceNetworks noLoopback = new SourceNetworks(List.of(), List.of("169.254.0.0/16", "127.0.0.0/8"));
        assertThat(noLoopback.refusal("169.254.169.254")).contains("169.254.0.0/16");
        assertThat(noLoopback.refusal("localhost")).contains("127.0.0.0/8");
        assertThatThrownBy(() -> noLoopback.connectAddress("localhost")).isInstanceOf(SourceNetworks.Refused.class)
                .hasMessageContaining("localhost resolves to 127.0.0.1");

        SourceNetworks loopbackOnly = new SourceNetworks(List.of("127.0.0.0/8"), List.of("169.254.0.0/16"));
        assertThat(loopbackOnly.connectAddress("localhost").isLoopbackAddress()).isTrue();
        assertThat(loopbackOnly.refusal("10.1.2.3")).contains("only sources in 127.0.0.0/8");
        assertThat(loopbackOnly.refusal("no-such-host.invalid")).contains("does not resolve");
        assertThat(new SourceNetworks(List.of(), List.of()).refusal("no-such-host.invalid")).isNull();
    }

    @Test
    void aSettingThatIsNoCidrBlockStopsTheStart() {
        assertThatThrownBy(() -> new SourceNetworks(List.of("10.0.0.0/33"), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("10.0.0.0/33");
    }
}
