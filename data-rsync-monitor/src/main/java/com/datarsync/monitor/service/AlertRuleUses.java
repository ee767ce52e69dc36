package com.datarsync.monitor.service;

import com.datarsync.monitor.domain.AlertRuleDefinition;
import com.datarsync.monitor.infra.AlertRuleRepository;
import java.util.List;
import org.springframework.stereotype.Component;

/** Which rules send to a channel (a channel in use cannot be deleted). */
@Component
public class AlertRuleUses {

    private final AlertRuleRepository rules;

    public AlertRuleUses(AlertRuleRepository rules) {
        this.rules = rules;
    }

    public List<String> rulesNaming(String channel) {
        return rules.findAll().stream().filter(r -> r.channelNames().contains(channel))
                .map(AlertRuleDefinition::getName).sorted().toList();
    }
}
