package com.datarsync.auth.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;

/**
 * The caller's address. Behind the gateway (a request from loopback) it is the last hop the
 * gateway appended to X-Forwarded-For; anything a client wrote into that header itself comes
 * before it and is not trusted.
 */
final class ClientAddress {

    private ClientAddress() {
    }

    static String of(HttpServletRequest request) {
        String remote = request.getRemoteAddr();
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank() && fromLoopback(remote)) {
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].trim();
            if (!last.isEmpty() && last.length() <= 45 && last.matches("[0-9A-Fa-f:.]+")) {
                return last;
            }
        }
        return remote;
    }

    private static boolean fromLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
