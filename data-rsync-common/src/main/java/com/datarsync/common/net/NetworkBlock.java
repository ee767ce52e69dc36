package com.datarsync.common.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A block of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}; an address
 * alone is a block of one), for settings that allow or deny networks: trusted proxies at the
 * gateway, the networks a data source may be in. Only IP literals are accepted, so parsing a
 * setting never asks DNS.
 */
public record NetworkBlock(String text, byte[] network, int bits) {

    /** Parses {@code address[/bits]}; an {@link IllegalArgumentException} names what is wrong. */
    public static NetworkBlock parse(String cidr) {
        String trimmed = cidr.trim();
        String[] parts = trimmed.split("/", -1);
        if (parts.length > 2 || !parts[0].matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("'" + cidr + "' is no CIDR block (an IP address, optionally /bits)");
        }
        byte[] network;
        try {
            network = InetAddress.getByName(parts[0]).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + cidr + "' is no CIDR block: " + e.getMessage(), e);
        }
        int bits;
        try {
            bits = parts.length > 1 ? Integer.parseInt(parts[1]) : network.length * 8;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + cidr + "' is no CIDR block: the prefix length is no number", e);
        }
        if (bits < 0 || bits > network.length * 8) {
            throw new IllegalArgumentException("'" + cidr + "' is no CIDR block: /" + bits + " is out of range");
        }
        return new NetworkBlock(trimmed, network, bits);
    }

    /** Parses each of a setting's blocks. */
    public static List<NetworkBlock> parseAll(List<String> cidrs) {
        return cidrs.stream().filter(c -> !c.isBlank()).map(NetworkBlock::parse).toList();
    }

    /** Whether the address is in this block (an IPv4 address is never in an IPv6 block, nor the reverse). */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        BigInteger mask = bits == 0 ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(network.length * 8)
                .subtract(BigInteger.ONE).shiftRight(bits).not();
        return new BigInteger(1, network).and(mask).equals(new BigInteger(1, candidate).and(mask));
    }

    /** Whether any of the blocks holds the address. */
    public static boolean anyContains(List<NetworkBlock> blocks, InetAddress address) {
        return blocks.stream().anyMatch(b -> b.contains(address));
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetworkBlock b && b.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
