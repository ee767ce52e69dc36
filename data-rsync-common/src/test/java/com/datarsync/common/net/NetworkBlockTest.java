package com.datarsync.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NetworkBlockTest {

    @Test
    void blocksHoldTheirAddressesOnly() throws Exception {
        assertThat(NetworkBlock.parse("169.254.0.0/16").contains(InetAddress.getByName("169.254.169.254"))).isTrue();
        assertThat(NetworkBlock.parse("169.254.0.0/16").contains(InetAddress.getByName("169.255.0.1"))).isFalse();
        assertThat(NetworkBlock.parse("10.0.0.0/8").contains(InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(NetworkBlock.parse("0.0.0.0/0").contains(InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(NetworkBlock.parse("10.0.0.0/8").contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(NetworkBlock.parse("fd00::/8").contains(InetAddress.getByName("fd00::5"))).isTrue();
        assertThat(NetworkBlock.parse(" 192.0.2.7 ").contains(InetAddress.getByName("192.0.2.7"))).isTrue();
        assertThat(NetworkBlock.parse("192.0.2.7").contains(InetAddress.getByName("192.0.2.8"))).isFalse();
    }

    @Test
    void onlyIpLiteralsWithAPrefixInRangeAreBlocks() {
        for (String bad : new String[] {"example.com/8", "10.0.0.0/33", "10.0.0.0/x", "10.0.0.0/8/8", "::/129", ""}) {
            assertThatThrownBy(() -> NetworkBlock.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no CIDR block");
        }
    }
}
