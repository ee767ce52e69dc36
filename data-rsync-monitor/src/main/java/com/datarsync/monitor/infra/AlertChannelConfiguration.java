package com.datarsync.monitor.infra;

import com.datarsync.common.net.OutboundAddressPolicy;
import com.datarsync.monitor.infra.channel.AliyunSmsChannel;
import com.datarsync.monitor.infra.channel.ChannelDispatcher;
import com.datarsync.monitor.infra.channel.DingTalkChannel;
import com.datarsync.monitor.infra.channel.EmailChannel;
import com.datarsync.monitor.infra.channel.LogChannel;
import com.datarsync.monitor.infra.channel.RobotHttp;
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

    /** Where channels may send: public addresses, and the reviewed exceptions of the setting. */
    @Bean
    OutboundAddressPolicy outboundAddressPolicy(
            @Value("${datarsync.outbound.allowed-networks:}") List<String> allowedNetworks) {
        return OutboundAddressPolicy.allowing(allowedNetworks);
    }

    @Bean
    ChannelDispatcher channelDispatcher(Clock clock, OutboundAddressPolicy policy,
            @Value("${datarsync.monitor.delivery-attempts:3}") int attempts,
            @Value("${datarsync.monitor.delivery-pause:2s}") Duration pause) {
        RobotHttp http = new RobotHttp(policy);
        return new ChannelDispatcher(List.of(new EmailChannel(policy), new DingTalkChannel(clock, http),
                new WeComChannel(http), new AliyunSmsChannel(clock, http), new WebhookChannel(clock, http),
                new LogChannel()), attempts, pause, clock);
    }
}
