package com.datarsync.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutboundAddressPolicyTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void refusesLoopbackPrivateLinkLocalAndTheHostsOwnAddressesAndLetsPublicOnesThrough() throws Exception {
        OutboundAddressPolicy policy = new OutboundAddressPolicy(List.of(), Set.of(ip("203.0.113.7")));
        for (String refused : List.of("127.0.0.1", "127.77.0.1", "0.0.0.0", "10.1.2.3", "172.20.0.1", "192.168.1.1",
                "100.64.0.1", "169.254.169.254", "224.0.0.1", "255.255.255.255", "::1", "::", "::127.0.0.1",
                "::ffff:127.0.0.1", "64:ff9b::7f00:1", "fd00::1", "fe80::1", "ff02::1", "203.0.113.7")) {
            assertThat(policy.refusal(ip(refused))).as(refused).isNotNull();
        }
        for (String allowed : List.of("8.8.8.8", "203.0.113.8", "2001:4860:4860::8888", "1.1.1.1")) {
            assertThat(policy.refusal(ip(allowed))).as(allowed).isNull();
        }
        assertThat(policy.refusal(ip("169.254.169.254"))).contains("link-local");
        assertThat(policy.refusal(ip("203.0.113.7"))).contains("this host");
    }

    @Test
    void anAllowedBlockIsAReviewedExceptionAndNothingBeyondIt() throws Exception {
        OutboundAddressPolicy policy = new OutboundAddressPolicy(List.of(NetworkBlock.parse("127.77.0.0/16"),
                NetworkBlock.parse("10.9.0.5")), Set.of());
        assertThat(policy.refusal(ip("127.77.0.1"))).isNull();
        assertThat(policy.refusal(ip("10.9.0.5"))).isNull();
        assertThat(policy.refusal(ip("127.0.0.1"))).contains("loopback");
        assertThat(policy.refusal(ip("10.9.0.6"))).contains("private");
        assertThatThrownBy(() -> policy.check("relay", ip("10.9.0.6")))
                .isInstanceOf(OutboundAddressRefusedException.class).hasMessageContaining("relay")
                .hasMessageContaining("10.9.0.6");
    }

    @Test
    void atSaveTimeANameIsJudgedByWhatItResolvesTo() {
        OutboundAddressPolicy policy = new OutboundAddressPolicy(List.of(), Set.of());
        assertThat(policy.refusalOfHost("localhost")).startsWith("localhost resolves to").contains("loopback");
        assertThat(policy.refusalOfHost("[::1]")).contains("::1");
        assertThat(policy.refusalOfHost("127.0.0.1")).isEqualTo("127.0.0.1 is a loopback address");
        assertThat(policy.refusalOfHost("no-such-host.invalid")).isNull();
    }
}
