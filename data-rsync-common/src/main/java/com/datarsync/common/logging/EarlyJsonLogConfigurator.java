package com.datarsync.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logback's configuration until Spring Boot applies {@code logback-spring.xml}: JSON lines too.
 * Without it, what logs before Spring's logging starts (the Nacos client loads the shared
 * config during environment preparation) would come out in Logback's plain default format.
 * Registered through {@code META-INF/services}; Spring Boot replaces it as soon as it starts.
 */
public class EarlyJsonLogConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        MaskedJsonEncoder encoder = new MaskedJsonEncoder();
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("early-json");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        // The Nacos client's start-up chatter is noise; its warnings still show.
        context.getLogger("com.alibaba.nacos").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
