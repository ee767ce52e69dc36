package com.datarsync.common.net;

import java.io.IOException;

/** A call the suite would make for a user went to an address {@link OutboundAddressPolicy} refuses. */
public final class OutboundAddressRefusedException extends IOException {

    public OutboundAddressRefusedException(String host, String reason) {
        super("calls to " + host + " are refused: " + reason + " (DATARSYNC_OUTBOUND_ALLOWED_NETWORKS lists "
                + "reviewed exceptions)");
    }
}
