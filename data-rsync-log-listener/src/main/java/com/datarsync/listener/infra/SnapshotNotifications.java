package com.datarsync.listener.infra;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.pipeline.notification.Notification;
import io.debezium.pipeline.notification.channels.NotificationChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Debezium's notifications (incremental snapshot started, chunk done, table done, completed)
 * handed to the capture of the task that raised them. Debezium creates one channel per
 * connector through {@code ServiceLoader}, so captures register here under their connector's
 * logical name ({@code topic.prefix}) and the channel looks its capture up on each notification.
 */
public final class SnapshotNotifications implements NotificationChannel {

    /** The channel's name in {@code notification.enabled.channels}. */
    public static final String CHANNEL = "datarsync";

    private static final Map<String, Consumer<Notification>> RECEIVERS = new ConcurrentHashMap<>();

    private String logicalName;

    public static void register(String logicalName, Consumer<Notification> receiver) {
        RECEIVERS.put(logicalName, receiver);
    }

    public static void unregister(String logicalName, Consumer<Notification> receiver) {
        RECEIVERS.remove(logicalName, receiver);
    }

    @Override
    public void init(CommonConnectorConfig config) {
        this.logicalName = config.getLogicalName();
    }

    @Override
    public String name() {
        return CHANNEL;
    }

    @Override
    public void send(Notification notification) {
        Consumer<Notification> receiver = logicalName == null ? null : RECEIVERS.get(logicalName);
        if (receiver != null) {
            receiver.accept(notification);
        }
    }

    @Override
    public void close() {
        // Captures unregister themselves when they stop.
    }
}
