package com.datarsync.common.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which addresses the suite may call on a user's behalf (alert webhooks and robots, SMS gateways,
 * OpenAI-compatible embedding endpoints): public addresses only. Loopback, "this network",
 * private (RFC 1918, CGNAT, IPv6 unique-local), link-local (cloud metadata), multicast, reserved,
 * NAT64 and IPv4-compatible forms (Java reads an IPv4-mapped address as the IPv4 one it maps, so
 * those are judged as IPv4), and every address of this host's own interfaces are refused,
 * because a user who may type a URL must not reach the suite's own servers or the internal
 * network through it. A block in the allow-list ({@code DATARSYNC_OUTBOUND_ALLOWED_NETWORKS}) is
 * a reviewed exception, such as a relay on the private network.
 *
 * <p>The check runs on the address a connection is about to use (see {@link OutboundHttp}), not
 * on a name resolved earlier, so a name that resolves to a public address when saved and to
 * 127.0.0.1 when called is refused.
 */
public final class OutboundAddressPolicy {

    private static final List<Refused> REFUSED = List.of(
            new Refused("0.0.0.0/8", "'this network'"),
            new Refused("10.0.0.0/8", "private"),
            new Refused("100.64.0.0/10", "shared (carrier-grade NAT)"),
            new Refused("127.0.0.0/8", "loopback"),
            new Refused("169.254.0.0/16", "link-local (cloud metadata)"),
            new Refused("172.16.0.0/12", "private"),
            new Refused("192.0.0.0/24", "reserved"),
            new Refused("192.168.0.0/16", "private"),
            new Refused("198.18.0.0/15", "benchmarking"),
            new Refused("224.0.0.0/4", "multicast"),
            new Refused("240.0.0.0/4", "reserved"),
            new Refused("::/96", "unspecified, loopback or IPv4-compatible"),
            new Refused("64:ff9b::/96", "NAT64"),
            new Refused("fc00::/7", "private (unique local)"),
            new Refused("fe80::/10", "link-local"),
            new Refused("ff00::/8", "multicast"));

    private record Refused(NetworkBlock block, String kind) {
        Refused(String cidr, String kind) {
            this(NetworkBlock.parse(cidr), kind);
        }
    }

    private final List<NetworkBlock> allowed;
    private final Set<InetAddress> ownAddresses;

    public OutboundAddressPolicy(List<NetworkBlock> allowed) {
        this(allowed, interfaceAddresses());
    }

    OutboundAddressPolicy(List<NetworkBlock> allowed, Set<InetAddress> ownAddresses) {
        this.allowed = List.copyOf(allowed);
        this.ownAddresses = Set.copyOf(ownAddresses);
    }

    /** From a setting's comma-separated CIDR blocks (empty: nothing beyond public addresses). */
    public static OutboundAddressPolicy allowing(List<String> cidrs) {
        return new OutboundAddressPolicy(NetworkBlock.parseAll(cidrs));
    }

    /** Why a connection to this address is refused, or null when it may be made. */
    public String refusal(InetAddress address) {
        if (NetworkBlock.anyContains(allowed, address)) {
            return null;
        }
        for (Refused r : REFUSED) {
            if (r.block().contains(address)) {
                return address.getHostAddress() + " is a " + r.kind() + " address";
            }
        }
        if (ownAddresses.contains(address)) {
            return address.getHostAddress() + " is an address of this host";
        }
        return null;
    }

    /** Refuses the address with {@link OutboundAddressRefusedException}. */
    public void check(String host, InetAddress address) throws OutboundAddressRefusedException {
        String refusal = refusal(address);
        if (refusal != null) {
            throw new OutboundAddressRefusedException(host, refusal);
        }
    }

    /**
     * The same check at save time, for a clear answer before anything is sent: an IP literal is
     * checked as it is, a name by what it resolves to now (each address). A name that does not
     * resolve passes here; the connection will tell.
     */
    public String refusalOfHost(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            for (InetAddress address : InetAddress.getAllByName(bare)) {
                String refusal = refusal(address);
                if (refusal != null) {
                    return bare.equals(address.getHostAddress()) ? refusal : bare + " resolves to " + refusal;
                }
            }
            return null;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static Set<InetAddress> interfaceAddresses() {
        Set<InetAddress> own = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                own.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException e) {
            // Without the list the fixed ranges still apply; a public address of this host is the gap.
        }
        return own;
    }
}
