package com.datarsync.stage.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void aSaslLoginGoesIntoEveryClientAndNeverIntoTheText() {
        KafkaSettings sasl = new KafkaSettings("k:9092", 3, (short) 1, "SASL_SSL", "SCRAM-SHA-512", "svc", "p\"w");
        Map<String, Object> client = sasl.client(Map.of("acks", "all"));
        assertThat(client).containsEntry("bootstrap.servers", "k:9092").containsEntry("acks", "all")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"svc\" password=\"p\\\"w\";");
        assertThat(sasl.toString()).contains("svc").doesNotContain("p\"w");
        assertThat(sasl.isLoginGivenForSasl()).isTrue();
        assertThat(new KafkaSettings("k:9092", 3, (short) 1, "SASL_PLAINTEXT", null, "svc", "").isLoginGivenForSasl())
                .isFalse();
    }

    @Test
    void withoutSaslTheClientGetsTheBrokersOnly() {
        KafkaSettings plain = new KafkaSettings("k:9092", 3, (short) 1, null, null, null, null);
        assertThat(plain.client(Map.of())).containsOnlyKeys("bootstrap.servers", "security.protocol")
                .containsEntry("security.protocol", "PLAINTEXT");
        assertThat(plain.isLoginGivenForSasl()).isTrue();
    }
}
