package com.datarsync.common.logging;

import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;

/**
 * The JSON line every service writes ({@code logback-spring.xml}, on stdout and in its log file),
 * with secrets masked before the line exists: fields named like a secret, {@code key=value}
 * pairs naming one inside any text, and bearer tokens.
 */
public class MaskedJsonEncoder extends LogstashEncoder {

    static final String MASK = "****";

    private final MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();

    public MaskedJsonEncoder() {
        masking.setDefaultMask(MASK);
        for (String field : new String[] {"password", "secret", "token", "apiKey"}) {
            masking.addPath(field);
        }
        masking.addValueMask(new MaskingJsonGeneratorDecorator.ValueMask(
                "(?i)(password|passwd|pwd|secret|token|api[_-]?key)(\\W{1,3})[^\\s\"',;&]+", "$1$2" + MASK));
        masking.addValueMask(new MaskingJsonGeneratorDecorator.ValueMask("(?i)(Bearer\\s+)[A-Za-z0-9._~+/=-]+",
                "$1" + MASK));
        setJsonGeneratorDecorator(masking);
    }

    @Override
    public void start() {
        // Configured in code, the decorator is not started by Joran as a nested element would be.
        masking.start();
        super.start();
    }
}
