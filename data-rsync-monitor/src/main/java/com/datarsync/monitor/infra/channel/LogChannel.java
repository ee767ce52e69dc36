package com.datarsync.monitor.infra.channel;

import com.datarsync.monitor.domain.AlertMessage;
import com.datarsync.monitor.domain.AlertTemplates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's own log (JSON lines, logger {@code datarsync.alerts}): critical alerts at ERROR,
 * the others at WARN, resolved ones at INFO. Never fails; useful as the channel of last resort.
 */
public final class LogChannel implements AlertChannel {

    private static final Logger log = LoggerFactory.getLogger("datarsync.alerts");

    @Override
    public String kind() {
        return "log";
    }

    @Override
    public void validate(ChannelConfig config) {
    }

    @Override
    public Delivery send(ChannelConfig config, AlertMessage message) {
        String text = AlertTemplates.text(message, config.language()).replace('\n', ' ');
        if (message.resolved()) {
            log.info(text);
        } else if (message.severity() == com.datarsync.monitor.domain.AlertSeverity.CRITICAL) {
            log.error(text);
        } else {
            log.warn(text);
        }
        return Delivery.of(true, "logged");
    }
}
