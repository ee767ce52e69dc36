package com.datarsync.monitor.infra.channel;

/**
 * What a channel's far end said to one send.
 *
 * @param delivered whether it took the message
 * @param answer    its answer as it gave it (status and body, at most 1,000 characters), for the history
 */
public record Delivery(boolean delivered, String answer) {

    public static Delivery of(boolean delivered, String answer) {
        String a = answer == null ? "" : answer;
        return new Delivery(delivered, a.length() > 1000 ? a.substring(0, 1000) + "…" : a);
    }
}
