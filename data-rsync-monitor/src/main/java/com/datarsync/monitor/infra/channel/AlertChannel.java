package com.datarsync.monitor.infra.channel;

import com.datarsync.monitor.domain.AlertMessage;

/**
 * One way of telling people about an alert (e-mail, a chat robot, SMS, a webhook, the log). A
 * channel sends one message once and says what the far end answered; retrying is the
 * dispatcher's business ({@link ChannelDispatcher}).
 */
public interface AlertChannel {

    /** The {@code kind} of channel configurations this one serves: {@code email}, {@code dingtalk}, … */
    String kind();

    /**
     * Checks a configuration before it is stored: every setting this kind needs is there and
     * well-formed; throws {@link IllegalArgumentException} naming the setting otherwise.
     */
    void validate(ChannelConfig config);

    /**
     * Sends the message. A refusal by the far end is a {@link Delivery} that is not delivered,
     * with its answer; an exception means the far end could not be reached.
     */
    Delivery send(ChannelConfig config, AlertMessage message) throws Exception;
}
