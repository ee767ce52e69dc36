package com.datarsync.auth.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The caller's address. A request the gateway forwarded (its proof checked by
 * {@link com.datarsync.common.web.GatewayOnlyFilter}) carries the client's address as the
 * gateway decided it, the only hop of X-Forwarded-For; from anyone else the header is not
 * trusted and the peer address counts.
 */
final class ClientAddress {

    private ClientAddress() {
    }

    static String of(HttpServletRequest request) {
        String remote = request.getRemoteAddr();
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()
                && Boolean.TRUE.equals(request.getAttribute(com.datarsync.common.web.GatewayOnlyFilter.VIA_GATEWAY))) {
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].trim();
            if (!last.isEmpty() && last.length() <= 45 && last.matches("[0-9A-Fa-f:.]+")) {
                return last;
            }
        }
        return remote;
    }
}
