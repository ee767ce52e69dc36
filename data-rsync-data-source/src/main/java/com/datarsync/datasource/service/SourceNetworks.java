package com.datarsync.datasource.service;

import com.datarsync.common.net.NetworkBlock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The networks a source may be in (datarsync.data-source.allow/deny-networks), checked when a
 * source is saved and again each time the service connects to one (test, health check, browsing,
 * preview, the listener's connection details): the name is resolved then, every address it has is
 * checked, and the connection goes to the address that was checked, so a name that pointed
 * elsewhere when saved (DNS rebinding) reaches no denied network.
 */
@Component
public class SourceNetworks {

    private final List<NetworkBlock> allow;
    private final List<NetworkBlock> deny;

    public SourceNetworks(@Value("${datarsync.data-source.allow-networks:}") List<String> allow,
            @Value("${datarsync.data-source.deny-networks:169.254.0.0/16}") List<String> deny) {
        // Parsed once: a setting that is no CIDR block stops the start-up, naming it.
        try {
            this.allow = NetworkBlock.parseAll(allow);
            this.deny = NetworkBlock.parseAll(deny);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("datarsync.data-source networks: " + e.getMessage(), e);
        }
    }

    /** Why the host is not allowed now, or null; a name that does not resolve passes unless an allow-list is set. */
    public String refusal(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                String refusal = refusal(address);
                if (refusal != null) {
                    return refusal;
                }
            }
            return null;
        } catch (UnknownHostException e) {
            return allow.isEmpty() ? null : "the host name does not resolve, so its network cannot be checked";
        }
    }

    /**
     * The address to connect to now: the host resolved at this moment, each of its addresses
     * allowed; the first one.
     *
     * @throws Refused when an address is in a denied network (or outside the allowed ones)
     * @throws UnknownHostException when the name does not resolve
     */
    public InetAddress connectAddress(String host) throws Refused, UnknownHostException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        for (InetAddress address : addresses) {
            String refusal = refusal(address);
            if (refusal != null) {
                throw new Refused(host + " resolves to " + address.getHostAddress() + ": " + refusal);
            }
        }
        return addresses[0];
    }

    private String refusal(InetAddress address) {
        for (NetworkBlock cidr : deny) {
            if (cidr.contains(address)) {
                return "addresses in " + cidr + " are not allowed as sources";
            }
        }
        if (!allow.isEmpty() && !NetworkBlock.anyContains(allow, address)) {
            return "only sources in " + String.join(", ", allow.stream().map(NetworkBlock::toString).toList())
                    + " are allowed";
        }
        return null;
    }

    /** A source's address is in a network sources may not be in. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }
}
