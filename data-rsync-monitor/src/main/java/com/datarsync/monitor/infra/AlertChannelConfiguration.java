package com.datarsync.monitor.infra;

import com.datarsync.monitor.infra.channel.AliyunSmsChannel;
import com.datarsync.monitor.infra.channel.ChannelDispatcher;
import com.datarsync.monitor.infra.channel.DingTalkChannel;
import com.datarsync.monitor.infra.channel.EmailChannel;
import com.datarsync.monitor.infra.channel.LogChannel;
import com.datarsync.monitor.infra.channel.WeComChannel;
import com.datarsync.monitor.infra.channel.WebhookChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The channel kinds there are, and how often a failed delivery is tried again. */
@Configuration
@EnableScheduling
public class AlertChannelConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ChannelDispatcher channelDispatcher(Clock clock,
            @Value("${datarsync.monitor.delivery-attempts:3}") int attempts,
            @Value("${datarsync.monitor.delivery-pause:2s}") Duration pause) {
        return new ChannelDispatcher(List.of(new EmailChannel(), new DingTalkChannel(clock), new WeComChannel(),
                new AliyunSmsChannel(clock), new WebhookChannel(clock), new LogChannel()), attempts, pause, clock);
    }
}
