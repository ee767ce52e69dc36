package com.datarsync.stage.kafka;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Kafka as the data path uses it ({@code datarsync.kafka.*}).
 *
 * @param bootstrapServers  the brokers
 * @param partitions        partitions of each new task topic
 * @param replicationFactor replicas of each new task topic
 */
@Validated
@ConfigurationProperties("datarsync.kafka")
public record KafkaSettings(@NotBlank String bootstrapServers, @Min(1) int partitions, @Min(1) short replicationFactor) {
}
