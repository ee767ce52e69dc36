package com.datarsync.stage.kafka;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Kafka as the data path uses it ({@code datarsync.kafka.*}).
 *
 * @param bootstrapServers  the brokers
 * @param partitions        partitions of each new task topic
 * @param replicationFactor replicas of each new task topic
 * @param securityProtocol  PLAINTEXT, SASL_PLAINTEXT or SASL_SSL
 * @param saslMechanism     with SASL: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
 * @param username          with SASL: the login
 * @param password          with SASL: its password (never in {@link #toString()})
 */
@Validated
@ConfigurationProperties("datarsync.kafka")
public record KafkaSettings(@NotBlank String bootstrapServers, @Min(1) int partitions, @Min(1) short replicationFactor,
        @Pattern(regexp = "PLAINTEXT|SASL_PLAINTEXT|SASL_SSL") String securityProtocol,
        @Pattern(regexp = "PLAIN|SCRAM-SHA-256|SCRAM-SHA-512") String saslMechanism, String username,
        String password) {

    public KafkaSettings {
        securityProtocol = securityProtocol == null || securityProtocol.isBlank() ? "PLAINTEXT" : securityProtocol;
        saslMechanism = saslMechanism == null || saslMechanism.isBlank() ? "PLAIN" : saslMechanism;
    }

    /** With SASL a login is needed: a start without one fails, naming the settings. */
    @AssertTrue(message = "datarsync.kafka.username and password are needed with a SASL security protocol")
    public boolean isLoginGivenForSasl() {
        return !securityProtocol.startsWith("SASL") || (username != null && !username.isBlank() && password != null
                && !password.isEmpty());
    }

    /** What every client of the suite (admin, producer, consumer) is given: the brokers and the login. */
    public Map<String, Object> client(Map<String, Object> settings) {
        Map<String, Object> out = new HashMap<>(settings);
        out.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        out.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
        if (securityProtocol.startsWith("SASL")) {
            String module = saslMechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            out.put(SaslConfigs.SASL_MECHANISM, saslMechanism);
            out.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + jaasQuoted(username)
                    + "\" password=\"" + jaasQuoted(password) + "\";");
        }
        return out;
    }

    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "KafkaSettings[" + bootstrapServers + ", " + securityProtocol + (securityProtocol.startsWith("SASL")
                ? " " + saslMechanism + " as " + username : "") + "]";
    }
}
